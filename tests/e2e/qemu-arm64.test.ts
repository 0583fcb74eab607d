import { describeAppliance } from './appliance-suite';
import { describePowerCut } from './power-cut';

// The arm64 `virt` board (Cortex-A53, PL011 serial console ttyAMA0) on a real booted Debian kernel; the power
// cut runs here (the faster of the two boots under TCG), the suite's last tests on the machine booted after it.
describeAppliance('qemu-arm64', describePowerCut);
