import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { casefold, matchUsernames, normalizeUsername, pythonStrip } from '../../src/storage/normalize-username';

const pythonOk = spawnSync('python3', ['-c', 'print(1)']).status === 0;

// Every code point Python folds, straight from python3 in this run (not from our generated table).
function pythonFoldings(): Map<number, string> {
  const py = spawnSync(
    'python3',
    ['-c', 'import json,sys; json.dump([[c, chr(c).casefold()] for c in range(0x110000) if 0xd800 > c or c > 0xdfff if chr(c).casefold() != chr(c)], sys.stdout)'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (py.status !== 0) throw new Error(py.stderr);
  return new Map((JSON.parse(py.stdout) as [number, string][]).map(([cp, folded]) => [cp, folded]));
}

describe('Python casefold / strip', () => {
  it.runIf(pythonOk)('folds every code point exactly as python3 str.casefold()', () => {
    const expected = pythonFoldings();
    expect(expected.size).toBeGreaterThan(1400);
    const mismatches: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const want = expected.get(cp) ?? ch;
      if (casefold(ch) !== want) mismatches.push(cp.toString(16));
    }
    expect(mismatches).toEqual([]);
  });

  it.runIf(pythonOk)('matches python3 strip().casefold() on whole strings', () => {
    const samples = ['  Straße\u00a0', '\u2003ﬁLE\u3000', 'ΣΊΣΥΦΟΣ', 'ὈΔΥΣΣΕΎΣ', 'İstanbul', 'ǅemal', 'ß\u1e9e', '\u0085x\u001c', 'a\u200bb ', '😀Ꭰ'];
    const py = spawnSync('python3', ['-c', 'import json,sys; print(json.dumps([s.strip().casefold() for s in json.load(sys.stdin)]))'], {
      input: JSON.stringify(samples),
      encoding: 'utf8',
    });
    expect(py.status).toBe(0);
    expect(samples.map(normalizeUsername)).toEqual(JSON.parse(py.stdout) as string[]);
  });

  it('does what toLowerCase does not', () => {
    expect(casefold('Straße')).toBe('strasse');
    expect(casefold('ﬁ')).toBe('fi');
    expect(casefold('ς')).toBe('σ');
    expect(casefold('ΣΑΣ')).toBe('σασ');
    expect(pythonStrip('\u00a0\u2028 bob \u3000\u0085')).toBe('bob');
    expect(pythonStrip('\u200bbob')).toBe('\u200bbob'); // zero-width space is not whitespace in Python
  });

  it('matches exactly first, then normalized, and returns every duplicate', () => {
    expect(matchUsernames(['alice', 'Alice'], 'Alice')).toEqual([1]);
    expect(matchUsernames(['alice', 'ALICE ', 'bob'], 'Alice')).toEqual([0, 1]);
    expect(matchUsernames(['strasse'], ' Straße')).toEqual([0]);
    expect(matchUsernames(['alice'], 'alicia')).toEqual([]);
  });
});
