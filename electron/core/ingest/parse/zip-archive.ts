// Thin promise wrappers over yauzl (whose bundled types predate its promise API).
import { finished, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { inflateRawSync } from 'node:zlib';
import { archiveFileReader, type ArchiveFileReader } from './archive-file-reader.ts';

export type { Entry, ZipFile };

/** Where an archive's bytes live: a file on disk, or a nested archive held in memory. */
export type ZipLocation = { kind: 'file'; path: string } | { kind: 'buffer'; buffer: Buffer };

// A member's name is only a label here (`archive.zip!/name`): nothing is ever written where a name
// points. yauzl, decoding names itself, refuses a whole archive for one member named with `..`, a
// leading `/` or a drive letter ("corrupt zip archive"), and every other member's records were lost.
// Names are decoded as yauzl would (UTF-8 or CP437, its Unicode path field, `\` read as `/`) without
// that check.
const decodeName = (yauzl as unknown as {
  getFileNameLowLevel(flags: number, name: Buffer, extraFields: Entry['extraFields'], strict: boolean): string;
}).getFileNameLowLevel;

/** An archive's bytes read by range, synchronously: its file's reader, or the nested archive's buffer. */
type ArchiveBytes = { size: number; bytesAt(position: number, length: number): Buffer };
const archiveBytes = new WeakMap<ZipFile, ArchiveBytes>();

export function openZip(location: ZipLocation): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    let bytes: ArchiveFileReader | ArchiveBytes;
    if (location.kind === 'buffer') {
      const { buffer } = location;
      bytes = { size: buffer.length, bytesAt: (position, length) => buffer.subarray(position, Math.min(position + length, buffer.length)) };
      yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false }, (err, zip) => opened(err, zip));
      return;
    }
    let reader: ArchiveFileReader;
    try {
      bytes = reader = archiveFileReader(location.path);
    } catch (err) {
      reject(err as Error);
      return;
    }
    yauzl.fromRandomAccessReader(reader, reader.size, { lazyEntries: true, autoClose: false, decodeStrings: false }, (err, zip) => {
      // An archive refused before yauzl holds it leaves its file to be closed here.
      if (err || !zip) reader.close(() => {});
      opened(err, zip);
    });

    function opened(err: Error | null, zip?: ZipFile) {
      if (err || !zip) return reject(err ?? new Error('no archive'));
      archiveBytes.set(zip, bytes);
      resolve(zip);
    }
  });
}

/**
 * A member as the walk holds it: what opening it needs, its name decoded and its time. yauzl's own
 * entry keeps its extra fields and comment as buffers, about 930 bytes of heap a member (122 MB for a
 * piece of 131,072); this about 250.
 */
export type ZipEntry = {
  fileName: string;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  generalPurposeBitFlag: number;
  relativeOffsetOfLocalHeader: number;
  mtimeMs: number;
};

/** Whether the member is encrypted (which yauzl cannot read). */
export const isEncrypted = (entry: ZipEntry) => (entry.generalPurposeBitFlag & 0x1) !== 0;

/**
 * The central directory's next `most` members (metadata only), or fewer at its end or once their
 * names reach `nameChars` (a crafted directory's names run to 65,535 bytes each); none once it is read
 * whole.
 */
export function readEntries(zip: ZipFile, most: number, nameChars = Infinity): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntry[] = [];
    let chars = 0;
    const finish = (err: Error | null) => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
      if (err) reject(err);
      else resolve(entries);
    };
    const onEntry = (entry: Entry) => {
      entries.push({
        // Undecoded, the name is its bytes.
        fileName: decodeName(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false),
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        compressionMethod: entry.compressionMethod,
        generalPurposeBitFlag: entry.generalPurposeBitFlag,
        relativeOffsetOfLocalHeader: entry.relativeOffsetOfLocalHeader,
        mtimeMs: entry.getLastModDate().getTime(),
      });
      chars += entries[entries.length - 1].fileName.length;
      if (entries.length >= most || chars >= nameChars) finish(null);
      else zip.readEntry();
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) => finish(err);
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

export function openEntryStream(zip: ZipFile, entry: ZipEntry): Promise<Readable> {
  // yauzl reads only these of its entry to open a member's data.
  const opened = Object.assign(new yauzl.Entry(), entry);
  return new Promise((resolve, reject) => {
    zip.openReadStream(opened, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream)));
  });
}

/**
 * Opens one member for reading: through `open`, the walk's handle on the archive while it still holds
 * it, else with a handle of its own, closed when the stream ends, fails or is destroyed: yauzl only reads
 * the entry's recorded offsets and sizes, so an entry read by an earlier pass over the same archive serves.
 */
export async function openMember(location: ZipLocation, entry: ZipEntry, open?: ZipFile): Promise<Readable> {
  if (open?.isOpen) return openEntryStream(open, entry);
  const zip = await openZip(location);
  try {
    const stream = await openEntryStream(zip, entry);
    finished(stream, () => zip.close());
    return stream;
  } catch (err) {
    zip.close();
    throw err;
  }
}

/**
 * A member's bytes, read whole through `open` (the walk's handle while it holds it) or a handle of its
 * own: its local header, its data, inflated in one call, its size checked against the directory's as
 * yauzl checks it. For members read whole (zip-members.ts), which are most: a member read through
 * yauzl's streams (a reader, a byte counter, an inflater and another counter, piped) cost about 25 µs
 * more, and a zip of 32,548 CloudTrail files read 1.7 times as slowly as the same files in a folder.
 */
export async function readMember(location: ZipLocation, entry: ZipEntry, open?: ZipFile): Promise<Buffer> {
  if (open?.isOpen) return memberBytes(archiveBytes.get(open)!, entry);
  const zip = await openZip(location);
  try {
    return memberBytes(archiveBytes.get(zip)!, entry);
  } finally {
    zip.close();
  }
}

const LOCAL_HEADER = 30;

function memberBytes(archive: ArchiveBytes, entry: ZipEntry): Buffer {
  const at = entry.relativeOffsetOfLocalHeader;
  const header = archive.bytesAt(at, LOCAL_HEADER);
  if (header.length < LOCAL_HEADER) throw new Error('unexpected end of archive');
  const signature = header.readUInt32LE(0);
  if (signature !== 0x04034b50) throw new Error(`invalid local file header signature: 0x${signature.toString(16)}`);
  const start = at + LOCAL_HEADER + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > archive.size) throw new Error(`file data overflows file bounds: ${start} + ${entry.compressedSize} > ${archive.size}`);
  const data = archive.bytesAt(start, entry.compressedSize);
  let bytes: Buffer;
  if (entry.compressionMethod === 0) bytes = data;
  else if (entry.compressionMethod === 8) {
    try {
      // Never past the declared size: a member that inflates further is refused, not held.
      bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (err) {
      throw (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? new Error(`too many bytes in the stream: more than ${entry.uncompressedSize}`) : err;
    }
  } else throw new Error(`unsupported compression method: ${entry.compressionMethod}`);
  if (bytes.length !== entry.uncompressedSize) throw new Error(`expected ${entry.uncompressedSize} bytes, found ${bytes.length}`);
  // A stored member's bytes are a slice of the archive's window or buffer: a copy of its own is held.
  return entry.compressionMethod === 0 ? Buffer.from(bytes) : bytes;
}
