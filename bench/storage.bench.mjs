// Benchmarks of the .storage library against anchors measured in the same run:
// - storage-json: exact decode+encode of a store (order- and number-preserving) vs JSON.parse + JSON.stringify.
// - storage-bcrypt: hashing a password at cost 12 (bcryptjs, what `auth reset` uses) vs hash-wasm's WASM bcrypt.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

async function time(fn, iterations) {
  await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations;
}

function line(name, ours, anchor, anchorName) {
  return { name: `${name} vs ${anchorName}`, ratio: ours / anchor, detail: `ours ${ours.toFixed(3)} ms, anchor ${anchor.toFixed(3)} ms` };
}

/** Runs the storage benchmarks and returns one result per measurement. */
export async function run() {
  const { decodeStore, encodeStore } = require(`${root}dist/storage/index.js`);
  const { AUTH_STORE } = require(`${root}dist/storage/store-spec.js`);
  const { hashPassword } = require(`${root}dist/storage/password-hash.js`);
  const { bcrypt } = await import('hash-wasm');
  const bytes = readFileSync(`${root}assets/demo-config/.storage/auth`);

  const jsonOurs = await time(() => encodeStore(decodeStore(AUTH_STORE, bytes)), 2000);
  const jsonAnchor = await time(() => Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)), 2000);
  const password = 'benchmark password';
  const bcryptOurs = await time(() => hashPassword(password), 3);
  const bcryptAnchor = await time(() => bcrypt({ password, salt: randomBytes(16), costFactor: 12 }), 3);
  return [
    line('storage-json', jsonOurs, jsonAnchor, 'JSON.parse+stringify'),
    line('storage-bcrypt', bcryptOurs, bcryptAnchor, 'hash-wasm bcrypt'),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
