import { HaError } from '../errors/ha-error';

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The errno name of a Node system error (`EAGAIN`...), if it is one. */
export function systemErrorCode(error: unknown): string | undefined {
  return errorCode(error);
}

/** Turns a failure to open or read a kernel log source into a one-line HaError with a next step. */
export function kmsgSourceError(path: string, error: unknown): HaError {
  const code = errorCode(error);
  switch (code) {
    case 'ENOENT':
      return new HaError(`kernel log source ${path} does not exist`, { hint: 'Give a kmsg-format file or FIFO, or /dev/kmsg on a Linux host.', cause: error });
    case 'EACCES':
    case 'EPERM':
      return new HaError(`no permission to read the kernel log ${path}`, {
        hint: 'Run as root, or allow it with `sysctl kernel.dmesg_restrict=0`.',
        cause: error,
      });
    case 'EISDIR':
      return new HaError(`kernel log source ${path} is a directory`, { hint: 'Give a kmsg-format file, a FIFO or /dev/kmsg.', cause: error });
    case 'EINVAL':
      return new HaError(`the kernel refused to read ${path} (EINVAL)`, { hint: 'This kernel may not support /dev/kmsg (Linux 3.5 or newer).', cause: error });
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new HaError(`cannot read the kernel log ${path}: ${reason}`, { cause: error });
    }
  }
}
