import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HaError } from '../errors/ha-error';
import { UsageError } from '../errors/usage-error';

// `core logs` of a config folder: Core's own log file. Core writes `home-assistant.log`, renames the
// previous run's to `home-assistant.log.1` at start, and Python's faulthandler writes a crash dump to
// `home-assistant.log.fault` (homeassistant/bootstrap.py async_enable_logging, LOG_FILENAME and FAULT_LOG_FILENAME).

/** A log record starts with Core's timestamp (`2026-11-29 18:21:40.123 ERROR ...`); tracebacks follow it. */
const RECORD_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const CHUNK_BYTES = 64 * 1024;

/** The log file `-b` names in a config folder (pure): 0 this run, -1 the run before. */
export function configLogName(boot: string | undefined): string {
  if (boot === undefined || boot.trim() === '0') return 'home-assistant.log';
  if (boot.trim() === '-1') return 'home-assistant.log.1';
  throw new UsageError(`A config folder keeps the log of the current run and the one before; -b ${boot} names neither.`, 'Use -b 0 (default) or -b -1, or --image on the card for the journal of every boot.');
}

/** The last `count` records of `text` (pure): a record is a timestamped line and the lines after it. */
export function lastRecords(text: string, count: number): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Walked from the end (newest first), collected in reverse and turned round once: linear in the lines.
  const records: string[] = [];
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0 && records.length < count; i--) {
    if (RECORD_START.test(lines[i] ?? '') || i === 0) {
      records.push(lines.slice(i, end).join('\n'));
      end = i;
    }
  }
  return records.reverse();
}

/** Reads the end of a file backwards until it holds more than `count` record starts (never the whole of a big log). */
async function readTail(path: string, count: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let start = size;
    // Whole lines read so far (newest last), and the unfinished line that continues into older bytes.
    const parts: Buffer[] = [];
    let carry = Buffer.alloc(0);
    let records = 0;
    while (start > 0) {
      const length = Math.min(CHUNK_BYTES, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, start);
      const region = Buffer.concat([chunk, carry]);
      // Each chunk's new lines are counted once: reading stays linear in the tail's size.
      const firstNewline = start === 0 ? -1 : region.indexOf(0x0a);
      if (start > 0 && firstNewline === -1) {
        carry = region; // one line longer than a chunk: keep reading back to its start
        continue;
      }
      const whole = region.subarray(firstNewline + 1);
      carry = region.subarray(0, firstNewline + 1);
      parts.unshift(whole);
      records += whole.toString('utf8').split('\n').filter((l) => RECORD_START.test(l)).length;
      if (records > count) break;
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last `count` records of Core's log in `configDir`, with a note when a crash dump is beside it. */
export async function readConfigLog(configDir: string, boot: string | undefined, count: number): Promise<{ lines: string[]; note?: string }> {
  const name = configLogName(boot);
  const path = join(configDir, name);
  let text: string;
  try {
    text = await readTail(path, count);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HaError(`${path} does not exist`, { hint: 'Core writes it while it runs with this folder as its config (the folder that holds configuration.yaml).', cause: error });
    }
    throw error;
  }
  const fault = join(configDir, 'home-assistant.log.fault');
  const faultSize = await stat(fault).then((s) => s.size, () => 0);
  const note = faultSize > 0 ? `Core left a crash dump (${faultSize} bytes) in ${fault}.` : undefined;
  return { lines: lastRecords(text, count), ...(note === undefined ? {} : { note }) };
}
