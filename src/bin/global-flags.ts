import { UsageError } from '../errors/usage-error';

/** Global flags found anywhere on the command line, and the words left for the command. */
export interface GlobalArgs {
  readonly endpoint?: string;
  readonly apiToken?: string;
  readonly configDir?: string;
  readonly imagePath?: string;
  readonly rawJson: boolean;
  readonly noColor: boolean;
  readonly version: boolean;
  readonly help: boolean;
  readonly kmsg?: string;
  /** `ha console --serial DEV`: run the console on this serial port (through serialport). */
  readonly serial?: string;
  /** `--baud N` for `--serial` (validated when the port is opened). */
  readonly baud?: string;
  /** `-c "command"`, as a login shell is called by sshd for `ssh host ha core logs`. */
  readonly commandString?: string;
  readonly login: boolean;
  readonly words: readonly string[];
}

const VALUE_FLAGS: Record<string, keyof GlobalArgs> = {
  '--endpoint': 'endpoint',
  '--api-token': 'apiToken',
  '--config': 'configDir',
  '--image': 'imagePath',
  '--kmsg': 'kmsg',
  '--serial': 'serial',
  '--baud': 'baud',
  '--log-level': 'words', // accepted for compatibility with the `ha` CLI, ignored
};

/** Splits argv into global flags and command words (pure). `--help` counts as global only before a command. */
export function parseGlobalArgs(argv: readonly string[]): GlobalArgs {
  const out: Record<string, unknown> = { rawJson: false, noColor: false, version: false, help: false, login: false };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      words.push(...argv.slice(i));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUE_FLAGS[name];
    if (key !== undefined) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`Flag ${name} needs a value.`, "Run 'ha --help' for the global flags.");
      if (key !== 'words') out[key] = value;
    } else if (arg === '--raw-json') out['rawJson'] = true;
    else if (arg === '--no-color' || arg === '--no-colour') out['noColor'] = true;
    else if (arg === '--no-progress') continue;
    else if (arg === '--version' && words.length === 0) out['version'] = true;
    else if ((arg === '--help' || arg === '-h') && words.length === 0) out['help'] = true;
    else if ((arg === '--login' || arg === '-l') && words.length === 0) out['login'] = true;
    else if (arg === '-c' && words.length === 0) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('-c needs a command string.', "Example: ha -c 'core logs -n 50'");
      out['commandString'] = value;
    } else words.push(arg);
  }
  if (out['configDir'] !== undefined && out['imagePath'] !== undefined) throw new UsageError('--config and --image cannot be used together.', 'Choose the config folder or the disk image.');
  return { ...(out as Omit<GlobalArgs, 'words'>), words };
}
