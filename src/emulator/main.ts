import { readFileSync } from 'node:fs';
import { createDockerSocket } from './docker-socket';
import { createEmulator } from './emulator';
import { createMemoryTarget } from './memory-target';
import type { EmulatorOptions } from './options';
import { openConfigDirTarget } from '../targets/config-dir/open';
import type { TargetScope } from '../targets/types';

/** Command line of the emulator process. */
interface MainArgs {
  port: number;
  token: string | undefined;
  config: string | undefined;
  followEndAfter: number | undefined;
  followIntervalMs: number | undefined;
  coreStopped: boolean;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** A file whose text a failing `core check` answers with. */
  checkLog?: string;
  /** Also serve a Docker API socket here (container state from the emulator). */
  dockerSocket?: string;
  /** Print `request METHOD /path` for every request (tests count them). */
  logRequests?: boolean;
}

const USAGE =
  'usage: node dist/emulator/main.js [--port N] [--host ADDR] [--token T] [--config DIR] [--follow-end-after N] [--follow-interval-ms N] [--core-stopped] [--check-log FILE] [--docker-socket PATH] [--log-requests]';

/** Parses argv; throws with the usage line on anything unknown. */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  const args: MainArgs = { port: 0, token: undefined, config: undefined, followEndAfter: undefined, followIntervalMs: undefined, coreStopped: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${flag ?? ''} needs a value\n${USAGE}`);
      return next;
    };
    const count = (): number => {
      const text = value();
      if (!/^\d+$/.test(text)) throw new Error(`${flag ?? ''} needs a whole number\n${USAGE}`);
      return Number(text);
    };
    if (flag === '--port') args.port = count();
    else if (flag === '--token') args.token = value();
    else if (flag === '--config') args.config = value();
    else if (flag === '--follow-end-after') args.followEndAfter = count();
    else if (flag === '--follow-interval-ms') args.followIntervalMs = count();
    else if (flag === '--core-stopped') args.coreStopped = true;
    else if (flag === '--host') args.host = value();
    else if (flag === '--check-log') args.checkLog = value();
    else if (flag === '--docker-socket') args.dockerSocket = value();
    else if (flag === '--log-requests') args.logRequests = true;
    else throw new Error(`unknown argument ${flag ?? ''}\n${USAGE}`);
  }
  return args;
}

/** Opens the user store: a config folder (through the config-dir target, loaded only then) or demo users. */
function openAuth(config: string | undefined): TargetScope {
  if (config === undefined) return createMemoryTarget().scope;
  return openConfigDirTarget(config);
}

/** Starts the emulator and prints `listening <url>`; the token comes from --token or SUPERVISOR_TOKEN (never printed). */
export async function main(argv: readonly string[]): Promise<void> {
  const args = parseMainArgs(argv);
  const envToken = process.env['SUPERVISOR_TOKEN'];
  const token = args.token ?? (envToken === undefined || envToken === '' ? undefined : envToken);
  const options: EmulatorOptions = {
    port: args.port,
    auth: openAuth(args.config),
    coreRunning: !args.coreStopped,
    ...(args.logRequests === true ? { onRequest: (line: string) => void process.stdout.write(`request ${line}\n`) } : {}),
    ...(args.host === undefined ? {} : { host: args.host }),
    ...(args.checkLog === undefined ? {} : { checkLog: readFileSync(args.checkLog, 'utf8') }),
    ...(token === undefined ? {} : { token }),
    ...(args.followEndAfter === undefined ? {} : { followEndAfter: args.followEndAfter, followIntervalMs: 0 }),
    ...(args.followIntervalMs === undefined ? {} : { followIntervalMs: args.followIntervalMs }),
  };
  const emulator = await createEmulator(options);
  const docker = args.dockerSocket === undefined ? undefined : await createDockerSocket(args.dockerSocket, emulator.state);
  process.stdout.write(`listening ${emulator.url}\n`);
  const stop = (): void => {
    void Promise.all([emulator.close(), docker?.close()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
