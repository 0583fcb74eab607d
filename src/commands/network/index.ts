import { HaError } from '../../errors/ha-error';
import type { JsonValue } from '../../supervisor/api';
import type { GroupSpec } from '../types';

/** `network ...`: interfaces and addresses as the Supervisor sees them. */
export const networkGroup: GroupSpec = {
  name: 'network',
  aliases: ['net'],
  summary: 'Network interfaces and addresses',
  commands: [
    {
      name: 'info',
      aliases: ['inf', 'in'],
      summary: 'Show interfaces, addresses and internet access (or one interface)',
      usage: '[INTERFACE]',
      maxPositionals: 1,
      flags: [],
      targets: ['supervisor'],
      examples: ['network info', 'network info eth0'],
      async run(ctx, args) {
        const result = await ctx.supervisor().networkInfo({ signal: ctx.signal });
        const wanted = args.positionals[0];
        if (wanted === undefined) return { kind: 'data', data: result.data as unknown as JsonValue, body: result.body };
        const found = result.data.interfaces.find((i) => i.interface === wanted);
        if (!found) {
          const names = result.data.interfaces.map((i) => i.interface).join(', ') || 'none';
          throw new HaError(`No network interface named '${wanted}'.`, { hint: `Interfaces: ${names}.` });
        }
        return { kind: 'data', data: found as unknown as JsonValue };
      },
    },
  ],
};
