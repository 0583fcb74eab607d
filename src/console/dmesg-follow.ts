import { dumpKernelLog } from './kernel-log-dump';
import type { KernelLogOutput } from './kernel-log-output';

/** `dmesg -f`: prints the kernel log and new messages until cancelled. */
export async function followKernelLog(options: { source: string; output: KernelLogOutput; color: boolean; signal: AbortSignal }): Promise<void> {
  await dumpKernelLog({ ...options, follow: true });
}
