// A pull reader over a byte stream: the current chunk, a position in it, and the absolute offset of the
// chunk's first byte (so errors can name the byte they are at). Stream and zlib errors come out as
// SourceErrors with a reason a person understands, and so does a stream longer than its limit.
import { formatBytes } from './format-bytes.ts';
import { SourceError } from './source-error.ts';

const EMPTY = Buffer.alloc(0);

export class ByteReader {
  buf: Buffer = EMPTY;
  pos = 0;
  /** Absolute offset (in decoded bytes) of buf[0]. */
  base = 0;
  eof = false;
  private readonly it: AsyncIterator<Buffer>;
  readonly path: string;

  /** `maxBytes`: the stream fails with a SourceError once it has delivered more than this. */
  constructor(chunks: AsyncIterable<Buffer> | AsyncIterator<Buffer>, path: string, first?: Buffer[], readonly maxBytes = Infinity) {
    const source = Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Buffer>)[Symbol.asyncIterator]() : chunks;
    this.it = first && first.length > 0 ? prepend(first, source) : source;
    this.path = path;
  }

  get offset(): number {
    return this.base + this.pos;
  }

  /** Replaces the current chunk with the next one (bytes before it are dropped). False at the end. */
  async nextChunk(): Promise<boolean> {
    for (;;) {
      if (this.eof) return false;
      let result: IteratorResult<Buffer>;
      try {
        result = await this.it.next();
      } catch (err) {
        throw toSourceError(err, this.path);
      }
      this.base += this.buf.length;
      this.pos = 0;
      if (result.done) {
        this.buf = EMPTY;
        this.eof = true;
        return false;
      }
      this.buf = result.value;
      if (this.base + this.buf.length > this.maxBytes) {
        throw new SourceError(`decompressed size over ${formatBytes(this.maxBytes)} (the per-file limit; raise it with --max-bytes)`, this.path);
      }
      if (this.buf.length > 0) return true;
    }
  }

  /** Keeps the unread part of the current chunk and appends the next chunk to it. False at the end. */
  async extend(): Promise<boolean> {
    const rest = this.buf.subarray(this.pos);
    const restBase = this.base + this.pos;
    if (!(await this.nextChunk())) {
      this.buf = rest;
      this.base = restBase;
      this.pos = 0;
      return false;
    }
    if (rest.length > 0) {
      this.buf = Buffer.concat([rest, this.buf]);
      this.base = restBase;
    }
    return true;
  }

  /**
   * The unread bytes then the rest of the stream, to hand on (e.g. into a gunzip). Stopped early (a
   * reader that gives up on a gzip bomb), it stops the stream beneath, so the file closes now.
   */
  async *rest(): AsyncGenerator<Buffer> {
    const unread = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    try {
      if (unread.length > 0) yield unread;
      for (;;) {
        const r = await this.it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops the underlying stream (its file handle closes) when reading ends early. */
  async close(): Promise<void> {
    this.eof = true;
    try {
      await this.it.return?.();
    } catch {
      // closing after an error: nothing more to report
    }
  }

  /**
   * The unread bytes to the end of the stream as one buffer, when the stream ends before more than
   * `limit` of them were read (the chunk that crosses it still counts); else null, with every byte read
   * pushed back in front of the reader, so it goes on from where it was.
   */
  async whole(limit: number): Promise<Buffer | null> {
    const start = this.offset;
    const pieces: Buffer[] = [this.buf.subarray(this.pos)];
    let total = pieces[0].length;
    while (total <= limit && (await this.nextChunk())) {
      pieces.push(this.buf);
      total += this.buf.length;
    }
    if (this.eof) return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, total);
    this.unshift(pieces.slice(0, -1), start);
    return null;
  }

  /** Pushes bytes back in front of the unread part (used to re-walk a value that proved too big). */
  unshift(pieces: Buffer[], absoluteStart: number): void {
    this.buf = Buffer.concat([...pieces, this.buf.subarray(this.pos)]);
    this.base = absoluteStart;
    this.pos = 0;
  }

  /** Skips JSON whitespace; false at the end of input. */
  async skipWhitespace(): Promise<boolean> {
    for (;;) {
      const buf = this.buf;
      let i = this.pos;
      while (i < buf.length) {
        const c = buf[i];
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.pos = i;
          return true;
        }
        i++;
      }
      this.pos = i;
      if (!(await this.nextChunk())) return false;
    }
  }

  /** The next byte without consuming it (after skipWhitespace), or -1 at the end. */
  async peek(): Promise<number> {
    if (this.pos < this.buf.length) return this.buf[this.pos];
    return (await this.nextChunk()) ? this.buf[this.pos] : -1;
  }

  /** Reads chunks until at least `bytes` are buffered after pos or the input ends. */
  async fill(bytes: number): Promise<void> {
    while (this.buf.length - this.pos < bytes) {
      if (!(await this.extend())) return;
    }
  }
}

async function* prepend(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

export function toSourceError(err: unknown, path: string): SourceError {
  if (err instanceof SourceError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new SourceError('truncated gzip: unexpected end of file', path, { cause: err });
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return new SourceError(`corrupt gzip: ${message}`, path, { cause: err });
  }
  if (/invalid (distance|code|block|stored|literal)|crc32|bad crc|unexpected EOF|not enough bytes/i.test(message)) {
    return new SourceError(`corrupt compressed data: ${message}`, path, { cause: err });
  }
  return new SourceError(`read error: ${message}`, path, { cause: err });
}
