// Finds where one JSON value ends without parsing it, so a huge `{"Records":[...]}` file can be cut into
// records that JSON.parse handles one at a time. Works on bytes (quotes, brackets and backslashes are
// ASCII, so UTF-8 needs no decoding) and resumes across chunks through ScanState. It trusts the input
// to be JSON: a malformed record is caught when its slice is parsed.
import type { ByteReader } from './byte-reader.ts';
import { SourceError } from './source-error.ts';

export type ScanState = {
  started: boolean;
  depth: number;
  inString: boolean;
  /** The previous chunk ended on a backslash inside a string: skip the first byte of the next. */
  escaped: boolean;
  primitive: boolean;
};

export function newScanState(): ScanState {
  return { started: false, depth: 0, inString: false, escaped: false, primitive: false };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Scans buf from i for the end of the value (first byte of the value at i when the scan starts).
 * Returns the index just past the value, or -1 when the value continues in the next chunk.
 */
export function scanValue(buf: Buffer, i: number, st: ScanState): number {
  const len = buf.length;
  if (!st.started) {
    if (i >= len) return -1;
    st.started = true;
    const c = buf[i];
    if (c === 0x7b || c === 0x5b) {
      st.depth = 1;
      i++;
    } else if (c === QUOTE) {
      st.inString = true;
      i++;
    } else {
      st.primitive = true;
    }
  }
  if (st.primitive) {
    while (i < len) {
      const c = buf[i];
      if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
      i++;
    }
    return -1;
  }
  while (i < len) {
    if (st.escaped) {
      st.escaped = false;
      i++;
      continue;
    }
    if (st.inString) {
      for (;;) {
        const q = buf.indexOf(QUOTE, i);
        const backslash = nextBackslash(buf, i);
        if (backslash !== -1 && (q === -1 || backslash < q)) {
          i = backslash + 2;
          if (i > len) {
            st.escaped = true;
            return -1;
          }
          continue;
        }
        if (q === -1) return -1;
        i = q + 1;
        break;
      }
      st.inString = false;
      if (st.depth === 0) return i;
      continue;
    }
    const c = buf[i];
    if (c === QUOTE) st.inString = true;
    else if (c === 0x7b || c === 0x5b) st.depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--st.depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/**
 * The first backslash at or after i, remembered across calls on the same buffer. Searched afresh for
 * each string, a chunk without backslashes was scanned to its end once per small value: a stream of
 * tiny values cost time quadratic in the chunk size (15 µs a value in 256 KB chunks).
 */
let slashBuf: Buffer | null = null;
let slashFrom = 0;
let slashAt = -1;

function nextBackslash(buf: Buffer, i: number): number {
  if (buf !== slashBuf || i < slashFrom || (slashAt !== -1 && i > slashAt)) {
    slashBuf = buf;
    slashFrom = i;
    slashAt = buf.indexOf(BACKSLASH, i);
  }
  return slashAt;
}

export type ScannedValue = { bytes: Buffer; start: number };
export type Overflow = { overflow: true; pieces: Buffer[]; start: number };

/**
 * Reads one whole value at the reader's position (after whitespace). With a limit, stops once the
 * value is longer and hands back the bytes read so far so the caller can walk it as a stream instead.
 * Throws a SourceError when the input ends inside the value.
 */
export async function readValue(
  reader: ByteReader,
  limit = Infinity,
  what = 'value',
  onOverflow: 'return' | 'skip' = 'return',
): Promise<ScannedValue | Overflow> {
  const st = newScanState();
  const start = reader.offset;
  const pieces: Buffer[] = [];
  let held = 0;
  let from = reader.pos;
  for (;;) {
    const end = scanValue(reader.buf, from, st);
    if (end >= 0) {
      const last = reader.buf.subarray(from, end);
      reader.pos = end;
      if (pieces.length === 0) return { bytes: last, start };
      pieces.push(last);
      return { bytes: Buffer.concat(pieces), start };
    }
    const piece = reader.buf.subarray(from);
    pieces.push(piece);
    held += piece.length;
    if (held > limit) {
      reader.pos = reader.buf.length;
      if (onOverflow === 'return') return { overflow: true, pieces, start };
      await skipRest(reader, st, what, start);
      return { overflow: true, pieces: [], start };
    }
    if (!(await reader.nextChunk())) {
      if (st.primitive) return { bytes: Buffer.concat(pieces), start };
      throw new SourceError(`truncated JSON: the input ends inside a ${what} that starts at byte ${start}`, reader.path);
    }
    from = 0;
  }
}

async function skipRest(reader: ByteReader, st: ScanState, what: string, start: number): Promise<void> {
  if (!(await reader.nextChunk())) {
    if (st.primitive) return;
    throw new SourceError(`truncated JSON: the input ends inside a ${what} that starts at byte ${start}`, reader.path);
  }
  for (;;) {
    const end = scanValue(reader.buf, reader.pos, st);
    if (end >= 0) {
      reader.pos = end;
      return;
    }
    reader.pos = reader.buf.length;
    if (!(await reader.nextChunk())) {
      if (st.primitive) return;
      throw new SourceError(`truncated JSON: the input ends inside a ${what} that starts at byte ${start}`, reader.path);
    }
  }
}
