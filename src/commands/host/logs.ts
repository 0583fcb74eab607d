import { UsageError } from '../../errors/usage-error';
import { createLogsCommand } from '../logs-command';
import type { CommandContext, CommandResult, CommandSpec } from '../types';

/** `host logs boots|identifiers` and their aliases, as the Go CLI has them (cli cmd/host_logs_boots.go:12-13, host_logs_identifiers.go:11-12). */
const LISTS: ReadonlyArray<{ readonly names: readonly string[]; readonly path: string }> = [
  { names: ['boots', 'list-boots', 'lb'], path: '/host/logs/boots' },
  { names: ['identifiers', 'ids', 'list-identifiers', 'li'], path: '/host/logs/identifiers' },
];

const base = createLogsCommand('host', 'the host system (journal)', [
  { name: 'identifier', short: 't', kind: 'string', valueName: 'ID', description: 'Only entries of this syslog identifier (e.g. NetworkManager)' },
]);

/** `GET /host/logs/boots` (offsets to boot ids) or `/host/logs/identifiers`; with --image, the same from the card's journal. */
async function runList(ctx: CommandContext, word: string, flagsGiven: boolean): Promise<CommandResult> {
  const list = LISTS.find((l) => l.names.includes(word));
  if (list === undefined) throw new UsageError(`'host logs' does not take '${word}'.`, "Use 'host logs boots' or 'host logs identifiers', or no word for the log itself.");
  if (flagsGiven) throw new UsageError(`'host logs ${list.names[0] ?? word}' takes no flags.`, `Run 'host logs ${list.names[0] ?? word}' alone.`);
  if (ctx.globals.imagePath !== undefined) {
    const { readCardLogLists } = await import('../../offline/card-logs');
    return { kind: 'data', data: await readCardLogLists(ctx.globals.imagePath, list.path.endsWith('boots') ? 'boots' : 'identifiers') };
  }
  const result = await ctx.supervisor().call('GET', list.path, undefined, { signal: ctx.signal });
  return { kind: 'data', data: result.data, body: result.body };
}

/** `host logs`: the host journal, or with `boots`/`identifiers` the lists the Supervisor keeps of them. */
export const hostLogsCommand: CommandSpec = {
  ...base,
  usage: '[boots|identifiers]',
  maxPositionals: 1,
  examples: [...(base.examples ?? []), 'host logs boots', 'host logs identifiers', 'host logs -t NetworkManager'],
  run: (ctx, args) => {
    const word = args.positionals[0];
    if (word === undefined) return base.run(ctx, args);
    return runList(ctx, word, Object.keys(args.flags).length > 0);
  },
};
