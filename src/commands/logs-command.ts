import { pipeline } from 'node:stream/promises';
import type { LogService, LogsRequest } from '../supervisor/api';
import type { CommandSpec, FlagSpec } from './types';
import { UsageError } from '../errors/usage-error';
import { showInPager, wantsPager } from './show-in-pager';
import { createSafeLogStream } from '../render/safe-log-stream';

/** Flags every logs command takes, as the `ha` CLI names them. */
export const LOGS_FLAGS: readonly FlagSpec[] = [
  { name: 'follow', short: 'f', kind: 'boolean', description: 'Keep printing new lines as they arrive (Ctrl-C stops)' },
  { name: 'lines', short: 'n', kind: 'integer', valueName: 'N', description: 'Show the last N lines (default 100)' },
  { name: 'boot', short: 'b', kind: 'string', valueName: 'BOOT', description: 'Logs of a boot: 0 this one, -1 the one before, or a boot id' },
  { name: 'verbose', short: 'v', kind: 'boolean', description: 'Journal format with time, host and process' },
  { name: 'no-pager', kind: 'boolean', description: 'Print the logs as a plain stream' },
];

/** Why log commands are refused with --image / --config: said as it is, no promise. */
export const OFFLINE_LOGS_NOTES = {
  image: 'This version cannot read the journal of a card or image.',
  config: 'This version cannot read home-assistant.log from a config folder.',
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

/** A `<service> logs` command: streams the Supervisor's log endpoint to the screen as it arrives. */
export function createLogsCommand(service: LogService, what: string, extraFlags: readonly FlagSpec[] = []): CommandSpec {
  return {
    name: 'logs',
    aliases: ['log', 'lg'],
    summary: `Show the log of ${what}`,
    flags: [...LOGS_FLAGS, ...extraFlags],
    // TODO(issue 12): read the card's journal with --image and home-assistant.log with --config.
    targets: service === 'host' ? ['supervisor', 'local'] : ['supervisor'],
    // A config folder holds Core's home-assistant.log only; the others live in the journal.
    targetNotes: service === 'core' ? OFFLINE_LOGS_NOTES : { image: OFFLINE_LOGS_NOTES.image },
    examples: [`${service} logs -n 50`, `${service} logs -f`, `${service} logs -b -1 -v`],
    async run(ctx, args) {
      const request = { ...buildLogsRequest(service, args.flags), noColors: !ctx.io.color };
      const usePager = wantsPager(ctx, args.flags['no-pager'] === true);
      if (service === 'host' && !ctx.supervisorConfigured) {
        const journal = await import('../host/local-logs');
        if (!usePager) await journal.streamLocalJournal(request, ctx.io.stdout, ctx.signal);
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
