// Copies of inputs that must be read out of order but arrive as a stream: a zip nested in a zip (yauzl
// reads a zip from its end), a large Parquet file inside gzip or an archive (read from its footer, then
// by range). Held in memory they would cost their whole size; copied to a file of the process's own
// temporary folder they cost a chunk. The folder goes when the process does, and each copy of a Parquet
// file as soon as it has been read. A process killed outright leaves its folder: the next one to make
// copies removes the folders of processes that are gone.
import { createWriteStream, fstatSync, openSync, rmSync, type WriteStream } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ByteReader } from './byte-reader.ts';
import { describeFsError, SourceError } from './source-error.ts';
import type { RandomAccessFile } from './types.ts';
import { readsByRange } from './random-access.ts';

/** The folders' prefix; the process id follows it, so a later process can tell whose folder is left. */
const PREFIX = 'trailscope-copies-';
const OWNER = new RegExp(`^${PREFIX}(\\d{1,10})-`);

let folder: Promise<string> | undefined;

/** A new path in the process's temporary folder (made on first use), ending in `ext`. */
export async function tempCopyPath(ext: string): Promise<string> {
  folder ??= removeLeftFolders(tmpdir()).then(() => mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`))).then((made) => {
    // Copies must outlive the walk that made them (members open later), so the folder goes with the process.
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    return made;
  });
  return join(await folder, `${Date.now()}-${Math.random().toString(36).slice(2)}${ext}`);
}

/**
 * Removes the copy folders in `dir` of processes that no longer run (a kill -9 skips the exit that
 * removes them). Only real folders of this user are touched (a link is not followed, another user's
 * folder is theirs); a process that may still run (alive, or not ours to signal) keeps its folder, and
 * a reused process id only delays a removal. Best effort: nothing here stops the copy being made.
 */
export async function removeLeftFolders(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = OWNER.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(() => null);
    if (!info?.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Whether a process with this id may run: signal 0 only checks, and EPERM means it runs as someone else. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The reader's unread bytes and the rest of its stream (within its per-file limit, which the reader
 * enforces) copied to a temporary file, opened to be read by range. Closing it removes the copy; a
 * failed copy is removed at once.
 */
export async function copiedForRandomReads(reader: ByteReader, ext: string): Promise<RandomAccessFile> {
  let path: string | undefined;
  let out: WriteStream | undefined;
  try {
    path = await tempCopyPath(ext);
    const stream = (out = createWriteStream(path));
    // Back-pressure: each chunk waits for the disk before the next is read, so memory holds about one.
    const write = (chunk: Buffer) => new Promise<void>((done, fail) => stream.write(chunk, (err) => (err ? fail(err) : done())));
    if (reader.pos < reader.buf.length) await write(reader.buf.subarray(reader.pos));
    while (await reader.nextChunk()) await write(reader.buf);
    stream.end();
    await finished(stream);
    return openedCopy(path, reader.path);
  } catch (err) {
    out?.destroy();
    if (path !== undefined) await rm(path, { force: true });
    if (err instanceof SourceError) throw err;
    throw new SourceError(`cannot copy to a temporary file to read: ${describeFsError(err)}`, reader.path, { cause: err });
  }
}

/** The copy at `path`, read by range; a failed read names the input it is a copy of; closing removes it. */
function openedCopy(path: string, input: string): RandomAccessFile {
  const fd = openSync(path, 'r');
  return readsByRange(fd, fstatSync(fd).size, input, (err) => `cannot read its temporary copy: ${describeFsError(err)}`, () => rm(path, { force: true }));
}
