import { resolve } from 'node:path';
import type { Config } from '../config';
import type { CommandContext, ConsoleHooks, GlobalOptions, Io } from '../commands/types';
import type { SupervisorClient } from '../supervisor/api';
import { discoverSupervisor, type SupervisorTarget } from '../supervisor/discovery';
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
  const target = supervisorTargetFor(parts);
  const input = parts.input ?? directInputSource(parts.io.stdin);
  const prompter = createPrompter(parts.io, input);
  const supervisor = (): SupervisorClient => {
    if (!client) {
      // Loaded on first use: `ha --version` and offline commands never pay for the HTTP stack.
      const { createSupervisorClient } = require('../supervisor/client') as typeof import('../supervisor/client');
      client = createSupervisorClient({ endpoint: target.endpoint, token: target.token, reloadToken: target.reloadToken, dockerSocket: parts.config.dockerSocket });
    }
    return client;
  };
  const recoveryTarget = async (options?: { readonly write: boolean }): Promise<TargetScope | undefined> => {
    const { configDir, imagePath } = parts.globals;
    if (configDir !== undefined) {
      const { openConfigDirTarget } = await import('../targets/config-dir/open');
      if (!target.configured || resolve(configDir) !== resolve(parts.config.hostConfigDir)) return openConfigDirTarget(configDir);
      // On a device, Core runs in a container on the host's config folder: ask the Supervisor too.
      const { findRunningHass } = await import('../targets/config-dir/find-running-hass');
      const { probeCoreRunning } = await import('../supervisor/core-state');
      return openConfigDirTarget(configDir, {
        isRunning: async (dir) =>
          (await findRunningHass(dir)) ??
          ((await probeCoreRunning(supervisor(), { timeoutMs: 3000 })) === 'running' ? 'the Supervisor reports Home Assistant Core as running' : undefined),
      });
    }
    if (imagePath !== undefined) return (await import('../targets/image/open')).openImageTarget(imagePath, { write: options?.write ?? true });
    return undefined;
  };
  const supervisorConfigured = target.configured;
  const { config, globals, io, mode, hooks } = parts;
  return (signal) => ({ config, globals, io, mode, hooks, signal, prompter, input, supervisor, recoveryTarget, supervisorConfigured });
}

/** Where the Supervisor is: what was given (--endpoint, SUPERVISOR_ENDPOINT, a token), else found on the host. */
function supervisorTargetFor(parts: SessionParts): SupervisorTarget {
  const { config, globals } = parts;
  const endpointGiven = config.endpointFromEnv || globals.endpoint !== config.supervisorEndpoint;
  return discoverSupervisor(config, { endpoint: endpointGiven ? globals.endpoint : undefined, token: globals.token });
}
