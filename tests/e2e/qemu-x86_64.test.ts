import { describeAppliance } from './appliance-suite';
import { describeTty1 } from './tty1-smoke';

// The x86_64 PC board (serial ttyS0, VGA text console tty1) on a real booted Debian kernel.
describeAppliance('qemu-x86_64', describeTty1);
