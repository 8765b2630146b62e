// Tar archives, plain or gzipped (`tar czf trail.tgz AWSLogs/`): a trail is often handed over so, and
// was refused whole as binary data. A tar has no directory to share out, so the reader that owns the
// file reads it from its start and gives each member as an input of its own, named
// `trail.tgz!/path/in/archive` (enumerate-inputs.ts, `ownInputs`).
//
// Told by content: a ustar header (its magic at 257 and its checksum right) at the start, or, inside
// gzip, a decompressed size that is a whole number of 512-byte blocks (gzip's trailer says it; tar pads
// to 10,240) and a ustar header at the start of what the first bytes inflate to. The first test spares
// the inflating for all but one in 512 of the CloudTrail files that are not archives.
//
// Everything in the archive is hostile: a name is a label, never a path written to; a link, a device
// or a folder is no input; a header that fails its checksum ends the archive with the reason; a
// member's size is bounded by the per-file limit, and one past it ends the archive (reading on would
// mean inflating it), as does a gzipped archive inflating past it; extended headers (pax, GNU long
// names) are bounded, and so are names; at most 500,000 members.
import { rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { ByteReader } from './byte-reader.ts';
import { isGzip } from './magic.ts';
import { shortReason, SourceError } from './source-error.ts';
import { tempCopyPath } from './temp-copies.ts';
import { WHOLE_READ, type InputFile } from './types.ts';
import { tooLarge, unreadable } from './unreadable-input.ts';

const BLOCK = 512;
/** An extended header (pax) or a GNU long name at most this long. */
const EXTENDED_HEADER_LIMIT = 1024 * 1024;
const MAX_TAR_MEMBERS = 500_000;
/** A member's name at most, in characters: a zip's can be 65,535 bytes, and each is a source's path in the case. */
const MAX_NAME_CHARS = 65_535;

/** Whether `bytes` start with a ustar header whose checksum is right. */
export function isTarHeader(bytes: Buffer): boolean {
  return bytes.length >= BLOCK && bytes.toString('latin1', 257, 262) === 'ustar' && checksumRight(bytes);
}

/**
 * Whether the input is a tar archive, and gzipped: `head` its first bytes (a few KB), `gzipSize` the
 * decompressed size its gzip trailer gives (modulo 2^32), asked only for a gzip head; null when it is
 * not known (a large zip member's trailer is at the end of all its inflating), and the head is then
 * inflated whatever it is.
 */
export function tarKind(head: Buffer, gzipSize: () => number | null): 'tar' | 'tar.gz' | null {
  if (isTarHeader(head)) return 'tar';
  if (!isGzip(head)) return null;
  const size = gzipSize();
  if (size !== null && (size === 0 || size % BLOCK !== 0)) return null;
  let first: Buffer;
  try {
    // 1 KB of deflate inflates to about 1 MB at most, and a header's 512 bytes deflate to far less.
    first = gunzipSync(head.subarray(0, 1024), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 * 1024 * 1024 });
  } catch {
    return null;
  }
  return isTarHeader(first) ? 'tar.gz' : null;
}

/** The decompressed size a whole gzip's trailer gives (the last 4 bytes, modulo 2^32). */
export const gzipTrailerSize = (bytes: Buffer) => (bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : null);

function checksumRight(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  if (stored === null) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum === stored;
}

/** An octal field (NUL- or space-ended), or GNU's base-256 for a large size; null when it is neither. */
function octal(header: Buffer, at: number, length: number): number | null {
  if (header[at] & 0x80) {
    // Base-256: big-endian after the marker bit; past 2^53 is refused as no number.
    let value = header[at] & 0x7f;
    for (let i = at + 1; i < at + length; i++) value = value * 256 + header[i];
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = header.toString('latin1', at, at + length).replace(/[\0 ]+$/, '').trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : text === '' ? 0 : null;
}

function text(header: Buffer, at: number, length: number): string {
  const end = header.indexOf(0, at);
  return header.toString('utf8', at, end === -1 || end > at + length ? at + length : end);
}

/** The `path` and `size` a pax extended header gives the member after it. */
function paxFields(data: Buffer): { path?: string; size?: number } {
  const fields: { path?: string; size?: number } = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space === -1 ? NaN : Number(data.toString('latin1', at, space));
    if (!Number.isSafeInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') fields.path = value;
    else if (key === 'size' && /^\d+$/.test(value)) fields.size = Number(value);
    at += length;
  }
  return fields;
}

/** `length` bytes from the reader, fewer at the end of the stream. */
async function take(reader: ByteReader, length: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let got = 0;
  while (got < length) {
    if (reader.pos >= reader.buf.length && !(await reader.nextChunk())) break;
    const piece = reader.buf.subarray(reader.pos, reader.pos + (length - got));
    reader.pos += piece.length;
    pieces.push(piece);
    got += piece.length;
  }
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, got);
}

/** Passes over `length` bytes; false when the stream ends first. */
async function skip(reader: ByteReader, length: number): Promise<boolean> {
  let left = length;
  while (left > 0) {
    if (reader.pos >= reader.buf.length && !(await reader.nextChunk())) return false;
    const step = Math.min(left, reader.buf.length - reader.pos);
    reader.pos += step;
    left -= step;
  }
  return true;
}

/** `length` bytes from the reader into a new temporary file, its path; false when the stream ends first. */
async function copyOut(reader: ByteReader, length: number): Promise<string | null> {
  const path = await tempCopyPath('.tar-member');
  const out = createWriteStream(path);
  try {
    let left = length;
    while (left > 0) {
      if (reader.pos >= reader.buf.length && !(await reader.nextChunk())) break;
      const piece = reader.buf.subarray(reader.pos, reader.pos + left);
      reader.pos += piece.length;
      left -= piece.length;
      // Back-pressure: each piece waits for the disk, so memory holds about one.
      await new Promise<void>((done, fail) => out.write(piece, (err) => (err ? fail(err) : done())));
    }
    out.end();
    await finished(out);
    if (left > 0) {
      await rm(path, { force: true });
      return null;
    }
    return path;
  } catch (err) {
    out.destroy();
    await rm(path, { force: true });
    throw err;
  }
}

/**
 * The members of a tar archive read from `stream` (gunzipped first for `tar.gz`), each an input the
 * caller reads before asking for the next: a member past `WHOLE_READ` is a temporary copy, removed when
 * the next member is asked for.
 */
export async function* tarMembers(stream: Readable, kind: 'tar' | 'tar.gz', display: string, maxBytes: number): AsyncGenerator<InputFile> {
  const gunzip = kind === 'tar.gz' ? createGunzip() : null;
  const bytes = gunzip ? gunzip : stream;
  if (gunzip) pipeline(stream, gunzip).catch(() => {}); // its error reaches the reader through the gunzip
  // Inflated, the archive is bounded by the per-file limit as any gzip is (a plain one was by its size).
  const reader = new ByteReader(bytes, display, undefined, maxBytes);
  let copy: string | null = null;
  const corrupt = (reason: string) => unreadable(display, `corrupt tar archive: ${reason}`);
  // The limit's own words, or what the gunzip or the disk said.
  const failed = (err: unknown) => (err instanceof SourceError ? unreadable(display, err.message) : corrupt(shortReason(err)));
  try {
    let members = 0;
    let longName: string | null = null;
    let pax: { path?: string; size?: number } = {};
    for (;;) {
      if (copy !== null) {
        await rm(copy, { force: true });
        copy = null;
      }
      let header: Buffer;
      try {
        header = await take(reader, BLOCK);
      } catch (err) {
        yield failed(err);
        return;
      }
      if (header.length === 0 || header.every((b) => b === 0)) return;
      if (header.length < BLOCK) {
        yield corrupt('it ends inside a header');
        return;
      }
      if (!checksumRight(header)) {
        yield corrupt(`the header after ${members} members fails its checksum`);
        return;
      }
      const type = String.fromCharCode(header[156]);
      const declared = octal(header, 124, 12);
      const size = pax.size ?? declared;
      if (size === null) {
        yield corrupt(`the header after ${members} members gives no size`);
        return;
      }
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === 'x' || type === 'L') {
        if (size > EXTENDED_HEADER_LIMIT) {
          yield corrupt(`an extended header of ${size} bytes`);
          return;
        }
        const data = await take(reader, size);
        if (data.length < size || !(await skip(reader, padding))) {
          yield corrupt('it ends inside an extended header');
          return;
        }
        if (type === 'x') pax = paxFields(data);
        else longName = text(data, 0, data.length);
        continue;
      }
      const prefix = header.toString('latin1', 257, 263) === 'ustar\0' ? text(header, 345, 155) : '';
      // `tar -C dir .` writes every name under `./`, which names nothing.
      const name = (pax.path ?? longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100))).replace(/^(\.\/)+/, '');
      pax = {};
      longName = null;
      if (name.length > MAX_NAME_CHARS) {
        yield corrupt(`a member named in ${name.length.toLocaleString('en-US')} characters`);
        return;
      }
      if (size > maxBytes) {
        // Reading on would mean reading through it (inflating it, in a tar.gz).
        yield unreadable(`${display}!/${name}`, `${tooLarge('tar member', maxBytes)}; the archive's later members are not read`);
        return;
      }
      if (type === 'g' || type === 'K' || type === '5') {
        // A global header, a long link name, a folder: nothing to read.
        if (!(await skip(reader, size + padding))) {
          yield corrupt('it ends inside a member');
          return;
        }
        continue;
      }
      if (++members > MAX_TAR_MEMBERS) {
        yield unreadable(display, `tar archive with more than ${MAX_TAR_MEMBERS.toLocaleString('en-US')} members`);
        return;
      }
      const path = `${display}!/${name}`;
      if (type !== '0' && type !== '\0' && type !== '7') {
        if (!(await skip(reader, size + padding))) {
          yield corrupt('it ends inside a member');
          return;
        }
        yield unreadable(path, 'not a regular file');
        continue;
      }
      const mtime = octal(header, 136, 12);
      const mtimeMs = mtime === null ? undefined : mtime * 1000;
      if (size <= WHOLE_READ) {
        const data = await take(reader, size);
        if (data.length < size || !(await skip(reader, padding))) {
          yield corrupt('it ends inside a member');
          return;
        }
        yield memberInMemory(path, data, mtimeMs);
      } else {
        copy = await copyOut(reader, size);
        if (copy === null || !(await skip(reader, padding))) {
          yield corrupt('it ends inside a member');
          return;
        }
        yield memberCopied(path, copy, size, mtimeMs);
      }
    }
  } catch (err) {
    yield failed(err);
  } finally {
    if (copy !== null) await rm(copy, { force: true });
    gunzip?.destroy();
    stream.destroy();
  }
}

function memberInMemory(path: string, data: Buffer, mtimeMs: number | undefined): InputFile {
  return { path, size: data.length, mtimeMs, open: async () => Readable.from([data], { objectMode: false }) };
}

function memberCopied(path: string, copy: string, size: number, mtimeMs: number | undefined): InputFile {
  return {
    path,
    size,
    mtimeMs,
    open: async () => {
      const stream = createReadStream(copy);
      await new Promise<void>((done, fail) => {
        stream.once('open', () => done());
        stream.once('error', (err) => fail(new SourceError(`cannot read its temporary copy: ${shortReason(err)}`, path, { cause: err })));
      });
      return stream;
    },
  };
}
