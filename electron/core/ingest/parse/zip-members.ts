// The members of a zip archive as positions of the walk (enumerate-inputs.ts), as a folder's files are.
//
// Every walk opens an archive named `.zip` to share out its members among the readers; a member is a
// position. As with a folder's files, the walk reads only names and sizes: a member named `.zip` is
// opened by every walk to find whether it is an archive to share out in turn, and any other member only
// by the reader that owns it (`ZipMember.sniff`), which reads its members itself if its content is an
// archive after all. Until session 55 every walk opened every member to look at its first bytes, held
// the whole central directory as yauzl's entries, and each member's owner opened the archive anew,
// reading its last 64 KB again: a zip of 300,000 one-record files took 239 s and 2.1 GB to ingest,
// against 33 s and 0.5 GB for the same files in a folder (docs/benchmarks.md, "Zip archives of many
// members"). Now the central directory is read in pieces of `PIECE` members, each sorted by name (an
// archive of fewer is sorted whole, as before), and a member is read through the walk's own handle on
// the archive while the walk holds it.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byCodeUnit } from '../../text-order.ts';
import { PIECE } from './folder-entries.ts';
import { firstChunk, HEAD_BYTES, isZip } from './magic.ts';
import { shortReason, SourceError } from './source-error.ts';
import { gzipTrailerSize, tarKind } from './tar-archive.ts';
import { tempCopyPath } from './temp-copies.ts';
import { WHOLE_READ, type InputFile } from './types.ts';
import { tooLarge, unreadable } from './unreadable-input.ts';
import { isEncrypted, openEntryStream, openMember, openZip, readEntries, readMember, type ZipEntry, type ZipFile, type ZipLocation } from './zip-archive.ts';

/** Nested archives up to this size are held in memory; larger ones are copied to a temp file. */
const NESTED_IN_MEMORY_LIMIT = 64 * 1024 * 1024;
/** Deeper nesting than this is almost certainly a zip bomb. */
const MAX_ZIP_DEPTH = 4;
/**
 * Members of one archive: a crafted central directory of millions of empty members would keep every
 * walk listing it before a byte is read (a year of one region's CloudTrail is about 105,000 files).
 */
const MAX_ZIP_MEMBERS = 500_000;
/** Names held per piece at most: 65,536 of CloudTrail's take 6 MB, and a crafted directory's can run to 65,535 bytes each. */
const PIECE_NAME_CHARS = 16 * 1024 * 1024;
/** The name under which every walk opens an archive to share out its members (enumerate-inputs.ts). */
export const SHARED_ARCHIVE = /\.zip$/i;

const byName = (a: ZipEntry, b: ZipEntry) => byCodeUnit(a.fileName, b.fileName);

/** The positions an archive holds, `depth` archives deep; an archive that cannot be read is one unreadable position. */
export async function* zipMembers(location: ZipLocation, display: string, depth: number, maxBytes: number): AsyncGenerator<InputFile> {
  let zip: ZipFile;
  try {
    zip = await openZip(location);
  } catch (err) {
    yield unreadable(display, `corrupt zip archive: ${shortReason(err)}`);
    return;
  }
  try {
    if (zip.entryCount > MAX_ZIP_MEMBERS) {
      yield unreadable(display, `zip archive with more than ${MAX_ZIP_MEMBERS.toLocaleString('en-US')} members`);
      return;
    }
    for (;;) {
      let piece: ZipEntry[];
      try {
        piece = await readEntries(zip, PIECE, PIECE_NAME_CHARS);
      } catch (err) {
        yield unreadable(display, `corrupt zip archive: ${shortReason(err)}`);
        return;
      }
      if (piece.length === 0) return;
      for (const entry of piece.filter((e) => !e.fileName.endsWith('/')).sort(byName)) {
        yield* memberPositions(zip, location, entry, `${display}!/${entry.fileName}`, depth, maxBytes);
      }
    }
  } finally {
    // The file closes once the members' streams opened through it have ended.
    zip.close();
  }
}

async function* memberPositions(zip: ZipFile, location: ZipLocation, entry: ZipEntry, path: string, depth: number, maxBytes: number): AsyncGenerator<InputFile> {
  if (isEncrypted(entry)) {
    yield unreadable(path, 'encrypted zip member (password-protected archives are not supported)');
    return;
  }
  // A member that inflates past its declared size is refused (readMember, and yauzl's streams), so the declared size bounds it.
  if (entry.uncompressedSize > maxBytes) {
    yield unreadable(path, tooLarge('zip member', maxBytes));
    return;
  }
  const member = new ZipMember(path, location, entry, zip, depth);
  if (SHARED_ARCHIVE.test(entry.fileName) && isZip(await peekEntry(zip, entry))) yield* nestedMembers(member, maxBytes);
  else yield member;
}

/** The members of an archive found inside another, or why they cannot be read. */
export async function* nestedMembers(member: ZipMember, maxBytes: number): AsyncGenerator<InputFile> {
  if (member.depth >= MAX_ZIP_DEPTH) {
    yield unreadable(member.path, `zip archives nested deeper than ${MAX_ZIP_DEPTH} levels`);
    return;
  }
  let nested: ZipLocation;
  try {
    nested = await member.asArchive();
  } catch (err) {
    yield unreadable(member.path, `corrupt zip archive: ${shortReason(err)}`);
    return;
  }
  yield* zipMembers(nested, member.path, member.depth + 1, maxBytes);
}

/** The first bytes of a member, or none when it cannot be read (its opening then says why). */
async function peekEntry(zip: ZipFile, entry: ZipEntry): Promise<Buffer> {
  try {
    return Buffer.from((await firstChunk(await openEntryStream(zip, entry))).subarray(0, 4));
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * A member as a position of the walk. Its owner looks at it first (`sniff`): a small member is then read
 * whole, and that read serves its open(), so that finding out whether it is an archive costs no read of
 * its own.
 */
export class ZipMember implements InputFile {
  readonly size: number;
  readonly mtimeMs: number;
  private bytes: Buffer | null = null;
  /** A larger member's first bytes, as sniff() read them. */
  private head: Buffer | null = null;

  constructor(
    readonly path: string,
    private readonly location: ZipLocation,
    private readonly entry: ZipEntry,
    /** The walk's handle on the archive, used while the walk holds it. */
    private readonly walkZip: ZipFile,
    /** How many archives deep it lies. */
    readonly depth: number,
  ) {
    this.size = entry.uncompressedSize;
    this.mtimeMs = entry.mtimeMs;
  }

  /** Its first bytes; SourceError when it cannot be read. */
  async sniff(): Promise<Buffer> {
    // Also by its stored size: a crafted directory can declare a few bytes inflated from gigabytes
    // stored, which are streamed (and refused at the declared size) rather than read into memory.
    if (this.size <= WHOLE_READ && this.entry.compressedSize <= WHOLE_READ) {
      try {
        this.bytes = await readMember(this.location, this.entry, this.walkZip);
      } catch (err) {
        throw this.cannotRead(err);
      }
      return this.bytes.subarray(0, 4);
    }
    const stream = await this.openStream();
    try {
      this.head = Buffer.from((await firstChunk(stream)).subarray(0, HEAD_BYTES));
    } catch (err) {
      throw this.cannotRead(err);
    }
    return this.head.subarray(0, 4);
  }

  /**
   * Whether it is a tar archive, plain or gzipped (tar-archive.ts), after sniff: told from the bytes
   * sniff() kept, or for a larger member from its first chunk alone (its gzip trailer would take
   * inflating all of it; large members are few).
   */
  tarKind(): 'tar' | 'tar.gz' | null {
    const bytes = this.bytes;
    if (bytes) return tarKind(bytes.subarray(0, HEAD_BYTES), () => gzipTrailerSize(bytes));
    return this.head ? tarKind(this.head, () => null) : null;
  }

  /** Where the archive it turned out to be is read from: the bytes sniff() kept, else a copy of the member. */
  async asArchive(): Promise<ZipLocation> {
    const bytes = this.bytes;
    this.bytes = null;
    return bytes ? { kind: 'buffer', buffer: bytes } : extractNested(await this.openStream(), this.size);
  }

  async open(): Promise<Readable> {
    const bytes = this.bytes;
    if (bytes) {
      // Read once, parsed once: a later open (the evidence) reads the member again.
      this.bytes = null;
      return Readable.from([bytes], { objectMode: false });
    }
    return this.openStream();
  }

  private async openStream(): Promise<Readable> {
    try {
      return await openMember(this.location, this.entry, this.walkZip);
    } catch (err) {
      throw this.cannotRead(err);
    }
  }

  private cannotRead(err: unknown): SourceError {
    return err instanceof SourceError ? err : new SourceError(`cannot read zip member: ${shortReason(err)}`, this.path, { cause: err });
  }
}

/** A nested archive's bytes: in memory up to `NESTED_IN_MEMORY_LIMIT`, else a temporary copy. */
async function extractNested(stream: Readable, size: number): Promise<ZipLocation> {
  if (size <= NESTED_IN_MEMORY_LIMIT) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { kind: 'buffer', buffer: Buffer.concat(chunks) };
  }
  // The copy must outlive enumeration (members open later): it goes when the process does.
  const path = await tempCopyPath('.zip');
  try {
    await pipeline(stream, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { kind: 'file', path };
}
