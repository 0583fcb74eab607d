import { dumpKernelLog } from './kernel-log-dump';

/** `dmesg -f`: prints the kernel log and new messages until cancelled. */
export async function followKernelLog(options: { source: string; output: NodeJS.WritableStream; color: boolean; signal: AbortSignal }): Promise<void> {
  await dumpKernelLog({ ...options, follow: true });
}
