import { HaError } from '../errors/ha-error';
import { decodeEnvelope, parseJson } from './decode';

/**
 * The one place that turns what the Supervisor (or something in its place) answered into a HaError:
 * one honest line, a next step, and the raw body. Pure: table-tested in tests/unit/supervisor-errors.test.ts.
 */

/** A failure the Supervisor itself reported (HTTP status and, for JSON errors, the error key). */
export class SupervisorResponseError extends HaError {
  readonly status: number;
  readonly errorKey: string | undefined;
  /** The API error message whole, when it has more than the one line in `message` (a failed `core check`). */
  readonly detail: string | undefined;

  constructor(message: string, status: number, options: { hint: string; body: string; errorKey?: string | undefined; detail?: string | undefined }) {
    super(message, { hint: options.hint, body: options.body });
    this.status = status;
    this.errorKey = options.errorKey;
    this.detail = options.detail;
  }
}

/** What came back, as errors.ts needs it. */
export interface ResponseFacts {
  readonly endpoint: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly tokenGiven: boolean;
}

/** Next step after any Supervisor-side failure. */
export const HINT_SUPERVISOR_LOGS = 'See `ha supervisor logs` for details.';
/** Next step when the token is missing or refused. */
export const HINT_TOKEN = 'Set SUPERVISOR_TOKEN (or pass --api-token) to the Supervisor API token of this console.';
/** Next step when the Supervisor is still starting. */
export const HINT_WAIT = 'Wait a minute and try again; it answers once setup has finished.';
/** Next step when the address looks wrong. */
export const HINT_ENDPOINT = 'Check SUPERVISOR_ENDPOINT or --endpoint (default http://supervisor).';

const NOT_READY = /^System is not ready with state: (\S+)/;

/** Known plain-text errors of the log endpoints, with their next step. */
const TEXT_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/journal-gatewayd|systemd-journald/i, 'The host journal is not answering; try again in a moment, or restart the host with `ha host reboot`.'],
  [/^Logs only contain \d+ boots?/, 'List the boots with `ha host logs boots`; use 0 for this boot, -1 for the previous one.'],
  [/^Invalid range header/, 'Give -n/--lines a whole number of 1 or more.'],
  [/^Invalid content type requested/, 'This console sent a log format the Supervisor does not know; please report it.'],
];

/** Maps a non-success answer (or an unreadable success) to the error to throw. */
export function errorFromResponse(facts: ResponseFacts): HaError {
  const { endpoint, status, body } = facts;
  const text = body.trim();
  if (looksLikeHtml(facts.contentType, text)) {
    return new SupervisorResponseError(`The Supervisor at ${endpoint} answered with an HTML page, not the API`, status, {
      hint: `A proxy or captive portal may be in the way. ${HINT_ENDPOINT}`,
      body,
    });
  }
  const envelope = decodeEnvelope(parseJson(text));
  if (envelope?.result === 'error') {
    const ready = NOT_READY.exec(envelope.message);
    if (ready) {
      return new SupervisorResponseError(`The Supervisor is still starting (state: ${ready[1] ?? 'unknown'})`, status, { hint: HINT_WAIT, body, errorKey: envelope.errorKey });
    }
    const hint = status === 401 || status === 403 ? HINT_TOKEN : HINT_SUPERVISOR_LOGS;
    const detail = envelope.message.trim().includes('\n') ? envelope.message : undefined;
    return new SupervisorResponseError(oneLine(envelope.message), status, { hint, body, errorKey: envelope.errorKey, detail });
  }
  if (status === 401) {
    const message = facts.tokenGiven
      ? `The Supervisor at ${endpoint} refused the API token (401: Unauthorized)`
      : `The Supervisor at ${endpoint} needs an API token and none was given (401: Unauthorized)`;
    return new SupervisorResponseError(message, status, { hint: HINT_TOKEN, body });
  }
  if (status === 403) {
    return new SupervisorResponseError(`The Supervisor at ${endpoint} does not allow this token to call ${facts.path} (403: Forbidden)`, status, { hint: HINT_TOKEN, body });
  }
  if (status === 404 || status === 405) {
    return new SupervisorResponseError(`The Supervisor at ${endpoint} does not know ${facts.path} (${status}${status === 404 ? ': Not Found' : ': Method Not Allowed'})`, status, {
      hint: `It may be older than this console; \`ha supervisor info\` shows its version. ${HINT_ENDPOINT}`,
      body,
    });
  }
  if (status >= 200 && status < 300) {
    const what = envelope === undefined && parseJson(text) === undefined ? 'a reply that is not valid JSON' : 'JSON without the API envelope';
    return new SupervisorResponseError(`The Supervisor at ${endpoint} sent ${what} for ${facts.path}`, status, {
      hint: `Something other than the Supervisor may be answering. ${HINT_ENDPOINT}`,
      body,
    });
  }
  if (text === '') {
    return new SupervisorResponseError(`The Supervisor at ${endpoint} failed with status ${status} and no message`, status, { hint: HINT_SUPERVISOR_LOGS, body });
  }
  const line = oneLine(text);
  const known = TEXT_HINTS.find(([pattern]) => pattern.test(line));
  if (known) return new SupervisorResponseError(line, status, { hint: known[1], body });
  return new SupervisorResponseError(`The Supervisor at ${endpoint} failed with status ${status}: ${line}`, status, { hint: HINT_SUPERVISOR_LOGS, body });
}

/** Maps a transport failure (no HTTP answer) to the error to throw. */
export function errorFromTransport(endpoint: string, error: unknown): HaError {
  const code = errorCode(error);
  const reason = TRANSPORT_REASONS[code] ?? (code !== '' ? code : error instanceof Error ? oneLine(error.message) : 'unknown error');
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_HTTP_HEADERS_TIMEOUT' || code === 'HPE_INVALID_CONSTANT') {
    return new HaError(`The Supervisor at ${endpoint} closed the connection before answering`, {
      hint: 'It may be restarting; try again in a minute.',
      cause: error,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new HaError(`Cannot reach the Supervisor at ${endpoint} (${reason})`, {
      hint: `The name \`supervisor\` resolves only on a Home Assistant host. ${HINT_ENDPOINT}`,
      cause: error,
    });
  }
  return new HaError(`Cannot reach the Supervisor at ${endpoint} (${reason})`, {
    hint: `It may be starting or stopped: wait a minute and try again. ${HINT_ENDPOINT}`,
    cause: error,
  });
}

const TRANSPORT_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
};

/** The call ran past its timeout. */
export function timeoutError(endpoint: string, timeoutMs: number): HaError {
  return new HaError(`The Supervisor at ${endpoint} did not answer within ${formatSeconds(timeoutMs)}`, {
    hint: 'It may be busy or starting; try again in a minute, or see `ha supervisor logs`.',
  });
}

/** A log stream ended before the Supervisor finished it. */
export function streamCutError(endpoint: string, cause?: unknown): HaError {
  return new HaError('The log stream from the Supervisor was cut', {
    hint: `The Supervisor at ${endpoint} may have restarted; run the command again.`,
    cause,
  });
}

/** A finite log stopped arriving before its end. */
export function streamStalledError(endpoint: string, stallMs: number): HaError {
  return new HaError(`The log from the Supervisor stopped arriving (nothing for ${formatSeconds(stallMs)})`, {
    hint: `The Supervisor at ${endpoint} or the host journal may be busy; run the command again, or use -n for fewer lines.`,
  });
}

/** A reply with the envelope but data of the wrong shape. */
export function unexpectedDataError(endpoint: string, path: string, detail: string, body: string): HaError {
  return new HaError(`The Supervisor at ${endpoint} sent data this console does not understand for ${path} (${detail})`, {
    hint: 'The Supervisor may be newer than this console; `ha supervisor info` shows its version.',
    body,
  });
}

function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  return /text\/html/i.test(contentType ?? '') || /^<(!doctype html|html)/i.test(text);
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return '';
}

/** First non-empty line, at most 200 characters (messages stay one line). */
function oneLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
