import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeStore, encodeStore } from '../../src/storage/envelope';
import { formatJson } from '../../src/storage/json-format';
import { JsonSyntaxError, parseJson } from '../../src/storage/json-parse';
import { HaError } from '../../src/errors/ha-error';
import { AUTH_PROVIDER_STORE, AUTH_STORE, ONBOARDING_STORE } from '../../src/storage/store-spec';

// Reference texts in the exact shape Core writes (orjson OPT_INDENT_2, raw UTF-8, no final newline).
const PROVIDER = [
  '{',
  '  "version": 1,',
  '  "minor_version": 1,',
  '  "key": "auth_provider.homeassistant",',
  '  "data": {',
  '    "users": [',
  '      {',
  '        "username": "Straße",',
  '        "password": "JDJiJDEyJC4uLg=="',
  '      }',
  '    ]',
  '  }',
  '}',
].join('\n');

const AUTH_WITH_ODD_VALUES = [
  '{',
  '  "version": 1,',
  '  "minor_version": 1,',
  '  "key": "auth",',
  '  "data": {',
  '    "users": [],',
  '    "groups": [],',
  '    "credentials": [],',
  '    "refresh_tokens": [',
  '      {',
  '        "access_token_expiration": 1800.0,',
  '        "big": 123456789012345678901234567890,',
  '        "exp": 1e-07,',
  '        "2": "integer-like key stays second",',
  '        "1": {},',
  '        "text": "tab\\tquote\\"back\\\\nl\\nctl\\u001f del\u007f é 😀 \u2028",',
  '        "none": null,',
  '        "yes": true,',
  '        "no": false',
  '      }',
  '    ]',
  '  }',
  '}',
].join('\n');

const pythonOk = spawnSync('python3', ['-c', 'print(1)']).status === 0;

describe('store envelope', () => {
  it('round-trips Core-written files byte for byte', () => {
    for (const [spec, text] of [[AUTH_PROVIDER_STORE, PROVIDER], [AUTH_STORE, AUTH_WITH_ODD_VALUES]] as const) {
      const envelope = decodeStore(spec, Buffer.from(text, 'utf8'));
      expect(envelope).toBeDefined();
      if (envelope === undefined) return;
      expect(encodeStore(envelope).toString('utf8')).toBe(text);
    }
  });

  it.runIf(pythonOk)('formats like Python json.dumps(indent=2, ensure_ascii=False) (= orjson OPT_INDENT_2 here)', () => {
    const py = spawnSync('python3', ['-c', 'import json,sys; sys.stdout.buffer.write(json.dumps(json.loads(sys.stdin.buffer.read()), indent=2, ensure_ascii=False).encode())'], {
      input: Buffer.from(AUTH_WITH_ODD_VALUES.replace('1e-07', '1.5'), 'utf8'),
    });
    expect(py.status).toBe(0);
    const ours = formatJson(parseJson(Buffer.from(AUTH_WITH_ODD_VALUES.replace('1e-07', '1.5'), 'utf8')));
    expect(ours.toString('utf8')).toBe(py.stdout.toString('utf8'));
  });

  it('reads a missing minor_version as 1 and writes the canonical key order', () => {
    const text = '{"data": {"done": ["user"]}, "key": "onboarding", "version": 4}';
    const envelope = decodeStore(ONBOARDING_STORE, Buffer.from(text));
    expect(envelope?.minorVersion).toBe(1);
    expect(envelope === undefined ? '' : encodeStore(envelope).toString()).toBe(
      '{\n  "version": 4,\n  "minor_version": 1,\n  "key": "onboarding",\n  "data": {\n    "done": [\n      "user"\n    ]\n  }\n}',
    );
  });

  it('treats {} as no data, like Core', () => {
    expect(decodeStore(AUTH_STORE, Buffer.from('{}'))).toBeUndefined();
  });

  it('refuses unknown major versions, wrong keys and wrong shapes with HaError', () => {
    const bad = [
      ['{"version": 2, "minor_version": 1, "key": "auth", "data": {}}', /version 2, which this tool does not know/],
      ['{"version": 1, "key": "auth_provider.homeassistant", "data": {}}', /key is "auth_provider.homeassistant", expected "auth"/],
      ['{"version": 1, "key": "auth", "data": []}', /data is array/],
      ['[]', /top level is array/],
      ['{"version": "1", "key": "auth", "data": {}}', /version is string/],
    ] as const;
    for (const [text, message] of bad) {
      expect(() => decodeStore(AUTH_STORE, Buffer.from(text))).toThrow(message);
    }
  });

  it('reports corrupt JSON with its line and what Core would do', () => {
    const text = '{\n  "version": 1,\n  "key": "auth",\n  "data": {\n    "users": [\n';
    let caught: unknown;
    try {
      decodeStore(AUTH_STORE, Buffer.from(text));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HaError);
    expect((caught as HaError).message).toBe(
      '.storage/auth is not valid JSON (line 6): Home Assistant would start with no users; nothing was changed',
    );
    expect((caught as HaError).hint).toMatch(/backup/);
  });

  it('parses strictly: positions, trailing commas, BOM, invalid UTF-8, lone surrogates', () => {
    const cases: [Uint8Array, number][] = [
      [Buffer.from('{"a": 1,}'), 1],
      [Buffer.from('\n\n  [1 2]'), 3],
      [Buffer.from('\ufeff{}'), 1],
      [Buffer.from([0x7b, 0x0a, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 2],
      [Buffer.from('{"a": "\\ud800"}'), 1],
      [Buffer.from('{"a": NaN}'), 1],
      [Buffer.from(''), 1],
    ];
    for (const [bytes, line] of cases) {
      let caught: unknown;
      try {
        parseJson(bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(JsonSyntaxError);
      expect((caught as JsonSyntaxError).line).toBe(line);
    }
    expect(formatJson(parseJson(Buffer.from('"\\ud83d\\ude00 \\u00df"'))).toString('utf8')).toBe('"😀 ß"');
  });
});
