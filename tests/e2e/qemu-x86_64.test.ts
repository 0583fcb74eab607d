import { describeAppliance } from './appliance-suite';
import { describeSsh } from './ssh-config';
import { describeTty1 } from './tty1-smoke';

// The x86_64 PC board (serial ttyS0, VGA text console tty1) on a real booted Debian kernel, with a CONFIG
// stick carrying an SSH key and user networking (restrict=on) forwarding a loopback port to 22222.
describeAppliance(
  'qemu-x86_64',
  (context) => {
    describeTty1(context);
    describeSsh(context);
  },
  { ssh: true },
);
