// Walks the paths a user dropped (files, folders, zip archives, zips inside zips) and yields one
// InputFile per readable leaf, in a deterministic order: arguments as given, folder entries sorted by
// name, archive members sorted by name.
//
// In two steps, because every reader worker walks the same inputs and reads only its share of them
// (read-worker.ts): `walkInputs` lists the positions of the walk from the folders' entries alone, and
// `ownInputs` opens one position for the reader that owns it. A file is a position; so is each member
// of an archive named `.zip`, which every walk opens (its central directory) so that the readers share
// out the members of the one large archive a user hands over. Any other file is opened only by its
// owner, which finds out there whether it is an archive after all (formats are told by content, never
// by name) and then reads its members itself. A walk that read the first bytes of every file, as this
// one did until session 39, cost each reader four system calls a file it does not read, the first
// reader's count the same once more (docs/benchmark-history.md, "What each file costs").
//
// Choice documented for the pipeline: enumeration never throws for a bad path. A path that cannot be
// read (missing, no permission, corrupt archive, encrypted member) is still yielded, and its open()
// rejects with a SourceError whose message is the reason; the writer records it like any other
// rejected source, so nothing is skipped silently.
//
// The paths given are the boundary: a symbolic link inside them whose target lies outside all of them
// is not followed (unless the caller asks, `followLinks`) but yielded as an unreadable input with that
// reason. An evidence folder is written by whoever is under investigation; a link in it to
// ~/.aws/credentials must not bring that file into the case.
//
// The file system is asked synchronously. Enumeration and reading run in a reader worker
// (read-worker.ts), which has nothing else to do while it waits; a promise-based open, read and close
// cost about 150 µs of CPU a file in thread hand-offs against 20 µs synchronously, and a busy account
// delivers many small files (a quiet region's five minutes hold a few records): with files of ten
// records that overhead made ingest several times slower (docs/benchmark-history.md, "Many small files").
import {
  closeSync, constants, createReadStream, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync,
  type Stats,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { HEAD_BYTES, isZip } from './magic.ts';
import { describeFsError, shortReason, SourceError } from './source-error.ts';
import { DEFAULT_MAX_BYTES, WHOLE_READ, type InputFile, type RandomAccessFile } from './types.ts';
import { nestedMembers, SHARED_ARCHIVE, ZipMember, zipMembers } from './zip-members.ts';
import { gzipTrailerSize, tarKind, tarMembers } from './tar-archive.ts';
import type { ZipLocation } from './zip-archive.ts';
import { tooLarge, unreadable } from './unreadable-input.ts';
import { readsByRange } from './random-access.ts';
import { folderEntries, type FolderEntry } from './folder-entries.ts';

const READ_CHUNK = 256 * 1024;

export type EnumerateOptions = {
  /** Follow symbolic links that lead outside the given paths (off by default). */
  followLinks?: boolean;
  /** A file or zip member declaring more than this many bytes is refused without being read. */
  maxBytes?: number;
};

/** Open flags for a file reached through the walk: a file swapped for a link after the check is refused. */
const NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

type Walk = {
  seenFolders: Set<string>;
  /** Real paths of the given paths: a link may lead anywhere inside them. */
  roots: string[];
  followLinks: boolean;
  maxBytes: number;
};

/** Every leaf under the paths, as one reader reading them all sees them: each position of the walk, opened. */
export async function* enumerateInputs(paths: string[], options: EnumerateOptions = {}): AsyncGenerator<InputFile> {
  for await (const position of walkInputs(paths, options)) yield* ownInputs(position, options);
}

/**
 * The positions of the walk, the same for every reader: each file (unopened, its size unknown until
 * `ownInputs` opens it, unless the walk had to ask), each member of an archive named `.zip`, and each
 * path that cannot be read, as an input whose open() rejects with the reason.
 */
export async function* walkInputs(paths: string[], options: EnumerateOptions = {}): AsyncGenerator<InputFile> {
  const roots = paths.map((p) => realpathOr(p, resolve(p)));
  const ctx: Walk = { seenFolders: new Set(), roots, followLinks: options.followLinks ?? false, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES };
  // A path the user names is read wherever it points; only what is found inside it is checked.
  // The folders are walked by a synchronous generator, which hands over each archive it finds to be
  // opened here: an item passed up through an async generator per folder level cost several µs.
  for (const path of paths) {
    for (const found of walkGiven(path, ctx)) {
      if (found instanceof ZipFile) yield* zipMembers({ kind: 'file', path: found.target }, found.path, 1, ctx.maxBytes);
      else yield found;
    }
  }
}

/**
 * What a position of the walk holds for the reader that owns it: the file itself, opened (its size
 * and time as it is now, its bytes kept for its open() when it is small), or the members of the
 * archive it turns out to be. Anything else the walk gave is its own leaf.
 */
export async function* ownInputs(position: InputFile, options: EnumerateOptions = {}): AsyncGenerator<InputFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (position instanceof ZipMember) {
    yield* ownMember(position, maxBytes);
    return;
  }
  if (!(position instanceof FileInput)) {
    yield position;
    return;
  }
  let head: Buffer;
  try {
    head = position.sniff();
  } catch (err) {
    yield refused(position.path, err);
    return;
  }
  if (isZip(head)) {
    yield* zipMembers(position.asArchive(), position.path, 1, maxBytes);
    return;
  }
  yield* itselfOrTarMembers(position, tarKind(head, () => position.gzipSize()), maxBytes);
}

/** An input the owner read, or, when it is a tar archive, its members (tar-archive.ts). */
async function* itselfOrTarMembers(input: InputFile, kind: 'tar' | 'tar.gz' | null, maxBytes: number): AsyncGenerator<InputFile> {
  if (kind === null) {
    yield input;
    return;
  }
  let stream: Readable;
  try {
    stream = await input.open();
  } catch (err) {
    yield refused(input.path, err);
    return;
  }
  yield* tarMembers(stream, kind, input.path, maxBytes);
}

/** A member of an archive, for its owner: itself, or the members of the archive it turns out to be. */
async function* ownMember(member: ZipMember, maxBytes: number): AsyncGenerator<InputFile> {
  let head: Buffer;
  try {
    head = await member.sniff();
  } catch (err) {
    yield refused(member.path, err);
    return;
  }
  if (isZip(head)) yield* nestedMembers(member, maxBytes);
  else yield* itselfOrTarMembers(member, member.tarKind(), maxBytes);
}

/** An input its owner could not open, refused with the reason its error gives. */
function refused(path: string, err: unknown): InputFile {
  return unreadable(path, err instanceof SourceError ? err.message : shortReason(err));
}

/**
 * How many inputs the walk holds and their stored bytes, for the progress: each file's size is asked
 * (one system call), none is opened. An archive found by content alone counts as one file, its stored bytes.
 */
export async function countInputs(paths: string[], options: EnumerateOptions = {}): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for await (const position of walkInputs(paths, options)) {
    files++;
    bytes += position instanceof FileInput ? position.storedSize() : position.size;
  }
  return { files, bytes };
}

/** A zip archive the walk found, for walkInputs to open. */
class ZipFile {
  constructor(
    readonly path: string,
    readonly target: string,
  ) {}
}

function insideRoots(real: string, roots: string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

/** A path the user named: followed wherever it points. */
function* walkGiven(path: string, ctx: Walk): Generator<InputFile | ZipFile> {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  yield* walkFound(path, path, info, ctx);
}

/**
 * A folder's entries, sorted, each by the type its entry gives: no system call for a file or a folder
 * (a file system that gives no type has Node ask for it), a link checked against the given paths.
 * A folder of more entries than `PIECE` is sorted piece by piece, in the order the folder lists them
 * (folder-entries.ts): hundreds of thousands of files are not held whole.
 */
function* walkFolder(path: string, target: string, ctx: Walk): Generator<InputFile | ZipFile> {
  // Symbolic links can loop back to a parent; each real folder is walked once.
  const real = realpathOr(target, target);
  if (ctx.seenFolders.has(real)) return;
  ctx.seenFolders.add(real);
  const entries = folderEntries(target);
  const flags = ctx.followLinks ? constants.O_RDONLY : NO_FOLLOW;
  try {
    for (;;) {
      let next: IteratorResult<FolderEntry>;
      try {
        next = entries.next();
      } catch (err) {
        yield unreadable(path, `cannot read folder: ${describeFsError(err)}`);
        return;
      }
      if (next.done) return;
      const { name, kind } = next.value;
      const child = join(path, name);
      if (kind === 'folder') yield* walkFolder(child, child, ctx);
      else if (kind === 'file') yield* walkFile(child, null, flags, null, ctx);
      else if (kind === 'link') yield* walkLink(child, ctx);
      else yield unreadable(child, 'not a regular file');
    }
  } finally {
    // A walk given up before the folder's end closes it.
    entries.return();
  }
}

/** A link found inside the given paths: followed only where it stays inside them, unless the user asked. */
function* walkLink(path: string, ctx: Walk): Generator<InputFile | ZipFile> {
  let target = path;
  let info: Stats;
  try {
    if (!ctx.followLinks) {
      target = realpathSync.native(path);
      if (!insideRoots(target, ctx.roots)) {
        yield unreadable(path, 'symbolic link leaves the evidence folder (use --follow-links to read it)');
        return;
      }
    }
    info = statSync(target);
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  yield* walkFound(path, target, info, ctx);
}

/** A path whose type the walk had to ask for (a given path, a link's target): opened as it is found, following links. */
function* walkFound(path: string, target: string, info: Stats, ctx: Walk): Generator<InputFile | ZipFile> {
  if (info.isDirectory()) yield* walkFolder(path, target, ctx);
  else if (info.isFile()) yield* walkFile(path, target === path ? null : target, constants.O_RDONLY, info, ctx);
  else yield unreadable(path, 'not a regular file');
}

/**
 * A regular file: a position of its own, or, named `.zip` and a zip by content, the members its
 * archive holds. `info`: its stat when the walk has it, else it is asked only for an archive.
 */
function* walkFile(path: string, link: string | null, flags: number, info: Stats | null, ctx: Walk): Generator<InputFile | ZipFile> {
  if (!SHARED_ARCHIVE.test(path)) {
    yield new FileInput(path, link, flags, info?.size ?? null, info?.mtimeMs, ctx.maxBytes);
    return;
  }
  const target = link ?? path;
  let head: Buffer;
  try {
    info ??= lstatSync(target);
    if (info.size > ctx.maxBytes) {
      yield unreadable(path, tooLarge('file', ctx.maxBytes));
      return;
    }
    head = readHead(target, 4, flags);
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  if (isZip(head)) yield new ZipFile(path, target);
  else yield new FileInput(path, link, flags, info.size, info.mtimeMs, ctx.maxBytes);
}

/**
 * A walked file as an input. Its reader opens it once (`sniff`): its size and time are then the
 * file's as it is read, and a small file's bytes are kept for open(), so that finding out whether it
 * is an archive costs no read of its own.
 */
class FileInput implements InputFile {
  /** 0 until opened, unless the walk asked (InputFile: 0 when unknown). */
  size: number;
  mtimeMs: number | undefined;
  /** Whether `size` is the file's, from the walk or the opening. */
  private sized: boolean;
  /** The whole file as sniff() read it, until open() hands it over. */
  private bytes: Buffer | null = null;

  constructor(
    readonly path: string,
    /** The checked target of a link, else null (the path itself). */
    private readonly link: string | null,
    private readonly flags: number,
    size: number | null,
    mtimeMs: number | undefined,
    private readonly maxBytes: number,
  ) {
    this.size = size ?? 0;
    this.sized = size !== null;
    this.mtimeMs = mtimeMs;
  }

  /** Opens the file as its reader gets to it and returns its first bytes; SourceError when it cannot be read. */
  sniff(): Buffer {
    const { fd, info } = this.openRegular();
    try {
      this.size = info.size;
      this.sized = true;
      this.mtimeMs = info.mtimeMs;
      if (info.size > this.maxBytes) throw new SourceError(tooLarge('file', this.maxBytes), this.path);
      this.bytes = info.size <= WHOLE_READ ? readWhole(fd, info.size) : null;
      if (this.bytes) return this.bytes.subarray(0, HEAD_BYTES);
      const head = Buffer.alloc(HEAD_BYTES);
      return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(describeFsError(err), this.path, { cause: err });
    } finally {
      closeSync(fd);
    }
  }

  /** The decompressed size its gzip trailer gives (after sniff), or null when it cannot be read. */
  gzipSize(): number | null {
    if (this.bytes) return gzipTrailerSize(this.bytes);
    try {
      const { fd, info } = this.openRegular();
      try {
        const tail = Buffer.alloc(4);
        return info.size >= 18 && readSync(fd, tail, 0, 4, info.size - 4) === 4 ? tail.readUInt32LE(0) : null;
      } finally {
        closeSync(fd);
      }
    } catch {
      return null;
    }
  }

  /** Where the archive this file turned out to be is read from: the bytes sniff() kept, else the file. */
  asArchive(): ZipLocation {
    const bytes = this.bytes;
    this.bytes = null;
    return bytes ? { kind: 'buffer', buffer: bytes } : { kind: 'file', path: this.link ?? this.path };
  }

  /** The stored size, asked of the file system when the walk did not (counting; the file is not opened). */
  storedSize(): number {
    if (this.sized) return this.size;
    try {
      return (this.flags === NO_FOLLOW ? lstatSync : statSync)(this.link ?? this.path).size;
    } catch {
      return 0;
    }
  }

  async open(): Promise<Readable> {
    const bytes = this.bytes;
    if (bytes) {
      // Read once, parsed once: a later open (the evidence) reads the file again.
      this.bytes = null;
      return Readable.from([bytes], { objectMode: false });
    }
    return openFile(this.link ?? this.path, this.flags, this.path);
  }

  /** The file opened as open() opens it (a regular file, not through a link it may not follow), for reads by range. */
  async openRandom(): Promise<RandomAccessFile> {
    const { fd, info } = this.openRegular();
    return readsByRange(fd, info.size, this.path, describeFsError);
  }

  /** The file itself (or the checked target of its link), a regular file; SourceError when it cannot be opened. */
  private openRegular(): { fd: number; info: Stats } {
    try {
      return openRegular(this.link ?? this.path, this.flags);
    } catch (err) {
      throw new SourceError(describeFsError(err), this.path, { cause: err });
    }
  }
}

/**
 * Opens a file the walk found regular. Without blocking: a path swapped for a FIFO since would
 * otherwise hold the reader until something writes to it. Anything but a regular file is refused.
 */
function openRegular(path: string, flags: number): { fd: number; info: Stats } {
  const fd = openSync(path, flags | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('not a regular file');
    return { fd, info };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * The first bytes of an archive's file the walk just found regular. Not checked again: opened without
 * blocking, a FIFO swapped in since reads as empty, and its opening refuses it.
 */
function readHead(path: string, bytes: number, flags: number): Buffer {
  const fd = openSync(path, flags | (constants.O_NONBLOCK ?? 0));
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's bytes as stored: read whole when it is small (most are), else streamed. Open errors
 * (permissions changed since the walk) are a SourceError now, not a stream error later. The size
 * is the file's as it is read, not as the walk saw it: a file that grew since is streamed.
 */
function openFile(target: string, flags: number, path: string): Readable {
  let fd: number;
  let size: number;
  try {
    ({ fd, info: { size } } = openRegular(target, flags));
  } catch (err) {
    throw new SourceError(describeFsError(err), path, { cause: err });
  }
  try {
    const whole = size <= WHOLE_READ ? readWhole(fd, size) : null;
    if (whole) {
      closeSync(fd);
      return Readable.from([whole], { objectMode: false });
    }
  } catch (err) {
    closeSync(fd);
    throw new SourceError(describeFsError(err), path, { cause: err });
  }
  return createReadStream('', { fd, start: 0, highWaterMark: READ_CHUNK });
}

/** The file's bytes when it ends within the size it was opened with, else null (it grew: it is streamed instead). */
function readWhole(fd: number, size: number): Buffer | null {
  // Not from the shared pool: the bytes are held from hashing to parsing, and freed with the file's records.
  const buffer = Buffer.allocUnsafeSlow(size + 1);
  let filled = 0;
  for (let n; filled <= size && (n = readSync(fd, buffer, filled, size + 1 - filled, filled)) > 0; ) filled += n;
  return filled > size ? null : buffer.subarray(0, filled);
}

function realpathOr(path: string, fallback: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return fallback;
  }
}
