// A small program around openPager for tests, the benchmark and trying the viewer by hand:
//   node dist/pager/pager-demo.js --file PATH [--follow] [--title T] [--no-color] [--max-lines N] [--max-bytes N] [--wait-key] [--warm]
// PATH may be a FIFO (lines arrive as they are written). With --wait-key, the viewer module loads and opens
// only after the first key (it prints `ready` when it waits), so a benchmark can time key-to-first-screen. After the viewer closes it prints
// one line describing the terminal state it left, for tests to check.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

interface DemoArgs {
  file: string;
  follow: boolean;
  title: string;
  color: boolean;
  maxLines: number | undefined;
  maxBytes: number | undefined;
  waitKey: boolean;
  warm: boolean;
}

function parseArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { file: '', follow: false, title: 'log', color: true, maxLines: undefined, maxBytes: undefined, waitKey: false, warm: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--file') args.file = value();
    else if (flag === '--follow') args.follow = true;
    else if (flag === '--title') args.title = value();
    else if (flag === '--no-color') args.color = false;
    else if (flag === '--max-lines') args.maxLines = Number(value());
    else if (flag === '--max-bytes') args.maxBytes = Number(value());
    else if (flag === '--wait-key') args.waitKey = true;
    else if (flag === '--warm') args.warm = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (args.file === '') throw new Error('--file PATH is required');
  return args;
}

function waitForKey(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    });
    process.stdout.write('ready\n');
  });
}

/**
 * `--warm`: the state of the console at its prompt before a key opens the viewer: the viewer module
 * loaded at idle (the console does that), and the Node internals the console has already used by then
 * (file streams, abort signals with listeners for each command, readline's string decoder).
 */
async function warmUp(): Promise<void> {
  await import('./open-pager');
  await new Promise<void>((resolve) => createReadStream('/dev/null').on('close', resolve).resume());
  const controller = new AbortController();
  controller.signal.addEventListener('abort', () => undefined, { once: true });
  controller.abort();
  new StringDecoder('utf8').write(Buffer.from('warm'));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.warm) await warmUp();
  if (args.waitKey) await waitForKey();
  const { openPager } = await import('./open-pager');
  const source = createReadStream(args.file);
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  await openPager({
    source,
    input: process.stdin,
    output: process.stdout,
    title: args.title,
    follow: args.follow,
    color: args.color,
    signal: controller.signal,
    ...(args.maxLines === undefined ? {} : { maxLines: args.maxLines }),
    ...(args.maxBytes === undefined ? {} : { maxBytes: args.maxBytes }),
  });
  source.destroy();
  const stdin = process.stdin;
  process.stdout.write(
    `pager closed: raw=${String(stdin.isRaw)} paused=${String(stdin.isPaused())} dataListeners=${stdin.listenerCount('data')} ` +
      `resizeListeners=${process.stdout.listenerCount('resize')} maxRssKiB=${process.resourceUsage().maxRSS}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`pager-demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
