/** Whether colours may be used on a stream: a terminal, not dumb, and not turned off (NO_COLOR, --no-color). */
export function supportsColor(stream: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv, disabled: boolean): boolean {
  if (disabled) return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  if (stream.isTTY !== true) return false;
  const term = env['TERM'] ?? '';
  return term !== 'dumb';
}

/** Width of the terminal; 0 when unknown (serial consoles report 0x0). */
export function terminalColumns(stream: NodeJS.WritableStream & { columns?: number }): number {
  return typeof stream.columns === 'number' && Number.isFinite(stream.columns) ? stream.columns : 0;
}
