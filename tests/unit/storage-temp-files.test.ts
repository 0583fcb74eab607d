import { describe, expect, it } from 'vitest';
import { leftoverTemps, parseTempName } from '../../src/storage/temp-files';

describe('leftover temporary files', () => {
  it('recognises both writers\' names and nothing else', () => {
    expect(parseTempName('.auth.ha-console-123-0a1b2c')).toEqual({ store: 'auth', pid: 123 });
    expect(parseTempName('.auth_provider.homeassistant.0badc0de.tmp')).toEqual({ store: 'auth_provider.homeassistant', pid: undefined });
    for (const name of ['auth', '.auth', 'auth.tmp', '.auth.xyz.tmp', '.auth.ha-console-x-1', 'backup-onboarding-20261129-120000']) {
      expect(parseTempName(name)).toBeUndefined();
    }
  });
  it('keeps the temp file of a writer that still runs', () => {
    const names = ['auth', '.auth.ha-console-10-aa', '.auth.ha-console-20-bb', '.onboarding.12345678.tmp'];
    expect(leftoverTemps(names, (pid) => pid === 20)).toEqual(['.auth.ha-console-10-aa', '.onboarding.12345678.tmp']);
  });
});
