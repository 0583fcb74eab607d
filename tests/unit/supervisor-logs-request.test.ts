import { describe, expect, it } from 'vitest';
import type { LogsRequest } from '../../src/supervisor/api';
import { buildLogsHeaders, buildLogsPath, buildRangeHeader } from '../../src/supervisor/logs-request';

const core: LogsRequest = { service: 'core', follow: false, verbose: false };

describe('buildRangeHeader', () => {
  it.each([
    [undefined, undefined],
    [1, 'entries=:-1:'],
    [2, 'entries=:-1:'],
    [5, 'entries=:-4:'],
    [100, 'entries=:-99:'],
  ])('lines %s → %s', (lines, expected) => {
    expect(buildRangeHeader(lines)).toBe(expected);
  });
  it.each([0, -3, 1.5, Number.NaN])('refuses %s', (lines) => {
    expect(() => buildRangeHeader(lines)).toThrow(/Invalid number of lines/);
  });
});

describe('buildLogsPath', () => {
  it.each<[Partial<LogsRequest>, string]>([
    [{}, '/core/logs'],
    [{ follow: true }, '/core/logs/follow'],
    [{ boot: '-1' }, '/core/logs/boots/-1'],
    [{ boot: '0', follow: true }, '/core/logs/boots/0/follow'],
    [{ service: 'supervisor' }, '/supervisor/logs'],
    [{ service: 'host', identifier: 'kernel' }, '/host/logs/identifiers/kernel'],
    [{ service: 'host', identifier: 'a b', boot: 'abc', follow: true }, '/host/logs/boots/abc/identifiers/a%20b/follow'],
  ])('%j → %s', (change, expected) => {
    expect(buildLogsPath({ ...core, ...change })).toBe(expected);
  });
  it('identifier only for host', () => {
    expect(() => buildLogsPath({ ...core, identifier: 'x' })).toThrow(/only with `host logs`/);
  });
});

describe('buildLogsHeaders', () => {
  it('plain, verbose, range, token', () => {
    expect(buildLogsHeaders(core, undefined)).toEqual({ Accept: 'text/plain' });
    expect(buildLogsHeaders({ ...core, verbose: true, lines: 10 }, 't0k')).toEqual({ Accept: 'text/x-log', Range: 'entries=:-9:', Authorization: 'Bearer t0k' });
  });
});
