import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LogService, LogsRequest } from '../supervisor/api';
import type { CommandContext, CommandSpec, FlagSpec, TargetKind } from './types';
import { UsageError } from '../errors/usage-error';
import { safeLogLine } from '../render/safe-text';
import { createSafeLogStream } from '../render/safe-log-stream';
import { showInPager, wantsPager } from './show-in-pager';

/** Flags every logs command takes, as the `ha` CLI names them. */
export const LOGS_FLAGS: readonly FlagSpec[] = [
  { name: 'follow', short: 'f', kind: 'boolean', description: 'Keep printing new lines as they arrive (Ctrl-C stops)' },
  { name: 'lines', short: 'n', kind: 'integer', valueName: 'N', description: 'Show the last N lines (default 100)' },
  { name: 'boot', short: 'b', kind: 'string', valueName: 'BOOT', description: 'Logs of a boot: 0 this one, -1 the one before, or a boot id' },
  { name: 'verbose', short: 'v', kind: 'boolean', description: 'Journal format with time, host and process' },
  { name: 'no-pager', kind: 'boolean', description: 'Print the logs as a plain stream' },
];

/** What the offline targets cannot give a log command, said as it is. */
export const OFFLINE_LOGS_NOTES = {
  image: "A card's kernel messages are in its journal: ha --image CARD host logs -t kernel.",
  config: "A config folder holds only Core's own log; this one is in the journal on the card (--image).",
} as const;

/** Builds the logs request from parsed flags (pure). */
export function buildLogsRequest(service: LogService, flags: Readonly<Record<string, string | number | boolean>>): LogsRequest {
  const lines = flags['lines'];
  if (typeof lines === 'number' && lines < 1) throw new UsageError(`--lines must be at least 1 (got ${lines}).`, 'Example: -n 50');
  const boot = flags['boot'];
  const identifier = flags['identifier'];
  return {
    service,
    follow: flags['follow'] === true,
    verbose: flags['verbose'] === true,
    ...(typeof lines === 'number' ? { lines } : {}),
    ...(typeof boot === 'string' ? { boot } : {}),
    ...(typeof identifier === 'string' ? { identifier } : {}),
  };
}

/** Where a service's log can be read: the journal on a card for all, a config folder's log file for Core. */
function logTargets(service: LogService): TargetKind[] {
  if (service === 'host') return ['supervisor', 'local', 'image'];
  return service === 'core' ? ['supervisor', 'config', 'image'] : ['supervisor', 'image'];
}

/** Reads a log from the card (--image) or the config folder (--config): a finite list of entries. */
async function readOfflineLog(ctx: CommandContext, request: LogsRequest): Promise<string[]> {
  if (request.follow) throw new UsageError('-f/--follow does not apply offline: nothing writes to this log any more.', 'Leave out -f to read it.');
  if (ctx.globals.imagePath !== undefined) return (await import('../offline/card-logs')).readCardLogs(ctx.globals.imagePath, request);
  const { readConfigLog } = await import('../offline/config-log');
  const { lines, note } = await readConfigLog(ctx.globals.configDir ?? '.', request.boot, request.lines ?? 100);
  if (note !== undefined) ctx.io.stderr.write(`${note}\n`);
  return lines;
}

/** Shows finished log entries: the viewer on a terminal, else each entry (whole, with its traceback) and a newline. */
async function showOfflineLog(ctx: CommandContext, lines: readonly string[], title: string, noPager: boolean): Promise<void> {
  const text = lines.map((line) => `${safeLogLine(line, ctx.io.color)}\n`);
  if (wantsPager(ctx, noPager)) return showInPager(ctx, Readable.from(text), title, false);
  for (const chunk of text) ctx.io.stdout.write(chunk);
}

/** A `<service> logs` command: streams the Supervisor's log endpoint, or reads the log offline from a card or config folder. */
export function createLogsCommand(service: LogService, what: string, extraFlags: readonly FlagSpec[] = []): CommandSpec {
  const targets = logTargets(service);
  return {
    name: 'logs',
    aliases: ['log', 'lg'],
    summary: `Show the log of ${what}`,
    flags: [...LOGS_FLAGS, ...extraFlags],
    targets,
    ...(targets.includes('config') ? {} : { targetNotes: { config: OFFLINE_LOGS_NOTES.config } }),
    examples: [`${service} logs -n 50`, `${service} logs -f`, `${service} logs -b -1 -v`],
    async run(ctx, args) {
      const request = { ...buildLogsRequest(service, args.flags), noColors: !ctx.io.color };
      const noPager = args.flags['no-pager'] === true;
      if (ctx.globals.imagePath !== undefined || ctx.globals.configDir !== undefined) {
        await showOfflineLog(ctx, await readOfflineLog(ctx, request), `${what} logs (${ctx.globals.imagePath ?? ctx.globals.configDir ?? ''})`, noPager);
        return { kind: 'streamed' };
      }
      const usePager = wantsPager(ctx, noPager);
      if (service === 'host' && !ctx.supervisorConfigured) {
        const journal = await import('../host/local-logs');
        if (!usePager) await journal.streamLocalJournal(request, ctx.io.stdout, ctx.signal, ctx.io.color);
        else {
          const child = journal.spawnJournal(request);
          child.once('error', () => undefined);
          await showInPager(ctx, child.stdout, 'Host journal (this machine)', request.follow);
          child.kill('SIGTERM');
        }
        return { kind: 'streamed' };
      }
      const stream = await ctx.supervisor().openLogs(request, { signal: ctx.signal });
      if (usePager) {
        await showInPager(ctx, stream, `${what} logs`, request.follow);
        return { kind: 'streamed' };
      }
      await pipeline(stream, createSafeLogStream(ctx.io.color), ctx.io.stdout, { end: false, signal: ctx.signal });
      return { kind: 'streamed' };
    },
  };
}
