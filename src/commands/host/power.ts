import type { CommandSpec } from '../types';

/**
 * `host reboot` / `host shutdown`: through the Supervisor; through init only on a machine with no
 * Supervisor installed, or, when the installed one does not answer, after asking (`--force` skips that).
 */
export function createPowerCommand(action: 'reboot' | 'shutdown'): CommandSpec {
  const verb = action === 'reboot' ? 'Reboot' : 'Shut down';
  const done = action === 'reboot' ? 'The machine is rebooting' : 'The machine is shutting down';
  return {
    name: action,
    // cli cmd/host_reboot.go:12, cmd/host_shutdown.go:12.
    aliases: action === 'reboot' ? ['restart', 'rb'] : ['sh'],
    summary: `${verb} the machine`,
    targets: ['supervisor', 'local'],
    flags: [{ name: 'force', short: 'f', kind: 'boolean', description: 'Go ahead even during an offline database migration; with the Supervisor down, act on the machine without asking' }],
    examples: [`host ${action}`, `host ${action} --force`],
    async run(ctx, args) {
      const force = args.flags['force'] === true;
      let supervisorError: unknown;
      if (ctx.supervisorConfigured) {
        try {
          const result = await ctx.supervisor().hostPower(action, force, { signal: ctx.signal });
          return { kind: 'text', text: `${done}.`, body: result.body };
        } catch (error) {
          supervisorError = error;
        }
      }
      // Never around a Supervisor that exists: only with none installed, or after asking.
      const { confirmLocalPower, reasonToAskFirst } = await import('./local-fallback');
      const reason = await reasonToAskFirst(ctx, supervisorError);
      if (reason !== undefined && !(await confirmLocalPower(ctx, action, reason, force))) return { kind: 'text', text: 'Nothing was done.' };
      const { runLocalPower } = await import('../../host/local-power');
      ctx.io.stdout.write(`${done} (${reason === undefined ? 'no Supervisor installed' : 'without the Supervisor'}).\n`);
      const via = await runLocalPower(action);
      return { kind: 'text', text: `Requested through ${via}.` };
    },
  };
}
