import type { CommandSpec } from '../types';

/** `host reboot` / `host shutdown`: through the Supervisor, or on a plain Linux host through init. */
export function createPowerCommand(action: 'reboot' | 'shutdown'): CommandSpec {
  const verb = action === 'reboot' ? 'Reboot' : 'Shut down';
  const done = action === 'reboot' ? 'The machine is rebooting' : 'The machine is shutting down';
  return {
    name: action,
    aliases: action === 'reboot' ? ['restart', 'rb'] : ['halt'],
    summary: `${verb} the machine`,
    targets: ['supervisor', 'local'],
    flags: [{ name: 'force', short: 'f', kind: 'boolean', description: 'Go ahead even during an offline database migration (Supervisor)' }],
    examples: [`host ${action}`, `host ${action} --force`],
    async run(ctx, args) {
      if (!ctx.supervisorConfigured) {
        const { runLocalPower } = await import('../../host/local-power');
        ctx.io.stdout.write(`${done} (no Supervisor configured).\n`);
        const via = await runLocalPower(action);
        return { kind: 'text', text: `Requested through ${via}.` };
      }
      const result = await ctx.supervisor().hostPower(action, args.flags['force'] === true, { signal: ctx.signal });
      return { kind: 'text', text: `${done}.`, body: result.body };
    },
  };
}
