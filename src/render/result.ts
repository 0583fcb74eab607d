import type { CommandResult } from '../commands/types';
import { safeLogLine } from './safe-text';
import { toYaml } from './yaml';

/** Text printed when a command succeeds with nothing to show (as the `ha` CLI prints it). */
export const COMPLETED_TEXT = 'Command completed successfully.';

/**
 * Turns a command result into what goes to stdout: YAML/text for people (made safe: a text result keeps only
 * SGR colours, every other control is shown visibly), the verbatim body for --raw-json.
 */
export function renderResult(result: CommandResult, rawJson: boolean): string {
  switch (result.kind) {
    case 'data':
      if (rawJson) return ensureNewline(result.body ?? JSON.stringify({ result: 'ok', data: result.data }));
      if (result.data !== null && typeof result.data === 'object' && !Array.isArray(result.data) && Object.keys(result.data).length === 0) return `${COMPLETED_TEXT}\n`;
      return toYaml(result.data);
    case 'text':
      if (rawJson) return ensureNewline(result.body ?? JSON.stringify({ result: 'ok', data: {} }));
      return safeLogLine(ensureNewline(result.text));
    case 'streamed':
    case 'exit':
      return '';
  }
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
