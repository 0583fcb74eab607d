import type { LogsRequest } from '../supervisor/api';
import { withImage } from '../targets/image/session';
import { bootsTable, readJournalLines } from '../journal-file/query';
import { identifiersOf } from '../journal-file/identifiers';
import { withCardJournal } from './card-journal';
import { HOST_LOG_IDENTIFIERS, SERVICE_IDENTIFIERS, VERBOSE_BY_DEFAULT } from './host-identifiers';

// Log commands on a card: the same request the Supervisor would answer, answered from the card's own
// persistent journal (read-only session: the card stays byte-identical).

/** The Supervisor's default number of lines (supervisor/api/host.py DEFAULT_LINES). */
export const DEFAULT_LOG_LINES = 100;

/** The identifiers a request shows (pure): the service's container, `-t`, or the host's default list. */
export function identifiersFor(request: LogsRequest): readonly string[] {
  if (request.service === 'host') return request.identifier === undefined ? HOST_LOG_IDENTIFIERS : [request.identifier];
  return [SERVICE_IDENTIFIERS[request.service]];
}

/** Verbose as the Supervisor decides it (pure): `-v`, or a default-verbose endpoint without an identifier. */
export function verboseFor(request: LogsRequest): boolean {
  return request.verbose || (VERBOSE_BY_DEFAULT.has(request.service) && request.identifier === undefined);
}

/** The formatted log lines of a request, read from the journal on the card at `imagePath`. */
export async function readCardLogs(imagePath: string, request: LogsRequest): Promise<string[]> {
  return withImage(imagePath, { write: false }, ({ ext }) =>
    withCardJournal(ext, (files) =>
      readJournalLines(files, {
        identifiers: identifiersFor(request),
        lines: request.lines ?? DEFAULT_LOG_LINES,
        verbose: verboseFor(request),
        noColors: request.noColors === true,
        ...(request.boot === undefined ? {} : { boot: request.boot }),
      })));
}

/** `host logs boots` / `host logs identifiers` on a card, shaped as the Supervisor's answers. */
export async function readCardLogLists(imagePath: string, list: 'boots' | 'identifiers'): Promise<{ boots: Record<string, string> } | { identifiers: string[] }> {
  return withImage(imagePath, { write: false }, ({ ext }) =>
    withCardJournal(ext, async (files) => (list === 'boots' ? bootsTable(files) : { identifiers: await identifiersOf(files, 'SYSLOG_IDENTIFIER') })));
}
