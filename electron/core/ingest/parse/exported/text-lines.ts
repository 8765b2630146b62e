// Lines of a text input, decoded as UTF-8, each at most `maxLine` bytes: a longer one is skipped
// without being held and comes out as null, so a hostile line costs no memory.
import type { ByteReader } from '../byte-reader.ts';

export type Line = { no: number; text: string | null };

export async function* readLines(reader: ByteReader, maxLine: number): AsyncGenerator<Line> {
  let no = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let tooLong = false;
  for (;;) {
    const buf = reader.buf;
    let start = reader.pos;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      no++;
      if (tooLong || pendingLength + (nl - start) > maxLine) yield { no, text: null };
      else {
        const piece = buf.subarray(start, nl);
        yield { no, text: (pending.length ? Buffer.concat([...pending, piece]) : piece).toString('utf8').replace(/\r$/, '') };
      }
      pending = [];
      pendingLength = 0;
      tooLong = false;
      start = nl + 1;
    }
    if (!tooLong && start < buf.length) {
      pendingLength += buf.length - start;
      if (pendingLength > maxLine) {
        tooLong = true;
        pending = [];
      } else pending.push(Buffer.from(buf.subarray(start)));
    }
    reader.pos = buf.length;
    if (!(await reader.nextChunk())) break;
  }
  if (tooLong) yield { no: no + 1, text: null };
  else if (pendingLength > 0) yield { no: no + 1, text: Buffer.concat(pending).toString('utf8').replace(/\r$/, '') };
}
