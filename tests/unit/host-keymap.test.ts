import { describe, expect, it } from 'vitest';
import { chooseKeymapMethod, keymapNameOf, readVconsoleKeymap, writeVconsoleKeymap } from '../../src/host/keymap';

describe('keymaps', () => {
  it.each([
    ['de-latin1.map.gz', 'de-latin1'],
    ['us.kmap.gz', 'us'],
    ['fr.map', 'fr'],
    ['README', undefined],
    ['.hidden.map', undefined],
  ])('%s → %s', (file, name) => {
    expect(keymapNameOf(file)).toBe(name);
  });

  it('reads and writes KEYMAP in vconsole.conf, keeping the rest', () => {
    expect(readVconsoleKeymap('FONT=lat9w-16\nKEYMAP="de-latin1"\n')).toBe('de-latin1');
    expect(readVconsoleKeymap('FONT=x\n')).toBeUndefined();
    expect(writeVconsoleKeymap('FONT=lat9w-16\nKEYMAP=us\n', 'fr')).toBe('FONT=lat9w-16\nKEYMAP=fr\n');
    expect(writeVconsoleKeymap('', 'fr')).toBe('KEYMAP=fr\n');
  });

  it('prefers localectl under systemd, else loadkeys', () => {
    expect(chooseKeymapMethod({ systemd: true, localectl: '/bin/localectl', loadkeys: '/bin/loadkeys' })).toEqual({ kind: 'localectl', program: '/bin/localectl' });
    expect(chooseKeymapMethod({ systemd: false, localectl: '/bin/localectl', loadkeys: '/bin/loadkeys' })).toEqual({ kind: 'loadkeys', program: '/bin/loadkeys' });
    expect(chooseKeymapMethod({ systemd: false, localectl: undefined, loadkeys: undefined })).toEqual({ kind: 'persist-only' });
  });
});
