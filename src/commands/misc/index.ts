import type { JsonValue } from '../../supervisor/api';
import type { KernelLogOutput } from '../../console/kernel-log-output';
import type { CommandSpec } from '../types';
import { OFFLINE_LOGS_NOTES } from '../logs-command';
import { DMESG_FLAGS } from './dmesg-flags';
import { showInPager, wantsPager } from '../show-in-pager';

/** `info`: the whole system at a glance (or, with --image, what the image holds). */
export const infoCommand: CommandSpec = {
  name: 'info',
  aliases: ['in', 'inf'],
  summary: 'Show Supervisor, Core, OS and host information (with --image: what the image holds)',
  flags: [],
  targets: ['supervisor', 'image'],
  examples: ['info', 'ha --image sdcard.img info'],
  async run(ctx) {
    if (ctx.globals.imagePath !== undefined) {
      const { readImageInfo } = await import('../../targets/image/info');
      return { kind: 'data', data: (await readImageInfo(ctx.globals.imagePath)) as unknown as JsonValue };
    }
    const result = await ctx.supervisor().info({ signal: ctx.signal });
    return { kind: 'data', data: result.data, body: result.body };
  },
};

/** `banner`: host name, addresses, versions and the URL to open. */
export const bannerCommand: CommandSpec = {
  name: 'banner',
  aliases: ['ba'],
  summary: 'Show the welcome banner: addresses, versions and the URL to open',
  targets: ['supervisor', 'local'],
  flags: [{ name: 'no-wait', kind: 'boolean', description: 'Accepted for compatibility; the banner never waits' }],
  async run(ctx) {
    const { collectBanner, formatBanner } = await import('../../console/banner');
    const info = await collectBanner(ctx.supervisorConfigured ? ctx.supervisor() : undefined, ctx.signal);
    return { kind: 'text', text: formatBanner(info, { color: ctx.io.color }), body: JSON.stringify({ result: 'ok', data: info }) };
  },
};

/** `dmesg`: the kernel log again (in the viewer on a terminal). */
export const dmesgCommand: CommandSpec = {
  name: 'dmesg',
  summary: 'Show the kernel log',
  targets: ['local'],
  targetNotes: { image: OFFLINE_LOGS_NOTES.image },
  flags: DMESG_FLAGS,
  async run(ctx, args) {
    const follow = args.flags['follow'] === true;
    const print = async (output: KernelLogOutput, signal: AbortSignal): Promise<void> => {
      await (await import('../../console/kernel-log-dump')).dumpKernelLog({ source: ctx.config.kmsgPath, output, color: ctx.io.color, signal, follow });
    };
    if (!wantsPager(ctx, args.flags['no-pager'] === true)) {
      await print(ctx.io.stdout, ctx.signal);
      return { kind: 'streamed' };
    }
    // Batches go straight into the viewer, which copies the lines it keeps: one buffer serves them all.
    const { PagerFeed } = await import('../../pager/pager-feed');
    const lines = new PagerFeed();
    // Errors after the viewer closed have nobody to tell; the viewer shows those before.
    lines.on('error', () => undefined);
    const reading = new AbortController();
    const producer = print(lines, AbortSignal.any([ctx.signal, reading.signal])).then(
      () => lines.end(),
      (error: unknown) => lines.fail(error instanceof Error ? error : new Error(String(error))),
    );
    await showInPager(ctx, lines, 'Kernel log', follow);
    reading.abort();
    await producer;
    return { kind: 'streamed' };
  },
};

/** `login`: a real root shell; the console comes back when it exits. */
export const loginCommand: CommandSpec = {
  name: 'login',
  summary: 'Open a root shell of the operating system (exit returns here)',
  flags: [],
  targets: ['local'],
  async run(ctx) {
    const { runLoginShell } = await import('../../console/login-shell');
    const code = ctx.hooks ? await ctx.hooks.login(ctx.signal) : await runLoginShell();
    return ctx.mode === 'oneshot' ? { kind: 'exit', code } : { kind: 'streamed' };
  },
};

/** `exit`: leave the console. */
export const exitCommand: CommandSpec = {
  name: 'exit',
  aliases: ['quit', 'logout'],
  summary: 'Leave the console',
  flags: [],
  targets: 'anywhere',
  async run() {
    return { kind: 'exit', code: 0 };
  },
};
