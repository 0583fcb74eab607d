import { writeSync } from 'node:fs';
import { loadConfig, normalizeEndpoint, type Config } from '../config';
import type { GlobalOptions, Io } from '../commands/types';
import { plainDmesgFlags } from '../commands/misc/dmesg-flags';
import { UsageError } from '../errors/usage-error';
import { renderError, exitCodeOf } from '../render/error';
import { maskCredentials } from '../render/mask-credentials';
import { supportsColor } from '../terminal/capabilities';
import { parseGlobalArgs, type GlobalArgs } from './global-flags';

/** The version printed by `ha --version`. */
function version(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Prints `ha --version` with one write to fd 1: making process.stdout on a pipe or terminal loads Node's
 * stream and net code (3-7 ms) for one line. Returns the exit status (1 when stdout is closed).
 */
function printVersion(): number {
  const line = `ha-console ${version()}\n`;
  try {
    writeSync(1, line);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return 1;
    process.stdout.write(line);
  }
  return 0;
}

/**
 * The process's terminal streams. stdin (and whether it is a terminal) is made on first use: building it
 * loads Node's stream code, and for a terminal its tty and net modules (several milliseconds); most
 * commands (`ha dmesg`, `ha core info`) never read it.
 */
function makeIo(config: Config, args: GlobalArgs): Io {
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    color: supportsColor(process.stdout, process.env, config.noColor || args.noColor),
    get interactive() {
      return process.stdin.isTTY === true && process.stdout.isTTY === true;
    },
  };
}

/** The Supervisor endpoint, refused as a usage error when it is no URL (`http://[::1`); credentials never shown. */
function checkedEndpoint(config: Config, args: GlobalArgs): string {
  const endpoint = args.endpoint !== undefined ? normalizeEndpoint(args.endpoint) : config.supervisorEndpoint;
  if (!URL.canParse(endpoint)) {
    const from = args.endpoint !== undefined ? '--endpoint' : 'SUPERVISOR_ENDPOINT';
    throw new UsageError(`${from} is not a valid URL: ${maskCredentials(endpoint)}`, 'Example: --endpoint http://172.30.32.2 (a bare host gets http://; write IPv6 addresses in brackets, [::1]).');
  }
  return endpoint;
}

/** A reader that went away (`ha core logs -f | head -1`) ends the program quietly with 0, as SIGPIPE ends coreutils. */
function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
}

function makeGlobals(config: Config, args: GlobalArgs): GlobalOptions {
  return {
    endpoint: checkedEndpoint(config, args),
    token: args.apiToken ?? config.supervisorToken,
    rawJson: args.rawJson || process.env['SUPERVISOR_RAW_JSON'] === 'true',
    configDir: args.configDir,
    imagePath: args.imagePath,
  };
}

/** `ha console --serial DEV [--baud N]`: the same console with the serial port as its terminal. */
async function runSerialConsole(args: GlobalArgs, parts: { config: Config; globals: GlobalOptions; io: Io }, runConsole: typeof import('../console/run-console').runConsole): Promise<number> {
  const { openSerialIo, parseBaud, serialColor } = await import('../terminal/serial-io');
  let serial: Awaited<ReturnType<typeof openSerialIo>>;
  try {
    const color = serialColor(process.env, parts.config.noColor || args.noColor);
    serial = await openSerialIo({ path: args.serial ?? '', baud: parseBaud(args.baud), color });
  } catch (error) {
    process.stderr.write(renderError(error, { color: false, debug: parts.config.debug }));
    return exitCodeOf(error);
  }
  try {
    const kmsgPath = args.kmsg ?? parts.config.kmsgPath;
    return await runConsole({ parts: { ...parts, config: { ...parts.config, kmsgPath }, io: serial.io }, kmsgSource: kmsgPath, loginTerminal: serial });
  } finally {
    await serial.close();
  }
}

/**
 * `ha dmesg` printed as a plain stream (`--no-pager`, or output that is no terminal) without loading the
 * command table: only the kernel log modules, so printing starts as soon as Node has. Does the same as the
 * `dmesg` command would (same source, colours, errors, Ctrl-C for `-f`). Returns undefined when the
 * command table must decide (the viewer, --help, another flag, --config/--image).
 */
async function dmesgAsPlainStream(args: GlobalArgs, parts: { config: Config; globals: GlobalOptions; io: Io }): Promise<number | undefined> {
  const flags = plainDmesgFlags(args.words.slice(1));
  if (flags === undefined) return undefined;
  if (parts.globals.configDir !== undefined || parts.globals.imagePath !== undefined) return undefined;
  if (!flags.has('no-pager') && (parts.io.stdout as NodeJS.WriteStream).isTTY === true) return undefined;
  const follow = flags.has('follow');
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  try {
    const options = { source: parts.config.kmsgPath, output: parts.io.stdout, color: parts.io.color, signal: controller.signal };
    await (await import('../console/kernel-log-dump')).dumpKernelLog({ ...options, follow });
    return 0;
  } catch (error) {
    process.stderr.write(renderError(error, { color: parts.io.color, debug: parts.config.debug }));
    return exitCodeOf(error);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/**
 * `ha console` and `ha demo` take no words after their name (their flags are global ones): `--help` shows how
 * `ha` is called, anything else is wrong usage rather than silently ignored.
 */
async function modeWords(mode: string, rest: readonly string[], config: Config): Promise<number> {
  const { USAGE } = await import('../commands/help');
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    process.stdout.write(`${USAGE}\n\nGlobal flags and commands: ha --help\n`);
    return 0;
  }
  const { clip } = await import('../commands/resolve');
  const error = new UsageError(`'ha ${mode}' takes no arguments: '${clip(rest[0] ?? '')}'.`, `Run 'ha ${mode} --help' to see how it is called.`);
  process.stderr.write(renderError(error, { color: false, debug: config.debug }));
  return exitCodeOf(error);
}

/** Entry point: argv (without node and script) → mode → exit status. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const config = loadConfig();
  let args: GlobalArgs;
  try {
    args = parseGlobalArgs(argv);
  } catch (error) {
    process.stderr.write(renderError(error, { color: false, debug: config.debug }));
    return exitCodeOf(error);
  }
  if (args.version) return printVersion();
  exitQuietlyWhenStdoutCloses();
  const io = makeIo(config, args);
  let globals: GlobalOptions;
  try {
    globals = makeGlobals(config, args);
  } catch (error) {
    process.stderr.write(renderError(error, { color: false, debug: config.debug }));
    return exitCodeOf(error);
  }
  const parts = { config, globals, io };
  const first = args.words[0];
  if ((first === 'demo' || first === 'console') && args.words.length > 1) return modeWords(first, args.words.slice(1), config);
  if (first === 'demo') return (await import('./demo')).runDemo(parts, args);
  // login(1) starts a login shell with a leading dash in argv0 (`-ha`): that is the appliance console.
  const loginShell = args.login || (process.argv0.startsWith('-') && args.words.length === 0 && args.commandString === undefined);
  if (first === 'console' || loginShell) {
    // Loaded only then: nothing may delay the console's first kernel line.
    const refused = (globals.configDir ?? globals.imagePath) !== undefined ? (await import('../commands/target-support')).consoleTargetError(globals) : undefined;
    if (refused) {
      process.stderr.write(renderError(refused, { color: false, debug: config.debug }));
      return exitCodeOf(refused);
    }
    const { runConsole } = await import('../console/run-console');
    if (args.serial !== undefined) return runSerialConsole(args, parts, runConsole);
    // `dmesg` at the prompt shows the same kernel log as the console did.
    const kmsgPath = args.kmsg ?? config.kmsgPath;
    return runConsole({ parts: { ...parts, config: { ...config, kmsgPath } }, kmsgSource: kmsgPath });
  }
  if (first === 'dmesg' && args.commandString === undefined && !args.help) {
    const streamed = await dmesgAsPlainStream(args, parts);
    if (streamed !== undefined) return streamed;
  }
  const { executeWords } = await import('../commands/execute');
  const { createSessionContexts } = await import('../cli/context');
  const contextFor = createSessionContexts({ ...parts, mode: 'oneshot', hooks: undefined });
  if (args.help && args.words.length === 0) return (await executeWords(['help'], contextFor(new AbortController().signal))).code;
  let words = args.words;
  if (args.commandString !== undefined) {
    const { tokenize } = await import('../cli/tokenize');
    try {
      words = tokenize(args.commandString);
    } catch (error) {
      process.stderr.write(renderError(error, { color: io.color, debug: config.debug }));
      return exitCodeOf(error);
    }
    if (words[0] === 'ha' && words.length > 1) words = words.slice(1);
  }
  if (words.length === 0) {
    const { runRepl } = await import('../console/repl');
    const { createLoginHook } = await import('../console/login-hook');
    const { InputGate } = await import('../console/input-gate');
    const gate = new InputGate(io.stdin);
    const replContext = createSessionContexts({ ...parts, mode: 'repl', hooks: createLoginHook(io, gate), input: gate });
    return runRepl({ io, gate, historyFile: config.historyFile, debug: config.debug, contextFor: replContext });
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  try {
    return (await executeWords(words, contextFor(controller.signal))).code;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
