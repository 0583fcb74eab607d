import { describeAppliance } from './appliance-suite';

// The arm64 `virt` board (Cortex-A53, PL011 serial console ttyAMA0) on a real booted Debian kernel.
describeAppliance('qemu-arm64');
