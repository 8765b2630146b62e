// A CloudTrail record's own bytes, when they are exactly what JSON.stringify would write for it. The
// raw store keeps each record as JSON.stringify's text, and re-serialising every record cost a reader
// about a tenth of its time; CloudTrail writes its log files compactly, so for most records the bytes
// already read are that very text. The JSON reader (json-source.ts) has a `{"Records":[…]}` file parsed
// here a record at a time, and the bytes of each record that passes the check are kept; prepare-batch.ts
// stores them instead of stringifying the record. A record that fails the check (whitespace, an escape
// JSON.stringify writes otherwise, a number not in its shortest form, a key JSON.parse reorders or a
// repeated one) has no bytes kept and is stringified as before, so the stored text never differs.
import { isAscii, isUtf8 } from 'node:buffer';
import { scanValue, newScanState } from './json-scan.ts';

/** Parsed record → its canonical bytes. Weak: a record that is dropped takes its entry with it. */
const sources = new WeakMap<object, Buffer>();

/** The record's text as JSON.stringify would write it, as bytes, when the reader kept it. */
export function recordSource(record: unknown): Buffer | undefined {
  return typeof record === 'object' && record !== null ? sources.get(record) : undefined;
}

/** Records nested deeper than this are not checked (they are stringified): the check recurses. */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * A `{"Records":[…]}` document (CloudTrail's own layout, with any whitespace between its tokens), parsed
 * a record at a time, each record written canonically getting its bytes kept. Null for any other layout
 * or for bytes that are not UTF-8; the caller then parses the document whole (and names its fault).
 *
 * Why not JSON.parse of the whole file: its text is one string of hundreds of KB, which V8 allocates
 * outside the young generation at about 350 MB/s (measured: 3.8 µs of a reader's 35–50 µs an event went
 * to that decoding alone); a record's text is a small string, decoded at several GB/s. The records
 * become the same values: each slice is handed to JSON.parse, which accepts it only as one whole JSON
 * value, and the bytes between the slices are checked here to be exactly the skeleton's tokens, so the
 * document is valid JSON exactly when this returns, and JSON.parse of it gives these records.
 */
export function parseRecordsFile(bytes: Buffer): { Records: unknown[] } | null {
  const ascii = isAscii(bytes);
  if (!ascii && !isUtf8(bytes)) return null;
  const c = new Checker(bytes);
  if (!c.token(OPEN_OBJECT) || !c.token(RECORDS_KEY) || !c.token(COLON) || !c.token(OPEN_ARRAY)) return null;
  const records: unknown[] = [];
  c.space();
  if (bytes[c.pos] === CLOSE_ARRAY) c.pos++;
  else {
    for (;;) {
      const start = c.pos;
      c.keys = 0;
      const canonical = c.value(0);
      // Past the first fault the check stops: the scanner finds where the element ends.
      const end = canonical ? c.pos : skip(bytes, start);
      if (end < 0 || end > bytes.length) return null;
      let record: unknown;
      try {
        record = JSON.parse(bytes.toString(ascii ? 'latin1' : 'utf8', start, end));
      } catch {
        return null;
      }
      records.push(record);
      // A repeated key is the one thing the byte check cannot see: JSON.parse keeps one of the two.
      if (canonical && typeof record === 'object' && record !== null && !Array.isArray(record) && keyCount(record) === c.keys) {
        sources.set(record, bytes.subarray(start, end));
      }
      c.pos = end;
      c.space();
      const next = bytes[c.pos++];
      if (next === CLOSE_ARRAY) break;
      if (next !== COMMA) return null;
      c.space();
    }
  }
  if (!c.token(CLOSE_OBJECT)) return null;
  c.space();
  return c.pos === bytes.length ? { Records: records } : null;
}

/** Every key of a parsed value, nested ones included (depth is bounded by the byte check before). */
function keyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += keyCount(x);
    return n;
  }
  for (const k in v) n += 1 + keyCount((v as Record<string, unknown>)[k]);
  return n;
}

const OPEN_OBJECT = Buffer.from('{');
const CLOSE_OBJECT = Buffer.from('}');
const OPEN_ARRAY = Buffer.from('[');
const RECORDS_KEY = Buffer.from('"Records"');
const COLON = Buffer.from(':');
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** The end of the value that starts at i, or -1 when it does not end in buf. */
function skip(buf: Buffer, i: number): number {
  return scanValue(buf, i, newScanState());
}

class Checker {
  pos = 0;
  keys = 0;
  /** Where the next backslash after pos is (strings are searched by indexOf, escapes found ahead). */
  private backslash = -1;

  constructor(private readonly buf: Buffer) {}

  space(): void {
    const buf = this.buf;
    let c = buf[this.pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++this.pos];
  }

  /** Whitespace, then exactly these bytes; pos ends past them. */
  token(bytes: Buffer): boolean {
    this.space();
    if (!this.buf.subarray(this.pos, this.pos + bytes.length).equals(bytes)) return false;
    this.pos += bytes.length;
    return true;
  }

  /** Checks the value at pos is written as JSON.stringify writes it, moving pos past it if so. */
  value(depth: number): boolean {
    const buf = this.buf;
    const c = buf[this.pos];
    if (c === QUOTE) return this.string();
    if (c === 0x7b) {
      if (depth >= MAX_DEPTH) return false;
      this.pos++;
      if (buf[this.pos] === 0x7d) {
        this.pos++;
        return true;
      }
      for (;;) {
        // JSON.parse puts keys that are array indices first: a key starting with a digit may move.
        const k = buf[this.pos + 1];
        if (buf[this.pos] !== QUOTE || (k >= 0x30 && k <= 0x39)) return false;
        if (!this.string() || buf[this.pos] !== 0x3a) return false;
        this.pos++;
        this.keys++;
        if (!this.value(depth + 1)) return false;
        const next = buf[this.pos++];
        if (next === 0x7d) return true;
        if (next !== 0x2c) return false;
      }
    }
    if (c === 0x5b) {
      if (depth >= MAX_DEPTH) return false;
      this.pos++;
      if (buf[this.pos] === 0x5d) {
        this.pos++;
        return true;
      }
      for (;;) {
        if (!this.value(depth + 1)) return false;
        const next = buf[this.pos++];
        if (next === 0x5d) return true;
        if (next !== 0x2c) return false;
      }
    }
    if (c === 0x74 || c === 0x6e) return this.literal(c === 0x74 ? TRUE : NULL);
    if (c === 0x66) return this.literal(FALSE);
    return this.number();
  }

  private literal(word: Buffer): boolean {
    if (!this.buf.subarray(this.pos, this.pos + word.length).equals(word)) return false;
    this.pos += word.length;
    return true;
  }

  /** A number is kept only in the form JSON.stringify gives it (no 1.0, 1e3, -0, 007, or digits past a double's). */
  private number(): boolean {
    const buf = this.buf;
    const start = this.pos;
    let i = start;
    let plain = true;
    if (buf[i] === 0x2d) i++;
    for (;;) {
      const c = buf[i];
      if (c >= 0x30 && c <= 0x39) i++;
      else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) {
        plain = false;
        i++;
      } else break;
    }
    this.pos = i;
    const digits = i - start - (buf[start] === 0x2d ? 1 : 0);
    if (plain && digits > 0 && digits <= 15) {
      const first = buf[i - digits];
      return first !== 0x30 || (digits === 1 && buf[start] !== 0x2d);
    }
    const text = buf.toString('latin1', start, i);
    return String(Number(text)) === text;
  }

  /** A string whose escapes are the ones JSON.stringify writes; pos ends past its closing quote. */
  private string(): boolean {
    const buf = this.buf;
    let i = this.pos + 1;
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      // Unterminated: not JSON at all (the document is checked here before anything parses it).
      if (q === -1) return false;
      if (this.backslash < i && this.backslash !== -2) {
        this.backslash = buf.indexOf(BACKSLASH, i);
        if (this.backslash === -1) this.backslash = -2; // none left in the document
      }
      if (this.backslash >= 0 && this.backslash < q) {
        const e = buf[this.backslash + 1];
        if (e === 0x75) {
          if (!controlEscape(buf, this.backslash + 2)) return false;
          i = this.backslash + 6;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x6e || e === 0x72 || e === 0x74 || e === 0x62 || e === 0x66) {
          i = this.backslash + 2;
        } else return false; // \/ and anything else JSON.stringify would not write
        continue;
      }
      this.pos = q + 1;
      return true;
    }
  }
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/**
 * \uXXXX as JSON.stringify writes it: lower-case hex, and only for a control character that has no
 * short escape (a lone surrogate, which it also writes so, is left to the fallback: rare).
 */
function controlEscape(buf: Buffer, at: number): boolean {
  if (buf[at] !== 0x30 || buf[at + 1] !== 0x30) return false;
  const hi = buf[at + 2];
  const lo = buf[at + 3];
  if (hi !== 0x30 && hi !== 0x31) return false;
  const loValue = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x61 + 10 : -1;
  if (loValue < 0) return false;
  const code = (hi - 0x30) * 16 + loValue;
  return code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
}
