// yauzl's reads of an archive on disk, answered synchronously from a window of the file.
//
// yauzl's own reader (fd-slicer) makes every read an asynchronous `fs.read` through libuv's thread
// pool, and yauzl reads the central directory twice per member: listing a zip of 300,000 one-record
// CloudTrail files took 20.5 s of CPU and 25 s, and each reader lists it (docs/benchmarks.md, "Zip
// archives of many members"). Reading the file here, the central directory is read a window of
// `SEQUENTIAL_WINDOW` at a time while its reads follow each other, and a member's local header with
// the first `SCATTERED_WINDOW` of its data where reads jump about (a member at a time). The reader
// works on one thread, which has nothing else to do while it waits (enumerate-inputs.ts).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Read ahead while the reads follow each other: the central directory, about 150 bytes a member. */
const SEQUENTIAL_WINDOW = 1024 * 1024;
/** A member's data streamed (one past what is read whole) this much at a time. */
const STREAM_CHUNK = 256 * 1024;
/** Read ahead where a read lands elsewhere: a member's local header, and a small member's data with it. */
const SCATTERED_WINDOW = 8 * 1024;

// yauzl's reader base (util.inherits), typed by @types/yauzl as an abstract class.
const Base = yauzl.RandomAccessReader as unknown as new () => yauzl.RandomAccessReader;

export class ArchiveFileReader extends Base {
  private window: Buffer = Buffer.alloc(0);
  private windowAt = 0;
  /** Where the last read ended: a read starting there is taken for a sequential one. */
  private lastEnd = -1;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    let error: Error | null = null;
    let bytes = 0;
    try {
      bytes = this.copy(buffer, offset, length, position);
    } catch (err) {
      error = err as Error;
    }
    // Answered after the caller returns, as yauzl expects: its entry loop reads again from within the
    // answer, and answering at once would nest the stack a member deeper each time.
    queueMicrotask(() => callback(error, bytes));
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (start >= this.windowAt && end <= this.windowAt + this.window.length) {
      return Readable.from([this.window.subarray(start - this.windowAt, end - this.windowAt)], { objectMode: false });
    }
    // Not an fs stream on the file: destroying one closes its descriptor, which is this reader's to close.
    let at = start;
    const stream: Readable = new Readable({
      highWaterMark: STREAM_CHUNK,
      read: () => {
        let bytes: Buffer;
        try {
          bytes = this.readAt(at, Math.min(STREAM_CHUNK, end - at));
        } catch (err) {
          stream.destroy(err as Error);
          return;
        }
        at += bytes.length;
        if (bytes.length === 0) stream.destroy(new Error('unexpected end of archive'));
        else stream.push(bytes);
        if (at >= end) stream.push(null);
      },
    });
    return stream;
  }

  override close(callback: (err: Error | null) => void): void {
    let error: Error | null = null;
    try {
      closeSync(this.fd);
    } catch (err) {
      error = err as Error;
    }
    setImmediate(() => callback(error));
  }

  private copy(buffer: Buffer, offset: number, length: number, position: number): number {
    return this.bytesAt(position, Math.min(length, buffer.length - offset)).copy(buffer, offset);
  }

  /** Up to `length` bytes from `position` (fewer at the end of the file), from the window where it holds them. */
  bytesAt(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    if (position < this.windowAt || end > this.windowAt + this.window.length) {
      const ahead = position === this.lastEnd ? SEQUENTIAL_WINDOW : SCATTERED_WINDOW;
      // A new buffer each time: a stream or member handed out may still hold a slice of the last one.
      this.window = this.readAt(position, Math.max(end - position, ahead));
      this.windowAt = position;
    }
    this.lastEnd = end;
    return this.window.subarray(position - this.windowAt, end - this.windowAt);
  }

  /** Up to `length` bytes from `position`, fewer at the end of the file. */
  private readAt(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    let filled = 0;
    for (let n; filled < bytes.length && (n = readSync(this.fd, bytes, filled, bytes.length - filled, position + filled)) > 0; ) filled += n;
    return bytes.subarray(0, filled);
  }
}

/** An archive on disk opened for yauzl: its reader, which closes the file when yauzl lets it go. */
export function archiveFileReader(path: string): ArchiveFileReader {
  const fd = openSync(path, 'r');
  try {
    return new ArchiveFileReader(fd, fstatSync(fd).size);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
