import { describe, expect, it } from 'vitest';
import { PagerFeed } from '../../src/pager/pager-feed';

// The feed from the kernel log reader to the viewer: the reader refills one buffer for every batch, so a batch
// must be finished with (delivered and copied, or copied and held) by the time write returns.

function record(feed: PagerFeed): { data: string[]; events: string[] } {
  const data: string[] = [];
  const events: string[] = [];
  feed.on('data', (chunk: Buffer) => data.push(chunk.toString()));
  for (const name of ['drain', 'end', 'close']) feed.on(name, () => events.push(name));
  feed.on('error', (error: Error) => events.push(`error: ${error.message}`));
  return { data, events };
}

describe('PagerFeed', () => {
  it('delivers a batch inside write while the viewer reads, so the writer may refill its buffer at once', () => {
    const feed = new PagerFeed();
    const { data } = record(feed);
    feed.resume();
    const buffer = Buffer.from('one\n');
    expect(feed.write(buffer)).toBe(true);
    expect(data).toEqual(['one\n']);
    buffer.write('two\n');
    expect(feed.write(buffer)).toBe(true);
    expect(data).toEqual(['one\n', 'two\n']);
  });

  it('before the viewer reads, keeps a copy of the batch, says wait, and drains on resume in order', () => {
    const feed = new PagerFeed();
    const { data, events } = record(feed);
    const buffer = Buffer.from('early\n');
    expect(feed.write(buffer)).toBe(false);
    buffer.write('LATER\n'); // the writer refills its buffer: the held batch must not change
    expect(data).toEqual([]);
    feed.resume();
    expect(data).toEqual(['early\n']);
    expect(events).toEqual(['drain']);
    feed.pause();
    expect(feed.write(Buffer.from('while paused\n'))).toBe(false);
    feed.resume();
    expect(data).toEqual(['early\n', 'while paused\n']);
  });

  it('ends after what it holds, once; a failure comes after what it holds too', () => {
    const ended = new PagerFeed();
    const a = record(ended);
    ended.write('last\n');
    ended.end();
    expect(a.events).toEqual([]);
    ended.resume();
    expect(a.data).toEqual(['last\n']);
    expect(a.events).toEqual(['end', 'close']);
    ended.end();
    expect(a.events).toEqual(['end', 'close']);

    const failed = new PagerFeed();
    const b = record(failed);
    failed.resume();
    failed.pause();
    failed.write('before the error\n');
    failed.resume();
    failed.fail(new Error('kernel log unavailable'));
    expect(b.data).toEqual(['before the error\n']);
    expect(b.events).toEqual(['drain', 'error: kernel log unavailable', 'close']);
  });

  it('once the viewer closed, drops writes and lets a waiting writer go', () => {
    const feed = new PagerFeed();
    const { data, events } = record(feed);
    expect(feed.write('held\n')).toBe(false);
    feed.destroy();
    expect(events).toEqual(['close']);
    expect(feed.destroyed).toBe(true);
    expect(feed.write('after\n')).toBe(true);
    feed.resume();
    expect(data).toEqual([]);
  });
});
