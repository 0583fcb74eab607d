import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHistory, prepareHistorySave, redactForHistory, saveHistory } from '../../src/console/history';

describe('redactForHistory', () => {
  it.each([
    ['core logs -n 5', 'core logs -n 5'],
    ["auth reset --username alice --password 'top secret'", 'auth reset --username alice --password ***'],
    ['auth reset --password=hunter2 --username bob', 'auth reset --password=*** --username bob'],
    ['ha --api-token abc info', 'ha --api-token *** info'],
    ["auth reset --password 'unclosed", undefined],
    ['auth reset --pass""word hunter2 --username bob', 'auth reset --password *** --username bob'],
    ['auth reset --pass\\word hunter2', 'auth reset --password ***'],
    ["auth reset '--password=hunter2'", 'auth reset --password=***'],
    ['auth reset --pass"word=hunter2"', 'auth reset --password=***'],
    ["--api-tok'en' abc core info", '--api-token *** core info'],
    ["auth reset --username 'a b' --password x", "auth reset --username 'a b' --password ***"],
    ['auth reset --password-stdin --username bob', 'auth reset --password-stdin --username bob'],
    ['auth reset --username "unclosed', undefined],
  ])('%s', (line, kept) => {
    expect(redactForHistory(line)).toBe(kept);
  });
});

describe('history file', () => {
  it('round-trips newest first and is private', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hist-')), 'sub', 'history');
    await saveHistory(file, ['newest', 'older', 'oldest']);
    expect(readFileSync(file, 'utf8')).toBe('oldest\nolder\nnewest\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadHistory(file)).toEqual(['newest', 'older', 'oldest']);
    expect(loadHistory(join(file, 'missing'))).toEqual([]);
  });

  it('readying the save at idle writes nothing, not even the folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ha-history-')), 'not-yet');
    prepareHistorySave(join(dir, 'history'));
    // Let the thread pool's access check finish.
    await saveHistory(join(mkdtempSync(join(tmpdir(), 'ha-history-')), 'other'), ['x']);
    expect(existsSync(dir)).toBe(false);
  });
});
