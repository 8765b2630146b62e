// Walks the paths a user dropped (files, folders, zip archives, zips inside zips) and yields one
// InputFile per readable leaf, in a deterministic order: arguments as given, folder entries sorted by
// name, archive members sorted by name.
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
// records that overhead made ingest several times slower (docs/benchmarks.md, "Many small files").
import {
  closeSync, constants, createReadStream, createWriteStream, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, rmSync, statSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isZip } from './magic.ts';
import { formatBytes } from './format-bytes.ts';
import { describeFsError, SourceError } from './source-error.ts';
import { DEFAULT_MAX_BYTES, type InputFile } from './types.ts';
import { openEntryStream, openMember, openZip, readEntries, type Entry, type ZipLocation } from './zip-archive.ts';

/** Nested archives up to this size are held in memory; larger ones are copied to a temp file. */
const NESTED_IN_MEMORY_LIMIT = 64 * 1024 * 1024;
/** Deeper nesting than this is almost certainly a zip bomb. */
const MAX_ZIP_DEPTH = 4;
/**
 * Members of one archive: every reader holds each member's directory entry, so an archive of
 * millions of empty members would exhaust them before a byte is read (a year of one region's
 * CloudTrail is about 105,000 files).
 */
const MAX_ZIP_MEMBERS = 500_000;
const READ_CHUNK = 256 * 1024;
/**
 * A file up to this size is read whole when opened, in one synchronous pass; a larger one is streamed.
 * CloudTrail delivers objects of tens of KB to a few MB.
 */
const WHOLE_READ = 4 * 1024 * 1024;

export type EnumerateOptions = {
  /** Follow symbolic links that lead outside the given paths (off by default). */
  followLinks?: boolean;
  /** A zip member declaring more than this many bytes is refused without being inflated. */
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

export async function* enumerateInputs(paths: string[], options: EnumerateOptions = {}): AsyncGenerator<InputFile> {
  const roots = paths.map((p) => realpathOr(p, resolve(p)));
  const ctx: Walk = { seenFolders: new Set(), roots, followLinks: options.followLinks ?? false, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES };
  // A path the user names is read wherever it points; only what is found inside it is checked.
  // The folders are walked by a synchronous generator, which hands over each archive it finds to be
  // opened here: an item passed up through an async generator per folder level cost several µs.
  for (const path of paths) {
    for (const found of walk(path, ctx, true)) {
      if (found instanceof ZipFile) yield* zipMembers({ kind: 'file', path: found.target }, found.path, 1, ctx);
      else yield found;
    }
  }
}

/** A zip archive the walk found, for enumerateInputs to open. */
class ZipFile {
  constructor(
    readonly path: string,
    readonly target: string,
  ) {}
}

function insideRoots(real: string, roots: string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

function* walk(path: string, ctx: Walk, given: boolean): Generator<InputFile | ZipFile> {
  let info;
  /** The path to open: the link's checked target for a link, else the path itself (never re-followed). */
  let target = path;
  let flags = given || ctx.followLinks ? constants.O_RDONLY : NO_FOLLOW;
  try {
    info = given || ctx.followLinks ? statSync(path) : lstatSync(path);
    if (info.isSymbolicLink()) {
      const real = realpathSync.native(path);
      if (!insideRoots(real, ctx.roots)) {
        yield unreadable(path, 'symbolic link leaves the evidence folder (use --follow-links to read it)');
        return;
      }
      target = real;
      flags = constants.O_RDONLY;
      info = statSync(real);
    }
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  if (info.isDirectory()) {
    // Symbolic links can loop back to a parent; each real folder is walked once.
    const real = realpathOr(target, target);
    if (ctx.seenFolders.has(real)) return;
    ctx.seenFolders.add(real);
    let names: string[];
    try {
      names = readdirSync(target);
    } catch (err) {
      yield unreadable(path, `cannot read folder: ${describeFsError(err)}`);
      return;
    }
    names.sort(byCodeUnit);
    for (const name of names) yield* walk(join(path, name), ctx, false);
    return;
  }
  if (!info.isFile()) {
    yield unreadable(path, 'not a regular file');
    return;
  }
  if (info.size > ctx.maxBytes) {
    yield unreadable(path, `file larger than ${formatBytes(ctx.maxBytes)} (the per-file limit; raise it with --max-bytes)`);
    return;
  }
  let head: Buffer;
  try {
    head = readHead(target, 4, flags);
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  if (isZip(head)) {
    yield new ZipFile(path, target);
    return;
  }
  yield new FileInput(path, target === path ? null : target, flags, info.size, info.mtimeMs);
}

/**
 * A walked file as an input: a class, its open() on the prototype, because each reader holds its
 * share of the inputs for the whole ingest (a year of CloudTrail is hundreds of thousands of files
 * a region): an object with a closure of its own took about 650 bytes an input, this about 300,
 * most of it the path.
 */
class FileInput implements InputFile {
  constructor(
    readonly path: string,
    /** The checked target of a link, else null (the path itself). */
    private readonly link: string | null,
    private readonly flags: number,
    readonly size: number,
    readonly mtimeMs: number,
  ) {}

  async open(): Promise<Readable> {
    return openFile(this.link ?? this.path, this.flags, this.path);
  }
}

async function* zipMembers(location: ZipLocation, display: string, depth: number, ctx: Walk): AsyncGenerator<InputFile> {
  let entries: Entry[];
  const peeks = new Map<Entry, Buffer>();
  try {
    const zip = await openZip(location);
    try {
      if (zip.entryCount > MAX_ZIP_MEMBERS) {
        yield unreadable(display, `zip archive with more than ${MAX_ZIP_MEMBERS.toLocaleString('en-US')} members`);
        return;
      }
      entries = (await readEntries(zip)).filter((e) => !e.fileName.endsWith('/'));
      // Peek at each member's first bytes while the archive is open, to find nested archives.
      for (const entry of entries) {
        if (entry.isEncrypted()) continue;
        peeks.set(entry, await peekEntry(zip, entry).catch(() => Buffer.alloc(0)));
      }
    } finally {
      zip.close();
    }
  } catch (err) {
    yield unreadable(display, `corrupt zip archive: ${errorText(err)}`);
    return;
  }
  entries.sort((a, b) => byCodeUnit(a.fileName, b.fileName));
  for (const entry of entries) {
    const memberPath = `${display}!/${entry.fileName}`;
    if (entry.isEncrypted()) {
      yield unreadable(memberPath, 'encrypted zip member (password-protected archives are not supported)');
      continue;
    }
    // yauzl refuses a member that inflates past its declared size, so the declared size bounds it.
    if (entry.uncompressedSize > ctx.maxBytes) {
      yield unreadable(memberPath, `zip member larger than ${formatBytes(ctx.maxBytes)} (the per-file limit; raise it with --max-bytes)`);
      continue;
    }
    if (isZip(peeks.get(entry) ?? Buffer.alloc(0))) {
      if (depth >= MAX_ZIP_DEPTH) {
        yield unreadable(memberPath, `zip archives nested deeper than ${MAX_ZIP_DEPTH} levels`);
        continue;
      }
      let nested: ZipLocation;
      try {
        nested = await extractNested(location, entry);
      } catch (err) {
        yield unreadable(memberPath, `corrupt zip archive: ${errorText(err)}`);
        continue;
      }
      yield* zipMembers(nested, memberPath, depth + 1, ctx);
      continue;
    }
    yield {
      path: memberPath,
      size: entry.uncompressedSize,
      mtimeMs: entry.getLastModDate().getTime(),
      open: () =>
        openMember(location, entry).catch((err: unknown) => {
          throw new SourceError(`cannot read zip member: ${errorText(err)}`, memberPath, { cause: err });
        }),
    };
  }
}

async function peekEntry(zip: Awaited<ReturnType<typeof openZip>>, entry: Entry): Promise<Buffer> {
  const stream = await openEntryStream(zip, entry);
  try {
    for await (const chunk of stream) return Buffer.from((chunk as Buffer).subarray(0, 4));
    return Buffer.alloc(0);
  } finally {
    stream.destroy();
  }
}

let tempFolder: string | undefined;

async function extractNested(location: ZipLocation, entry: Entry): Promise<ZipLocation> {
  const stream = await openMember(location, entry);
  if (entry.uncompressedSize <= NESTED_IN_MEMORY_LIMIT) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { kind: 'buffer', buffer: Buffer.concat(chunks) };
  }
  if (!tempFolder) {
    tempFolder = await mkdtemp(join(tmpdir(), 'trailscope-zip-'));
    const folder = tempFolder;
    // The copies must outlive enumeration (members open later), so they go when the process does.
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  const path = join(tempFolder, `${Date.now()}-${Math.random().toString(36).slice(2)}.zip`);
  try {
    await pipeline(stream, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { kind: 'file', path };
}

/**
 * Opens a file the walk found regular. Without blocking: a path swapped for a FIFO since would
 * otherwise hold the reader until something writes to it. Anything but a regular file is refused.
 */
function openRegular(path: string, flags: number): { fd: number; size: number } {
  const fd = openSync(path, flags | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('not a regular file');
    return { fd, size: info.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * The first bytes of a file the walk just found regular. Not checked again (a syscall a file of every
 * walk): opened without blocking, a FIFO swapped in since reads as empty, and openFile refuses it.
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
    ({ fd, size } = openRegular(target, flags));
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

function unreadable(path: string, reason: string): InputFile {
  return { path, size: 0, open: () => Promise.reject(new SourceError(reason, path)) };
}

/** yauzl's message; it may name a member, so it is kept to one short line. */
function errorText(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
