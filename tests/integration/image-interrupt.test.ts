import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { openImageTarget } from '../../src/targets/image';
import { ROOT, TABLES, device, fsck, makeImage, makeTempDir, partitionOffset, sha256, superblockField } from './image-fixture';

// A writer killed with SIGKILL mid-write: the image either passes `e2fsck -fn` and is marked clean, or is
// marked not clean so the next open refuses (and says to run e2fsck). Never "clean" but broken.

const temp = makeTempDir();
let writer = '';

beforeAll(() => {
  writer = join(temp.dir, 'writer.cjs');
  // Child: opens the image for writing again and again; prints `w` inside each session (after the
  // superblock is marked) and `.` after each clean close; writes a 300 KB file and rewrites onboarding.
  // With `hang` it stops inside its third session, after a write, and prints `h`.
  writeFileSync(writer, `
    const { withImage } = require(${JSON.stringify(join(ROOT, 'dist', 'targets', 'image', 'session.js'))});
    const image = process.argv[2];
    const hang = process.argv[3] === 'hang';
    (async () => {
      for (let i = 0; ; i++) {
        await withImage(image, { write: true }, async ({ storage }) => {
          process.stdout.write('w');
          const blob = Buffer.alloc(300 * 1024 + (i % 7) * 4096, 65 + (i % 26));
          await storage.writeFileAtomic('.storage/blob', blob, 0o600);
          if (hang && i === 2) { process.stdout.write('h'); await new Promise(() => setInterval(() => {}, 1000)); }
          const onboarding = await storage.readFile('.storage/onboarding');
          await storage.writeFileAtomic('.storage/onboarding', onboarding, 0o600);
        });
        process.stdout.write('.');
      }
    })().catch((e) => { console.error(e); process.exit(3); });
  `);
});
afterAll(() => temp.cleanup());

describe.each(TABLES)('interrupted writes on a HAOS %s image', (table) => {
  let image = '';
  let offset = 0;
  beforeAll(() => {
    image = makeImage(join(temp.dir, `work-${table}.img`), ['--table', table, '--bcrypt-cost', '4']);
    offset = partitionOffset(image);
  });

  /** Starts the writer and SIGKILLs it once `killAfter` says so (given the output so far), or `delayMs` after that. */
  function runAndKill(killAfter: (output: string) => boolean, hang = false, delayMs = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [writer, image, ...(hang ? ['hang'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (killAfter(output)) setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(output) : reject(new Error(`writer exited ${code}: ${errors}`))));
    });
  }

  async function expectRefusedUnchanged(): Promise<void> {
    const before = sha256(image);
    const attempt = openImageTarget(image, { write: true })((t) => t.listUsers());
    await expect(attempt).rejects.toBeInstanceOf(HaError);
    await expect(openImageTarget(image, { write: true })((t) => t.listUsers())).rejects.toThrow(/not cleanly unmounted/);
    expect(sha256(image)).toBe(before);
  }

  function repair(): void {
    const result = spawnSync('e2fsck', ['-fy', device(image, offset)], { encoding: 'utf8' });
    expect(result.status === 0 || result.status === 1).toBe(true);
    expect(fsck(image, offset).status).toBe(0);
  }

  it('a kill inside a write session (before its journal commit) leaves the card as it was: clean and readable', async () => {
    const output = await runAndKill((out) => out.includes('h'), true);
    expect(output).toBe('w.w.wh');
    // Writes are one journal transaction committed at the end of the session: nothing of the third session landed.
    expect(superblockField(image, offset, 'Filesystem state')).toBe('clean');
    const check = fsck(image, offset);
    expect(check.status, check.output).toBe(0);
    const users = await openImageTarget(image, { write: true })((t) => t.listUsers());
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob']);
  });

  it('kills at varied moments never leave a "clean" but broken filesystem', async () => {
    for (let round = 0; round < 8; round += 1) {
      // Kill at a varying moment after the first complete session: between, before or inside writes.
      await runAndKill((out) => out.includes('.'), false, 1 + round * 9);
      const state = superblockField(image, offset, 'Filesystem state');
      const check = fsck(image, offset);
      if (state === 'clean') {
        expect(check.status, check.output).toBe(0);
      } else {
        expect(state).toMatch(/not clean/);
        await expectRefusedUnchanged();
        repair();
      }
    }
    expect(fsck(image, offset).status).toBe(0);
  });
});
