// Runs every bench/*.bench.mjs in turn and prints their ratios (each measured against its anchor in the same run).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
ensureBuilt();
const rows = [];
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    const results = await mod.run();
    for (const r of results) {
      rows.push(r);
      process.stdout.write(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})\n`);
    }
  } catch (error) {
    process.stdout.write(`${file} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
process.stdout.write('\n== summary\n');
for (const r of rows) process.stdout.write(`${r.name.padEnd(48)} ${r.ratio.toFixed(2)}x  ${r.detail}\n`);
