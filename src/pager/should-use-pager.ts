/** TERM values that cannot position the cursor. */
const DUMB_TERMS: ReadonlySet<string> = new Set(['', 'dumb', 'unknown', 'cons25-dumb']);

/**
 * Whether log output should open the viewer (pure): only on a terminal of known, non-zero size whose
 * TERM can move the cursor, and not with `--no-pager`. Otherwise logs stream as plain text.
 */
export function shouldUsePager(
  output: NodeJS.WriteStream & { columns?: number; rows?: number },
  env: NodeJS.ProcessEnv,
  noPager: boolean,
): boolean {
  if (noPager || output.isTTY !== true) return false;
  const columns = output.columns;
  const rows = output.rows;
  if (typeof columns !== 'number' || typeof rows !== 'number' || !(columns > 0) || !(rows > 1)) return false;
  return !DUMB_TERMS.has((env['TERM'] ?? '').trim());
}
