import { describe, expect, it } from 'vitest';
import { QueryReplyTail } from '../../src/terminal/query-reply-tail';

/** Feeds `chunks` through a fresh filter and returns what goes on as keys. */
function keys(...chunks: string[]): string {
  const tail = new QueryReplyTail();
  return chunks.map((chunk) => tail.filter(Buffer.from(chunk, 'latin1')).toString('latin1')).join('') + tail.flush().toString('latin1');
}

describe('QueryReplyTail: the first keys after a login shell', () => {
  it('drops a whole cursor-position answer, or the tail a reopened serial port let through', () => {
    expect(keys('\x1b[24;80R')).toBe('');
    expect(keys('R')).toBe('');
    expect(keys(';80R')).toBe('');
    expect(keys('Rlogin\r')).toBe('login\r');
    expect(keys('\x1b[2', '4;8', '0R', 'dns info\r')).toBe('dns info\r');
  });

  it('checks only the very start: a later R, or keys that are no answer, go through untouched', () => {
    expect(keys('help\r')).toBe('help\r');
    expect(keys('R', 'R')).toBe('R');
    expect(keys('core logs -n 5\r', 'R')).toBe('core logs -n 5\rR');
    expect(keys('\x1b[A')).toBe('\x1b[A'); // an arrow key
    expect(keys('12', '3\r')).toBe('123\r');
    expect(keys('\x03')).toBe('\x03');
  });

  it('gives back what it held when the input ends', () => {
    expect(keys('\x1b[24;8')).toBe('\x1b[24;8');
  });
});
