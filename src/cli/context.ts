import type { Config } from '../config';
import type { CommandContext, ConsoleHooks, GlobalOptions, Io } from '../commands/types';
import type { SupervisorClient } from '../supervisor/api';
import type { TargetScope } from '../targets/types';
import { createPrompter } from '../terminal/prompter';
import { directInputSource, type InputSource } from '../terminal/input-source';

/** Everything that stays the same across the commands of one session. */
export interface SessionParts {
  readonly config: Config;
  readonly globals: GlobalOptions;
  readonly io: Io;
  readonly mode: 'repl' | 'oneshot';
  readonly hooks: ConsoleHooks | undefined;
  /** Who lends the keyboard to prompts (the REPL's input gate; stdin itself for one-shot commands). */
  readonly input?: InputSource;
}

/** Builds the context of one command run; the Supervisor client and targets load only when used. */
export function createSessionContexts(parts: SessionParts): (signal: AbortSignal) => CommandContext {
  let client: SupervisorClient | undefined;
  const input = parts.input ?? directInputSource(parts.io.stdin);
  const prompter = createPrompter(parts.io, input);
  const supervisor = (): SupervisorClient => {
    if (!client) {
      // Loaded on first use: `ha --version` and offline commands never pay for the HTTP stack.
      const { createSupervisorClient } = require('../supervisor/client') as typeof import('../supervisor/client');
      client = createSupervisorClient({ endpoint: parts.globals.endpoint, token: parts.globals.token });
    }
    return client;
  };
  const recoveryTarget = async (options?: { readonly write: boolean }): Promise<TargetScope | undefined> => {
    const { configDir, imagePath } = parts.globals;
    if (configDir !== undefined) return (await import('../targets/config-dir/open')).openConfigDirTarget(configDir);
    if (imagePath !== undefined) return (await import('../targets/image/open')).openImageTarget(imagePath, { write: options?.write ?? true });
    return undefined;
  };
  const { config, globals } = parts;
  const supervisorConfigured = globals.token !== undefined || config.endpointFromEnv || globals.endpoint !== config.supervisorEndpoint;
    const { io, mode, hooks } = parts;
  return (signal) => ({ config, globals, io, mode, hooks, signal, prompter, input, supervisor, recoveryTarget, supervisorConfigured });
}
