import type { StorageFs } from './fs';
import { formatJson } from './json-format';
import { JsonSyntaxError, parseJson } from './json-parse';
import { asInteger, isJsonObject, JsonNumber, jsonTypeName, type JsonObject } from './json-value';
import { corruptStoreError, invalidStoreError, unknownVersionError } from './store-errors';
import { storePath, type StoreSpec } from './store-spec';

/** A store file as Home Assistant writes it: `{version, minor_version, key, data}`. */
export interface StoreEnvelope {
  readonly version: number;
  /** 1 when the file has none (files written before minor versions existed). */
  readonly minorVersion: number;
  readonly key: string;
  readonly data: JsonObject;
}

/** Decodes and checks a store file; `undefined` when it holds no data (`{}`, as Core treats it). */
export function decodeStore(spec: StoreSpec, bytes: Uint8Array): StoreEnvelope | undefined {
  let root;
  try {
    root = parseJson(bytes);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw corruptStoreError(spec, error.line, error);
    throw error;
  }
  if (!isJsonObject(root)) throw invalidStoreError(spec, `top level is ${jsonTypeName(root)}, not an object`);
  if (root.size === 0) return undefined;
  const version = asInteger(root.get('version'));
  if (version === undefined) throw invalidStoreError(spec, `version is ${jsonTypeName(root.get('version'))}`);
  if (!spec.majorVersions.includes(version)) throw unknownVersionError(spec, version);
  const minorRaw = root.get('minor_version');
  const minorVersion = minorRaw === undefined ? 1 : asInteger(minorRaw);
  if (minorVersion === undefined) throw invalidStoreError(spec, 'minor_version is not an integer');
  const key = root.get('key');
  if (key !== spec.key) throw invalidStoreError(spec, `key is ${JSON.stringify(key ?? null)}, expected "${spec.key}"`);
  const data = root.get('data');
  if (!isJsonObject(data)) throw invalidStoreError(spec, `data is ${jsonTypeName(data)}, not an object`);
  return { version, minorVersion, key, data };
}

/** Encodes a store exactly as Core's writer: key order version, minor_version, key, data; no trailing newline. */
export function encodeStore(envelope: StoreEnvelope): Buffer {
  const root: JsonObject = new Map();
  root.set('version', JsonNumber.fromInteger(envelope.version));
  root.set('minor_version', JsonNumber.fromInteger(envelope.minorVersion));
  root.set('key', envelope.key);
  root.set('data', envelope.data);
  return formatJson(root);
}

/** Reads `.storage/<key>`; `undefined` when the file is missing or holds no data. */
export async function readStore(fs: StorageFs, spec: StoreSpec): Promise<StoreEnvelope | undefined> {
  const bytes = await fs.readFile(storePath(spec.key));
  return bytes === undefined ? undefined : decodeStore(spec, bytes);
}
