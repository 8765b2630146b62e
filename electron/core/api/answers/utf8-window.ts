// A window of a UTF-8 value as text: `event:field` hands out a long value in byte ranges, and a byte
// range may start or end inside a character. The window drops a leading partial character (an offset
// the client made up) and stops before a trailing one, and says where the next window starts, so
// windows laid end to end rebuild the value exactly.
export type Utf8Window = { text: string; offset: number; nextOffset: number; total: number };

const isContinuation = (b: number) => (b & 0xc0) === 0x80;

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1; // not UTF-8: pass the byte on as one (decoded as U+FFFD)
}

/** `bytes` are the value's bytes from `offset` on (a window's worth, or to the end); `total` its full size. */
export function utf8Window(bytes: Uint8Array, offset: number, total: number): Utf8Window {
  let start = 0;
  while (start < bytes.length && start < 3 && offset + start > 0 && isContinuation(bytes[start])) start++;
  let end = bytes.length;
  if (offset + end < total) {
    // Back off to the last lead byte; keep its character only if it is complete in the window.
    let lead = end - 1;
    while (lead > start && end - lead < 4 && isContinuation(bytes[lead])) lead--;
    if (lead >= start && lead + sequenceLength(bytes[lead]) > end) end = lead;
  }
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'), offset: offset + start, nextOffset: offset + end, total };
}
