import type { ApiResult, CallOptions, JsonValue, SupervisorClient } from '../supervisor/api';
import type { CommandSpec, FlagSpec, ParsedArgs, TargetKind } from './types';

/** Timeout of core start/stop/restart, as the `ha` CLI allows (they wait for the container). */
export const CORE_ACTION_TIMEOUT_MS = 10 * 60 * 1000;

type Fetch = (client: SupervisorClient, args: ParsedArgs, options: CallOptions) => Promise<ApiResult<unknown>>;

/** A command that makes one Supervisor call and shows its data (`core info`, `dns info`, ...). */
export function createApiCommand(spec: {
  name: string;
  aliases?: readonly string[];
  summary: string;
  flags?: readonly FlagSpec[];
  examples?: readonly string[];
  /** Default: the Supervisor only. */
  targets?: readonly TargetKind[];
  fetch: Fetch;
}): CommandSpec {
  return {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    summary: spec.summary,
    flags: spec.flags ?? [],
    targets: spec.targets ?? ['supervisor'],
    ...(spec.examples ? { examples: spec.examples } : {}),
    async run(ctx, args) {
      const result = await spec.fetch(ctx.supervisor(), args, { signal: ctx.signal });
      return { kind: 'data', data: result.data as JsonValue, body: result.body };
    },
  };
}

/** A command that GETs one JSON endpoint. */
export function createGetCommand(name: string, summary: string, path: string, aliases?: readonly string[]): CommandSpec {
  return createApiCommand({
    name,
    summary,
    ...(aliases ? { aliases } : {}),
    fetch: (client, _args, options) => client.call('GET', path, undefined, options),
  });
}
