import { safeInline } from '../../render/safe-text';

/** Cells as an aligned table under a header; every cell made safe for the terminal (pure). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => safeInline(cell) as string));
  const widths = header.map((h, i) => Math.max(h.length, ...safe.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...safe.map(line)].join('\n');
}
