import type { CommandSpec } from '../types';

/** `host reboot` / `host shutdown`: asks the Supervisor; a dropped connection means it is happening. */
export function createPowerCommand(action: 'reboot' | 'shutdown'): CommandSpec {
  const verb = action === 'reboot' ? 'Reboot' : 'Shut down';
  return {
    name: action,
    aliases: action === 'reboot' ? ['restart', 'rb'] : ['halt'],
    summary: `${verb} the machine`,
    flags: [{ name: 'force', short: 'f', kind: 'boolean', description: 'Go ahead even during an offline database migration' }],
    examples: [`host ${action}`, `host ${action} --force`],
    async run(ctx, args) {
      const result = await ctx.supervisor().hostPower(action, args.flags['force'] === true, { signal: ctx.signal });
      const text = action === 'reboot' ? 'The machine is rebooting.' : 'The machine is shutting down.';
      return { kind: 'text', text, body: result.body };
    },
  };
}
