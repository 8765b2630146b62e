// JSON inputs. Small files (the usual S3 CloudTrail object, a few MB) take the fast path: held whole,
// a `{"Records":[…]}` file parsed a record at a time (record-source.ts), any other document with one
// JSON.parse. Larger ones are streamed: a top-level array or a container's `Records`/`Events`/
// `logEvents` array is cut into elements by the byte scanner and each element parsed on its own, so
// memory stays at one chunk plus one batch whatever the file size. A configuration document's lists
// are streamed the same way, element by element within its bounds (config-bounds.ts), and handed on
// whole. JSON Lines and concatenated JSON values (Firehose writes CloudWatch Logs envelopes back to
// back) are read value by value.
import { isAscii } from 'node:buffer';
import { ByteReader } from './byte-reader.ts';
import {
  classifyValue,
  CONFIG_LIST_KEYS,
  elementItem,
  isExportedContainerKeys,
  isObject,
  keyCount,
  kindOfStreamKey,
  position,
  recordItem,
  sized,
  startsRecordArray,
  STREAM_KEYS,
  type Item,
} from './classify.ts';
import { ConfigBudget } from './config-bounds.ts';
import { MAX_EMPTY_UNITS, tooManyEmpty } from '../rejection-limits.ts';
import { BATCH_BYTES, CLOUDTRAIL_BATCH, decide } from './item-batches.ts';
import { locateJsonError } from './json-locate.ts';
import { cleanMessage, describeByte } from './json-message.ts';
import { newScanState, readValue, scanValue } from './json-scan.ts';
import { parseRecordsFile } from './record-source.ts';
import { SourceError } from './source-error.ts';
import type { OpenedSource } from './types.ts';

/** Inputs up to this size (decoded) are parsed in one go; past it, smaller JSON.parse windows are
 * cheaper (measured: whole-document parses of tens of MB run at half the speed, mostly GC). */
export const FAST_LIMIT = 4 * 1024 * 1024;
/**
 * A CloudTrail record's own keys: a value of a sequence whose first key is one of them is read whole up
 * to MAX_RECORD, as it would be in a Records array, instead of walked as a document (bigValue).
 */
const RECORD_FIRST_KEYS = new Set(['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'eventID', 'eventType', 'awsRegion',
  'sourceIPAddress', 'userAgent', 'requestParameters', 'responseElements', 'recipientAccountId']);
/** Values of non-container keys kept (for detection) up to this size; larger ones are skipped. */
const KEEP_LIMIT = 1024 * 1024;
/** A JSON Lines line longer than this is rejected without being held in memory. */
const MAX_JSON_LINE = 64 * 1024 * 1024;
/** One element of a streamed array (a CloudTrail record is at most a few hundred KB) past this is
 * rejected and skipped without being held in memory. */
const MAX_RECORD = 16 * 1024 * 1024;
/** Items are handed on in chunks of a batch's size (item-batches.ts): each holds parsed values. */
const ITEM_CHUNK = CLOUDTRAIL_BATCH;
/** A chunk of items is handed on once the JSON behind them passes this (256 records of 16 MB each
 * would otherwise be held at once); item-batches.ts bounds its batches the same way. */
const MAX_HELD = BATCH_BYTES;
/** Top-level keys of one streamed object: each is held (for detection), so their number is bounded. */
const MAX_TOP_LEVEL_KEYS = 10_000;
/** Kept values of non-container keys, in all: past it, further values are skipped, not kept. */
const KEEP_TOTAL = 64 * 1024 * 1024;
/** Keys that hold the results of an exported query document (isExportedContainerKeys): kept up to KEEP_TOTAL. */
const EXPORTED_RESULT_KEYS = new Set(['hits', 'ResultSet', 'QueryResultRows', 'results']);

export async function openJson(reader: ByteReader): Promise<OpenedSource> {
  const startOffset = reader.offset;
  const whole = await reader.whole(FAST_LIMIT);
  if (whole) {
    const records = parseRecordsFile(whole);
    if (records) return decide(once(classifyValue(records, '')), reader.path);
    const text = whole.toString('utf8');
    let error: unknown;
    try {
      const document: unknown = JSON.parse(text);
      return await decide(once(classifyValue(document, '')), reader.path);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      error = err;
    }
    const memory = new ByteReader(once(whole), reader.path);
    await memory.nextChunk();
    memory.base = startOffset;
    if (firstLineIsJson(memory)) return decide(lineItems(memory), reader.path);
    if (!/non-whitespace character after JSON/.test(String(error))) throw invalidJson(error, text, startOffset, reader.path);
    return decide(sequenceItems(memory), reader.path);
  }
  if (firstLineIsJson(reader)) return decide(lineItems(reader), reader.path);
  return decide(sequenceItems(reader), reader.path);
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** JSON Lines: the first line is a complete JSON value on its own and more lines follow. */
function firstLineIsJson(reader: ByteReader): boolean {
  const nl = reader.buf.indexOf(0x0a, reader.pos);
  if (nl < 0) return false;
  const line = reader.buf.toString('utf8', reader.pos, nl).trim();
  if (!line.startsWith('{') && !line.startsWith('[')) return false;
  const rest = reader.buf.subarray(nl + 1, nl + 4096).toString('utf8').trim();
  if (rest === '') return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

async function* lineItems(reader: ByteReader): AsyncGenerator<Item[]> {
  let out: Item[] = [];
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let tooLong = false;
  /** Blank lines and lines that hold nothing (control messages), and lines with content. */
  let empty = 0;
  let useful = 0;
  /** Bytes of the lines behind the items in `out`: a chunk is handed on past MAX_HELD too. */
  let held = 0;
  /** Parses a line into `out`; returns it instead when it is too long to parse whole (see bigValue). */
  const handle = (bytes: Buffer): Buffer | null => {
    lineNo++;
    const before = out.length;
    useful++;
    if (tooLong) {
      out.push({ t: 'rej', r: { position: `line ${lineNo}`, reason: `line longer than ${MAX_JSON_LINE / 1024 / 1024} MB` } });
      tooLong = false;
      return null;
    }
    if (bytes.length > FAST_LIMIT) return bytes;
    const text = bytes.toString('utf8').trim();
    if (text === '') {
      useful--;
      empty++;
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      out.push({ t: 'rej', r: { position: `line ${lineNo}`, reason: `invalid JSON: ${cleanMessage(err)}` } });
      return null;
    }
    for (const item of sized(classifyValue(value, `line ${lineNo}`), bytes.length)) {
      out.push(item.t === 'unknown' ? { ...item, pos: `line ${lineNo}` } : item);
    }
    held += bytes.length;
    if (out.length === before) {
      useful--;
      empty++;
    }
    return null;
  };
  for (;;) {
    const buf = reader.buf;
    const nl = buf.indexOf(0x0a, reader.pos);
    let big: Buffer | null = null;
    if (nl < 0) {
      if (!tooLong) {
        pending.push(buf.subarray(reader.pos));
        pendingLength += buf.length - reader.pos;
        if (pendingLength > MAX_JSON_LINE) {
          tooLong = true;
          pending = [];
        }
      }
      reader.pos = buf.length;
      if (!(await reader.nextChunk())) {
        if (tooLong || pendingLength > 0) big = handle(Buffer.concat(pending));
        if (big !== null) {
          yield out;
          out = [];
          yield* bigValue(big, `line ${lineNo}`, reader.path);
        }
        break;
      }
      continue;
    }
    const piece = buf.subarray(reader.pos, nl);
    big = handle(pending.length === 0 ? piece : Buffer.concat([...pending, piece]));
    pending = [];
    pendingLength = 0;
    reader.pos = nl + 1;
    if (big !== null) {
      yield out;
      out = [];
      yield* bigValue(big, `line ${lineNo}`, reader.path);
    }
    if (empty > MAX_EMPTY_UNITS && tooManyEmpty(empty, useful) !== null) {
      yield out;
      throw new SourceError(tooManyEmpty(empty, useful)!, reader.path);
    }
    if (out.length >= ITEM_CHUNK || held >= MAX_HELD) {
      yield out;
      out = [];
      held = 0;
    }
  }
  if (out.length > 0) yield out;
}

/**
 * A JSON Lines line past FAST_LIMIT (or a value of a sequence that opens like a record, past KEEP_LIMIT)
 * is walked like a large file (its Records streamed, a configuration document within its bounds) rather
 * than parsed whole: one line of `{"Records":[0,0,…]}` would otherwise become tens of millions of items
 * at once. One record of at most MAX_RECORD is the exception (wholeRecord). A fault in it rejects the
 * value, not the file.
 */
async function* bigValue(bytes: Buffer, prefix: string, path: string): AsyncGenerator<Item[]> {
  const record = wholeRecord(bytes, prefix);
  if (record !== null) {
    yield [record];
    return;
  }
  const reader = new ByteReader(once(bytes), path);
  try {
    if (!(await reader.skipWhitespace())) return;
    await checkStart(reader);
    for await (const items of walkLarge(reader, prefix)) {
      yield items.map((it) => (it.t === 'unknown' ? { ...it, pos: prefix } : it));
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    yield [{ t: 'rej', r: { position: prefix, reason: err.message } }];
  }
}

/**
 * A value of at most MAX_RECORD bytes that is one record, parsed whole as the same record is inside a
 * Records array: walked as a large document it would keep none of its values past KEEP_LIMIT (a 15 MB
 * user agent) and be refused as unrecognized. Null for anything else, a container above all, which is
 * then walked; its parse is bounded by MAX_RECORD.
 */
function wholeRecord(bytes: Buffer, prefix: string): Item | null {
  if (bytes.length > MAX_RECORD) return null;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  return isObject(value) && startsRecordArray(value) ? sized([recordItem(value, prefix)], bytes.length)[0] : null;
}

/**
 * One or more JSON values one after another; each small value is parsed whole, big ones streamed.
 * Items of small values are handed on in chunks (Firehose writes thousands of small envelopes).
 */
async function* sequenceItems(reader: ByteReader): AsyncGenerator<Item[]> {
  let index = 0;
  /** Values that held nothing (CloudWatch control messages): bounded like blank lines. */
  let empty = 0;
  let out: Item[] = [];
  try {
    while (await reader.skipWhitespace()) {
      index++;
      if (empty > MAX_EMPTY_UNITS && tooManyEmpty(empty, index - 1 - empty) !== null) {
        throw new SourceError(tooManyEmpty(empty, index - 1 - empty)!, reader.path);
      }
      const prefix = index === 1 ? '' : `value ${index}`;
      await checkStart(reader);
      // Small values (Firehose's back-to-back envelopes) are parsed whole; anything past 1 MB is walked
      // as a stream rather than scanned twice, but for a record (JSON Lines whose first line is longer
      // than the first chunk read come here too), which is read whole up to MAX_RECORD.
      const opensRecord = RECORD_FIRST_KEYS.has(firstKeyOf(reader.buf, reader.pos, reader.buf.length)?.toString('utf8').slice(1, -1) ?? '');
      const scanned = await readValue(reader, opensRecord ? MAX_RECORD : KEEP_LIMIT, 'JSON value');
      if (!('overflow' in scanned) && scanned.bytes.length > KEEP_LIMIT) {
        if (out.length > 0) yield out;
        out = [];
        yield* bigValue(scanned.bytes, prefix || 'record 1', reader.path);
        continue;
      }
      if ('overflow' in scanned) {
        if (out.length > 0) yield out;
        out = [];
        reader.unshift(scanned.pieces, scanned.start);
        yield* walkLarge(reader, prefix);
        continue;
      }
      const text = scanned.bytes.toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw invalidJson(err, text, scanned.start, reader.path);
      }
      const items = sized(classifyValue(value, prefix), scanned.bytes.length);
      if (items.length === 0) empty++;
      for (const it of items) out.push(prefix && it.t === 'unknown' ? { ...it, pos: prefix } : it);
      // The first value is handed on at once: it decides what the input is.
      if (out.length >= ITEM_CHUNK || index === 1) {
        yield out;
        out = [];
      }
    }
  } catch (err) {
    // What was read before the fault stands, as for every reader.
    if (out.length > 0) yield out;
    throw err;
  }
  if (out.length > 0) yield out;
}

/** Refuses garbage at once, before scanning megabytes of it: `{` must open a key, `[` a value. */
async function checkStart(reader: ByteReader): Promise<void> {
  const open = reader.buf[reader.pos];
  if (open !== 0x7b && open !== 0x5b) {
    throw syntaxError(reader, reader.offset, `expected '{' or '[' but found ${describeByte(open)}`);
  }
  await reader.fill(2);
  let i = reader.pos + 1;
  while (i < reader.buf.length && isSpace(reader.buf[i])) i++;
  if (i >= reader.buf.length) return;
  const c = reader.buf[i];
  const ok = open === 0x7b ? c === 0x22 || c === 0x7d : /[{["\-0-9tfn\]]/.test(String.fromCharCode(c));
  if (!ok) throw syntaxError(reader, reader.base + i, `unexpected character: ${describeByte(c)}`);
}

async function* walkLarge(reader: ByteReader, prefix: string): AsyncGenerator<Item[]> {
  if (reader.buf[reader.pos] === 0x5b) {
    let checked = false;
    yield* streamArray(reader, 'record', (v, i) => {
      const pos = position(prefix, `record ${i + 1}`);
      if (!checked) {
        checked = true;
        if (!(isObject(v) && startsRecordArray(v))) {
          return { t: 'unknown', reason: 'unrecognized JSON array (its first element is not a CloudTrail record)' };
        }
      }
      return recordItem(v, pos);
    });
    return;
  }
  reader.pos++; // '{'
  let keys = 0;
  let resultsSkipped = false;
  const kept: Record<string, unknown> = {};
  let keptBytes = 0;
  /** The lists of a configuration document, streamed within its bounds. */
  const lists: Record<string, unknown[]> = {};
  const budget = new ConfigBudget();
  let streamed = false;
  for (;;) {
    if (!(await reader.skipWhitespace())) throw truncated(reader, 'object');
    let c = reader.buf[reader.pos];
    if (c === 0x7d) {
      reader.pos++;
      break;
    }
    if (keys > 0) {
      if (c !== 0x2c) throw syntaxError(reader, reader.offset, `expected ',' or '}' but found ${describeByte(c)}`);
      reader.pos++;
      if (!(await reader.skipWhitespace())) throw truncated(reader, 'object');
      c = reader.buf[reader.pos];
    }
    if (c !== 0x22) throw syntaxError(reader, reader.offset, `expected a property name but found ${describeByte(c)}`);
    if (++keys > MAX_TOP_LEVEL_KEYS) {
      throw new SourceError(`JSON document with more than ${MAX_TOP_LEVEL_KEYS.toLocaleString('en-US')} top-level keys`, reader.path);
    }
    const keyValue = await readValue(reader, KEEP_LIMIT, 'property name');
    if ('overflow' in keyValue) throw syntaxError(reader, keyValue.start, 'property name longer than 1 MB');
    const key = JSON.parse(keyValue.bytes.toString('utf8')) as string;
    if (!(await reader.skipWhitespace())) throw truncated(reader, 'object');
    if (reader.buf[reader.pos] !== 0x3a) throw syntaxError(reader, reader.offset, `expected ':' after a property name but found ${describeByte(reader.buf[reader.pos])}`);
    reader.pos++;
    if (!(await reader.skipWhitespace())) throw truncated(reader, 'object');
    if (!streamed && STREAM_KEYS.has(key) && reader.buf[reader.pos] === 0x5b) {
      streamed = true;
      const kind = kindOfStreamKey(key);
      if (kind) yield [{ t: 'kind', kind }];
      yield* streamArray(reader, 'record', (v, i) => elementItem(key, v, position(prefix, `record ${i + 1}`)));
      continue;
    }
    if (!streamed && CONFIG_LIST_KEYS.has(key) && reader.buf[reader.pos] === 0x5b) {
      lists[key] = await configList(reader, key, budget);
      continue;
    }
    const results = EXPORTED_RESULT_KEYS.has(key);
    const value = await readValue(reader, results ? KEEP_TOTAL : KEEP_LIMIT, 'property value', 'skip');
    const keep = !('overflow' in value) && keptBytes + value.bytes.length <= KEEP_TOTAL;
    if (results && !keep) resultsSkipped = true;
    if (!('overflow' in value) && keep) {
      keptBytes += value.bytes.length;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value.bytes.toString('utf8'));
      } catch (err) {
        throw invalidJson(err, value.bytes.toString('utf8'), value.start, reader.path);
      }
      kept[key] = parsed;
    }
  }
  if (streamed) return;
  if (Object.keys(lists).length > 0) {
    // classifyConfig checks the whole document (kept values included) against its bounds once more.
    yield classifyValue({ ...kept, ...lists }, prefix);
  } else if ('digestStartTime' in kept && 'digestEndTime' in kept) {
    yield [{ t: 'kind', kind: 'cloudtrail-digest' }];
  } else if (isExportedContainerKeys(Object.keys(kept))) {
    // A SIEM's or Athena's results document (Elastic hits, ResultSet, …): read from the values kept
    // above, whose results may fill the whole keep budget; a larger one is refused, not read whole.
    yield classifyValue(kept, prefix);
  } else if (resultsSkipped) {
    yield [{ t: 'unknown', reason: `exported results document larger than ${KEEP_TOTAL / 1024 / 1024} MB: export it as JSON Lines or in several files` }];
  } else {
    yield [{ t: 'unknown', reason: `unrecognized JSON document (${keyCount(keys)}, none of them one Trailscope reads)` }];
  }
}

/**
 * The array value of a configuration document's list key (`SecurityGroups`, `UserDetailList`…),
 * streamed like a Records array: each element is kept only once it is known to fit the document's
 * bounds, so a list of a hundred million zeros stops at the bound instead of growing one array until
 * V8 aborts the process. An element that cannot be read spoils the document (it is handed on whole).
 */
async function configList(reader: ByteReader, key: string, budget: ConfigBudget): Promise<unknown[]> {
  const list: unknown[] = [];
  let counted = reader.offset;
  for await (const items of streamArray(reader, 'element', (v) => ({ t: 'rec', v }))) {
    for (const item of items) {
      if (item.t !== 'rec') {
        throw new SourceError(`configuration document, ${key} ${item.t === 'rej' ? `${item.r.position}: ${item.r.reason}` : 'element: unreadable'}`, reader.path);
      }
      const problem = budget.charge(item.v, 2);
      if (problem !== null) throw new SourceError(problem, reader.path);
      list.push(item.v);
    }
    const problem = budget.chargeBytes(reader.offset - counted);
    counted = reader.offset;
    if (problem !== null) throw new SourceError(problem, reader.path);
  }
  return list;
}

async function* streamArray(
  reader: ByteReader,
  what: string,
  toItem: (value: unknown, index: number) => Item,
): AsyncGenerator<Item[]> {
  reader.pos++; // '['
  let out: Item[] = [];
  let index = 0;
  /** Bytes of JSON behind the items in `out`: a chunk of items is handed on past MAX_HELD too. */
  let held = 0;
  const parse = (bytes: Buffer, start: number, end: number) => {
    held += end - start;
    let value: unknown;
    try {
      value = JSON.parse(decode(bytes, start, end));
    } catch (err) {
      out.push({ t: 'rej', r: { position: `${what} ${index + 1}`, reason: `invalid JSON: ${cleanMessage(err)}` } });
      index++;
      return;
    }
    const item = toItem(value, index);
    if (item.t === 'rec') item.bytes = end - start;
    out.push(item);
    index++;
  };
  // Many records are parsed with one JSON.parse('[' + slice + ']'), the slice ending where the next
  // record opens with the same first key as the records before it ('},{"eventVersion"'). Such a cut
  // can only parse if it falls between records (inside one, the record's '{' would stay open), so a
  // wrong guess fails and the scanner takes over for that stretch.
  let firstKey: Buffer | null = null;
  let scanUntil = -1;
  for (;;) {
    // Hot loop, synchronous: every element that lies wholly inside the current chunk.
    const buf = reader.buf;
    const len = buf.length;
    let i = reader.pos;
    for (;;) {
      while (i < len && isSpace(buf[i])) i++;
      if (i >= len) break;
      const c = buf[i];
      if (c === 0x5d) {
        reader.pos = i + 1;
        if (out.length > 0) yield out;
        return;
      }
      let j = i;
      if (index > 0) {
        if (c !== 0x2c) {
          reader.pos = i;
          throw syntaxError(reader, reader.offset, `expected ',' or ']' after ${what} ${index} but found ${describeByte(c)}`);
        }
        j++;
        while (j < len && isSpace(buf[j])) j++;
        if (j >= len) break;
      }
      if (j >= scanUntil) {
        let cut = firstKey !== null ? findRecordBoundary(buf, j, Math.min(len, j + WINDOW), firstKey) : -1;
        // Elements with no common first key (numbers, arrays, mixed objects): a run of them found by the
        // scanner, so a hostile array of a billion zeros costs a parse per window, not per zero.
        if (cut <= j) cut = findRun(buf, j, Math.min(len, j + WINDOW));
        if (cut > j) {
          let values: unknown[] | null = null;
          try {
            values = JSON.parse(`[${decode(buf, j, cut)}]`) as unknown[];
          } catch {
            scanUntil = cut;
          }
          if (values !== null) {
            const share = (cut - j) / values.length;
            for (const value of values) {
              const item = toItem(value, index++);
              if (item.t === 'rec') item.bytes = share;
              out.push(item);
            }
            held += cut - j;
            i = cut;
            if (out.length >= ITEM_CHUNK || held >= MAX_HELD) {
              reader.pos = i;
              yield out;
              out = [];
              held = 0;
            }
            continue;
          }
        }
      }
      const end = scanValue(buf, j, newScanState());
      if (end < 0) break;
      parse(buf, j, end);
      if (firstKey === null) firstKey = firstKeyOf(buf, j, end);
      i = end;
      if (out.length >= ITEM_CHUNK || held >= MAX_HELD) {
        reader.pos = i;
        yield out;
        out = [];
        held = 0;
      }
    }
    reader.pos = i;
    // One element across a chunk boundary (or the end of the array there): the general path.
    if (!(await reader.skipWhitespace())) throw truncated(reader, 'array');
    let c = reader.buf[reader.pos];
    if (c === 0x5d) continue;
    if (index > 0) {
      if (c !== 0x2c) throw syntaxError(reader, reader.offset, `expected ',' or ']' after ${what} ${index} but found ${describeByte(c)}`);
      reader.pos++;
      if (!(await reader.skipWhitespace())) throw truncated(reader, 'array');
      c = reader.buf[reader.pos];
      if (c === 0x5d) throw syntaxError(reader, reader.offset, `expected a value after ',' but found ']'`);
    }
    // One element is never held past MAX_RECORD: a gzip bomb can hide gigabytes in one string.
    const scanned = await readValue(reader, MAX_RECORD, `${what} ${index + 1}`, 'skip');
    if ('overflow' in scanned) {
      out.push({ t: 'rej', r: { position: `${what} ${index + 1}`, reason: `${what} larger than ${MAX_RECORD / 1024 / 1024} MB` } });
      index++;
    } else parse(scanned.bytes, 0, scanned.bytes.length);
    if (out.length >= ITEM_CHUNK || held >= MAX_HELD) {
      yield out;
      out = [];
      held = 0;
    }
  }
}

/** UTF-8 to string; pure ASCII (most CloudTrail) takes the much cheaper one-byte path. */
function decode(buf: Buffer, start: number, end: number): string {
  const part = buf.subarray(start, end);
  return isAscii(part) ? part.toString('latin1') : part.toString('utf8');
}

/** The window one JSON.parse takes at most. */
const WINDOW = 64 * 1024;

/** `"key"` of an object value's first property, as bytes, or null. */
function firstKeyOf(buf: Buffer, start: number, end: number): Buffer | null {
  if (buf[start] !== 0x7b) return null;
  let i = start + 1;
  while (i < end && isSpace(buf[i])) i++;
  if (buf[i] !== 0x22) return null;
  const close = buf.indexOf(0x22, i + 1);
  if (close < 0 || close >= end || close - i > 64 || buf.subarray(i, close).includes(0x5c)) return null;
  return Buffer.from(buf.subarray(i, close + 1));
}

/**
 * The end (just past its '}') of the last element in buf[start, limit) that is followed by
 * `, { "key"` — a likely boundary between records — or -1.
 */
function findRecordBoundary(buf: Buffer, start: number, limit: number, key: Buffer): number {
  let from = limit - key.length;
  for (let attempts = 0; attempts < 8 && from > start; attempts++) {
    const k = buf.lastIndexOf(key, from);
    if (k <= start) return -1;
    let p = k - 1;
    while (p > start && isSpace(buf[p])) p--;
    if (buf[p] === 0x7b) {
      p--;
      while (p > start && isSpace(buf[p])) p--;
      if (buf[p] === 0x2c) {
        p--;
        while (p > start && isSpace(buf[p])) p--;
        if (buf[p] === 0x7d && p > start) return p + 1;
      }
    }
    from = k - 1;
  }
  return -1;
}

/** The end of a run of two or more whole elements from `start` that ends before `limit`, or -1. */
function findRun(buf: Buffer, start: number, limit: number): number {
  const view = buf.subarray(0, limit);
  const st = newScanState();
  let k = start;
  let end = -1;
  let n = 0;
  for (;;) {
    st.started = false;
    st.depth = 0;
    st.inString = false;
    st.escaped = false;
    st.primitive = false;
    const e = scanValue(view, k, st);
    if (e < 0) break;
    end = e;
    n++;
    let m = e;
    while (m < limit && isSpace(buf[m])) m++;
    if (m >= limit || buf[m] !== 0x2c) break;
    m++;
    while (m < limit && isSpace(buf[m])) m++;
    k = m;
  }
  return n >= 2 ? end : -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function syntaxError(reader: ByteReader, at: number, what: string): SourceError {
  return new SourceError(`invalid JSON at byte ${at}: ${what}`, reader.path);
}

function truncated(reader: ByteReader, inside: string): SourceError {
  return new SourceError(`truncated JSON: the input ends inside an ${inside} (at byte ${reader.offset})`, reader.path);
}

/** "invalid JSON at byte N: …", with N in bytes from the start of the (decoded) input. */
export function invalidJson(err: unknown, text: string, base: number, path: string): SourceError {
  const fault = locateJsonError(text);
  if (fault === null || fault.what === 'unexpected end of input') {
    return new SourceError(`truncated JSON: unexpected end of input${fault ? ` at byte ${base + Buffer.byteLength(text)}` : `: ${cleanMessage(err)}`}`, path);
  }
  return new SourceError(`invalid JSON at byte ${base + Buffer.byteLength(text.slice(0, fault.at))}: ${fault.what}`, path);
}
