// A small gzip input decoded in one call into one buffer, instead of through a stream of 256 KB
// chunks joined at the end. A CloudTrail object (about 75 KB of gzip, 1 MB of JSON) streamed took
// four chunks and their 1 MB join; each is a buffer of its own that lives until the reader's next
// full collection, and (past glibc's mmap threshold, which freeing large buffers raises) they come
// from and fragment the thread's malloc arena. One exactly sized buffer leaves a quarter of that.
// Anything unusual (a trailer that gives a size past the bound, a corrupt or truncated stream, a
// decoded size past the bound) answers null: the caller streams the input as before, so every
// refusal and every partial read keeps its reason and its records.
import { gunzipSync } from 'node:zlib';

/** Inputs up to this much gzip are decoded whole (a CloudTrail object is tens of KB to a few MB). */
export const WHOLE_GZIP_INPUT = 4 * 1024 * 1024;
/** And only when they decode to at most this: past it the JSON reader streams anyway (json-source.ts FAST_LIMIT). */
export const WHOLE_GZIP_OUTPUT = 4 * 1024 * 1024;

/** The smallest gzip member: a 10-byte header, an empty deflate block and the 8-byte trailer. */
const MIN_GZIP = 18;

/**
 * The decoded bytes of a whole gzip input (every member), or null when it is not to be decoded here.
 * The trailer's size (ISIZE, the last member's size mod 2^32) sizes the output; it is only a hint from
 * the file, so it is bounded, and the decode itself stops at WHOLE_GZIP_OUTPUT whatever it says.
 */
export function gunzipWhole(gzip: Buffer): Buffer | null {
  if (gzip.length < MIN_GZIP || gzip.length > WHOLE_GZIP_INPUT) return null;
  const stated = gzip.readUInt32LE(gzip.length - 4);
  if (stated > WHOLE_GZIP_OUTPUT) return null;
  try {
    // One byte more than the stated size: a full output buffer makes zlib allocate another before it
    // finds the end. A multi-member input (or a wrong ISIZE) still decodes, in more than one buffer.
    return gunzipSync(gzip, { chunkSize: Math.max(64, stated + 1), maxOutputLength: WHOLE_GZIP_OUTPUT });
  } catch {
    return null;
  }
}

