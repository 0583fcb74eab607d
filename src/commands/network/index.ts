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
      usage: '[INTERFACE|default]',
      maxPositionals: 1,
      flags: [],
      targets: ['supervisor'],
      examples: ['network info', 'network info eth0', 'network info default'],
      // As the Go CLI (cli cmd/network_info.go:29-34): one interface is `GET /network/interface/{name}/info`;
      // the Supervisor takes `default` for the primary one (supervisor/api/network.py:192-206).
      async run(ctx, args) {
        const wanted = args.positionals[0];
        const path = wanted === undefined ? '/network/info' : `/network/interface/${encodeURIComponent(wanted)}/info`;
        const result = await ctx.supervisor().call('GET', path, undefined, { signal: ctx.signal });
        return { kind: 'data', data: result.data, body: result.body };
      },
    },
  ],
};
