// Thin promise wrappers over yauzl (whose bundled types predate its promise API).
import { finished, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

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

export function openZip(location: ZipLocation): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: ZipFile) => (err || !zip ? reject(err ?? new Error('no archive')) : resolve(zip));
    if (location.kind === 'file') {
      yauzl.open(location.path, { lazyEntries: true, autoClose: false, decodeStrings: false }, done);
    } else {
      yauzl.fromBuffer(location.buffer, { lazyEntries: true, decodeStrings: false }, done);
    }
  });
}

/** All entries of the central directory (metadata only, cheap even for thousands of members), their names decoded. */
export function readEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      // Undecoded, the name is its bytes.
      entry.fileName = decodeName(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

export function openEntryStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream)));
  });
}

/**
 * Opens one member for reading with its own handle on the archive, closed when the stream ends, fails
 * or is destroyed. yauzl only reads the entry's recorded offsets and sizes, so an Entry from an earlier
 * pass over the same archive serves, and opening costs one read of the end-of-directory record.
 */
export async function openMember(location: ZipLocation, entry: Entry): Promise<Readable> {
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
