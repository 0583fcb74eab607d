import type { Config } from '../config';
import type { JsonValue, SupervisorClient } from '../supervisor/api';
import type { TargetScope } from '../targets/types';
import type { InputSource } from '../terminal/input-source';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes (`lines`). */
  readonly name: string;
  /** One-letter short name without dash (`n`). */
  readonly short?: string;
  readonly kind: 'boolean' | 'string' | 'integer';
  readonly description: string;
  /** Placeholder in help (`N`). */
  readonly valueName?: string;
}

/** Parsed flags and positionals of one command line. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | number | boolean>>;
  readonly positionals: readonly string[];
}

/** What a command returns; one renderer turns it into text or raw JSON. */
export type CommandResult =
  /** API data: printed as YAML-like text, or its raw body with --raw-json. */
  | { readonly kind: 'data'; readonly data: JsonValue; readonly body?: string }
  /** A message for people (with --raw-json, `body` if given, else an ok envelope). */
  | { readonly kind: 'text'; readonly text: string; readonly body?: string }
  /** Output was already streamed (logs, dmesg, login). */
  | { readonly kind: 'streamed' }
  /** End the REPL with this exit status. */
  | { readonly kind: 'exit'; readonly code: number };

/** Where the program writes and what the terminal can do. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Colours allowed on stdout. */
  readonly color: boolean;
  /** stdin and stdout are terminals (prompts possible). */
  readonly interactive: boolean;
}

/** Questions a command may ask (no echo for secrets). */
export interface Prompter {
  /** Reads one line without echo. Rejects with CancelledError on Ctrl-C / end of input. */
  secret(question: string, signal: AbortSignal): Promise<string>;
  /** Reads one visible line. */
  line(question: string, signal: AbortSignal): Promise<string>;
}

/** Global options from the command line (`--endpoint`, `--raw-json`, `--config`, ...). */
export interface GlobalOptions {
  readonly endpoint: string;
  readonly token: string | undefined;
  readonly rawJson: boolean;
  readonly configDir: string | undefined;
  readonly imagePath: string | undefined;
}

/** Things only the interactive console can do (kernel log again, login shell, banner). */
export interface ConsoleHooks {
  /** Runs a real root login shell on this terminal and resolves when it exits. */
  login(signal: AbortSignal): Promise<number>;
}

/** Everything a command may use; built once per command run. */
export interface CommandContext {
  readonly config: Config;
  readonly globals: GlobalOptions;
  readonly io: Io;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
  /** `repl` inside the console, `oneshot` for `ha <command>`. */
  readonly mode: 'repl' | 'oneshot';
  readonly prompter: Prompter;
  /** Lends the keyboard to a full-screen view (the log viewer). */
  readonly input: InputSource;
  /**
   * A Supervisor is configured (token, --endpoint or SUPERVISOR_ENDPOINT). Without one, on a plain Linux
   * host, `host` commands act on the machine itself.
   */
  readonly supervisorConfigured: boolean;
  /** The Supervisor client (created on first use). */
  supervisor(): SupervisorClient;
  /** The offline target from `--config`/`--image` (opened for writing unless `write` is false), or undefined to use the Supervisor. */
  recoveryTarget(options?: { readonly write: boolean }): Promise<TargetScope | undefined>;
  readonly hooks: ConsoleHooks | undefined;
}

/**
 * Where a command acts: the Supervisor API, this machine itself (`local`: its kernel log, journal, init,
 * keyboard), a Home Assistant config folder (`--config DIR`) or a disk image (`--image PATH`).
 */
export type TargetKind = 'supervisor' | 'local' | 'config' | 'image';

/** The targets a person selects with a global flag, for offline recovery. */
export type RecoveryTargetKind = Extract<TargetKind, 'config' | 'image'>;

/** A command: data (name, flags, help) plus one function. */
export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  /**
   * Where the command may act, checked before `run` (src/commands/target-support.ts): with --config or
   * --image it runs only if it lists that target. `anywhere` for commands that act on nothing (help, exit).
   */
  readonly targets: readonly TargetKind[] | 'anywhere';
  /** A fact to add when the command is refused for a recovery target (e.g. what it cannot read offline). */
  readonly targetNotes?: Readonly<Partial<Record<RecoveryTargetKind, string>>>;
  /** Positional arguments, for help (`[INTERFACE]`). */
  readonly usage?: string;
  readonly maxPositionals?: number;
  readonly examples?: readonly string[];
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandResult>;
}

/** A group of commands (`core`, `host`, ...). */
export interface GroupSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly commands: readonly CommandSpec[];
}

/** An entry of the registry: a group or a top-level command. */
export type RegistryEntry = { readonly group: GroupSpec } | { readonly command: CommandSpec };
