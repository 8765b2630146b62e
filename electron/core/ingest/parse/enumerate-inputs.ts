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
import { constants } from 'node:fs';
import { lstat, mkdtemp, open, readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream, rmSync } from 'node:fs';
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
  const roots = await Promise.all(paths.map((p) => realpath(p).catch(() => resolve(p))));
  const ctx: Walk = { seenFolders: new Set(), roots, followLinks: options.followLinks ?? false, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES };
  // A path the user names is read wherever it points; only what is found inside it is checked.
  for (const path of paths) yield* walk(path, ctx, true);
}

function insideRoots(real: string, roots: string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

async function* walk(path: string, ctx: Walk, given: boolean): AsyncGenerator<InputFile> {
  let info;
  /** The path to open: the link's checked target for a link, else the path itself (never re-followed). */
  let target = path;
  let flags = given || ctx.followLinks ? constants.O_RDONLY : NO_FOLLOW;
  try {
    info = given || ctx.followLinks ? await stat(path) : await lstat(path);
    if (info.isSymbolicLink()) {
      const real = await realpath(path);
      if (!insideRoots(real, ctx.roots)) {
        yield unreadable(path, 'symbolic link leaves the evidence folder (use --follow-links to read it)');
        return;
      }
      target = real;
      flags = constants.O_RDONLY;
      info = await stat(real);
    }
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  if (info.isDirectory()) {
    // Symbolic links can loop back to a parent; each real folder is walked once.
    const real = await realpath(target).catch(() => target);
    if (ctx.seenFolders.has(real)) return;
    ctx.seenFolders.add(real);
    let names: string[];
    try {
      names = await readdir(target);
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
    head = await readHead(target, 4, flags);
  } catch (err) {
    yield unreadable(path, describeFsError(err));
    return;
  }
  if (isZip(head)) {
    yield* zipMembers({ kind: 'file', path: target }, path, 1, ctx);
    return;
  }
  yield {
    path,
    size: info.size,
    mtimeMs: info.mtimeMs,
    open: async () => {
      // Surface open errors (permissions changed since the walk) as a SourceError now, not as a
      // stream error later.
      const handle = await open(target, flags).catch((err: unknown) => {
        throw new SourceError(describeFsError(err), path, { cause: err });
      });
      return handle.createReadStream({ highWaterMark: READ_CHUNK }) as Readable;
    },
  };
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

async function readHead(path: string, bytes: number, flags: number): Promise<Buffer> {
  const handle = await open(path, flags);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
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
