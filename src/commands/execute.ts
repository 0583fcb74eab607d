import { parseFlags } from '../cli/parse-flags';
import { UsageError } from '../errors/usage-error';
import { exitCodeOf, renderError, EXIT_OK } from '../render/error';
import { renderResult } from '../render/result';
import { isHaError } from '../errors/ha-error';
import { renderCommandHelp, renderGroupHelp, renderRootHelp } from './help';
import { resolveCommand } from './resolve';
import { checkGroupSupport, checkTargetSupport, recoveryTargetOf, registryFor } from './target-support';
import type { CommandContext, GlobalOptions } from './types';

/** What running one command line ended with. */
export interface Outcome {
  readonly code: number;
  /** The command asked to leave the console (`exit`). */
  readonly exit: boolean;
}

/** Renders help for `help [words...]` (pure over the registry): with --config/--image, only what works there. */
function helpFor(words: readonly string[], oneshot: boolean, globals: GlobalOptions): string {
  const target = recoveryTargetOf(globals);
  if (words.length === 0) return renderRootHelp({ oneshot, ...(target ? { target } : {}) }, registryFor(target));
  const resolved = resolveCommand(words);
  return resolved.kind === 'group' ? renderGroupHelp(checkGroupSupport(resolved.group, globals)) : renderCommandHelp(resolved.command, resolved.path);
}

/**
 * Runs one command given as words: resolve, parse flags, help, run, render. Never throws: every
 * failure becomes `Error: ...` + hint on stderr and an exit status (0 ok, 1 failed, 2 usage).
 */
export async function executeWords(words: readonly string[], ctx: CommandContext): Promise<Outcome> {
  const { stdout, stderr } = ctx.io;
  const oneshot = ctx.mode === 'oneshot';
  try {
    const resolved = resolveCommand(words);
    if (resolved.kind === 'command' && resolved.note && !oneshot) stderr.write(`${resolved.note}\n`);
    if (resolved.kind === 'group') {
      const extra = resolved.rest.filter((w) => w !== '--help' && w !== '-h');
      if (extra.length > 0) throw new UsageError(`'${resolved.path}' needs a command first.`, `'${resolved.path}' has: ${resolved.group.commands.map((c) => c.name).join(', ')}.`);
      stdout.write(`${renderGroupHelp(checkGroupSupport(resolved.group, ctx.globals))}\n`);
      return { code: EXIT_OK, exit: false };
    }
    const { command, path } = resolved;
    const args = parseFlags(resolved.rest, command.flags, path);
    if (args.flags['help'] === true) {
      stdout.write(`${renderCommandHelp(command, path)}\n`);
      return { code: EXIT_OK, exit: false };
    }
    if (command.name === 'help' && path === 'help') {
      stdout.write(`${helpFor(args.positionals, oneshot, ctx.globals)}\n`);
      return { code: EXIT_OK, exit: false };
    }
    // The one place where --config/--image meet a command: refused here, nothing is opened or sent.
    checkTargetSupport(command, path, ctx.globals);
    // A file given to --config is explained before a command asks anything (a password twice, say).
    if (ctx.globals.configDir !== undefined && command.targets !== 'anywhere') await (await import('../targets/config-dir/open')).checkConfigFolder(ctx.globals.configDir);
    if (args.positionals.length > (command.maxPositionals ?? 0)) {
      throw new UsageError(`'${path}' does not take '${args.positionals[command.maxPositionals ?? 0]}'.`, `Run '${path} --help' to see its usage.`);
    }
    const result = await command.run(ctx, args);
    stdout.write(renderResult(result, ctx.globals.rawJson));
    if (result.kind === 'exit') return { code: result.code, exit: true };
    return { code: EXIT_OK, exit: false };
  } catch (error) {
    if (ctx.globals.rawJson && isHaError(error) && error.body !== undefined) stdout.write(error.body.endsWith('\n') ? error.body : `${error.body}\n`);
    stderr.write(renderError(error, { color: ctx.io.color, debug: ctx.config.debug }));
    return { code: exitCodeOf(error), exit: false };
  }
}
