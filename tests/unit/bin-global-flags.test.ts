import { describe, expect, it } from 'vitest';
import { parseGlobalArgs } from '../../src/bin/global-flags';
import { toYaml } from '../../src/render/yaml';

describe('parseGlobalArgs', () => {
  it('takes global flags anywhere and leaves command words', () => {
    const args = parseGlobalArgs(['core', 'logs', '--endpoint', 'localhost:1', '-n', '5', '--raw-json']);
    expect(args).toMatchObject({ endpoint: 'localhost:1', rawJson: true, words: ['core', 'logs', '-n', '5'] });
  });
  it('keeps --help for the command once a command is named', () => {
    expect(parseGlobalArgs(['--help']).help).toBe(true);
    expect(parseGlobalArgs(['core', '--help'])).toMatchObject({ help: false, words: ['core', '--help'] });
  });
  it('reads -c as sshd passes commands to a login shell', () => {
    expect(parseGlobalArgs(['-c', 'ha core logs -n 5']).commandString).toBe('ha core logs -n 5');
  });
  it('refuses --config with --image and flags without values', () => {
    expect(() => parseGlobalArgs(['--config', 'a', '--image', 'b'])).toThrow(/cannot be used together/);
    expect(() => parseGlobalArgs(['--endpoint'])).toThrow(/needs a value/);
  });
});

describe('toYaml', () => {
  it('sorts keys and nests like the ha CLI', () => {
    expect(toYaml({ version: '2026.11.1', arch: 'aarch64', ports: [80, 443], ssl: false, ip: { a: 'x y' }, boot: true, empty: [], name: 'true' })).toBe(
      'arch: aarch64\nboot: true\nempty: []\nip:\n  a: x y\nname: "true"\nports:\n- 80\n- 443\nssl: false\nversion: 2026.11.1\n',
    );
    expect(toYaml({ users: [{ name: 'A', id: 1 }] })).toBe('users:\n- id: 1\n  name: A\n');
  });
});
