import { describe, expect, it } from 'vitest';
import { dmesgCommand } from '../../src/commands/misc';
import { DMESG_FLAGS, plainDmesgFlags } from '../../src/commands/misc/dmesg-flags';

describe('the flags of ha dmesg taken before the command table loads', () => {
  it('are the command\'s own flags', () => {
    expect(dmesgCommand.flags).toBe(DMESG_FLAGS);
  });

  it('takes each flag as typed, long or short; anything else is left to the command table', () => {
    expect([...(plainDmesgFlags([]) ?? [])]).toEqual([]);
    expect([...(plainDmesgFlags(['--no-pager', '-f']) ?? [])].sort()).toEqual(['follow', 'no-pager']);
    expect([...(plainDmesgFlags(['--follow']) ?? [])]).toEqual(['follow']);
    for (const words of [['-n'], ['--follow=true'], ['--no-pager', 'extra'], ['-F'], ['--help'], ['-fn']]) expect(plainDmesgFlags(words)).toBeUndefined();
  });
});
