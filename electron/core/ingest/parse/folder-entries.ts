// A folder's entries in name order, in pieces, so that memory does not grow with the folder.
//
// Every reader walks the inputs on its own, and the first one counts them first (read-worker.ts): a
// folder listed whole was held by each walk at once. A trail copied flat into one folder holds
// hundreds of thousands of files, and `readdirSync` of 260,088 entries took 110 MB of RSS a listing
// (most of it the native side's, all the names at once): 300,000 one-record files peaked at 570–604 MB,
// a million at 1,075 MB (docs/benchmarks.md, "What bounds peak RSS"). So the folder is read as a
// stream (`opendirSync`, 256 entries at a time) and given in pieces of `PIECE` entries, each sorted.
// A folder of at most `PIECE` entries, as every folder of CloudTrail's own layout (an account's
// region's day) is, is given sorted whole, as before; a larger one in the order its file system lists
// it, piece by piece. Every walk of one ingest reads the same folder, which lists its entries in the
// same order while it holds still, and the walks are compared when they finish (walk-print.ts), which
// names a change. Sorting the whole of a large folder in bounded memory would read it once more for
// each piece: 866,500 entries took 6.5 s a walk against 1.3 s for the listing sorted whole, and the
// cost grows with the square of the entries.
import { opendirSync, type Dirent } from 'node:fs';
import { byCodeUnit } from '../../text-order.ts';

/**
 * Entries sorted together: 10 MB of heap for CloudTrail's object names in a folder, 16 MB as an
 * archive's members (zip-members.ts).
 */
export const PIECE = 65_536;

export type FolderEntry = { name: string; kind: 'folder' | 'file' | 'link' | 'other' };

/** The type its entry gives (a file system that gives none has Node ask for it, as `readdirSync` does). */
function kindOf(entry: Dirent): FolderEntry['kind'] {
  if (entry.isDirectory()) return 'folder';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'link';
  return 'other';
}

const byName = (a: FolderEntry, b: FolderEntry) => byCodeUnit(a.name, b.name);

/**
 * The folder's entries, each piece of `piece` sorted by name (UTF-16 code units): a folder of at most
 * `piece` entries sorted whole. Throws what the file system throws for a folder that cannot be read,
 * at the first piece or a later one.
 */
export function* folderEntries(path: string, piece = PIECE): Generator<FolderEntry, void, undefined> {
  const dir = opendirSync(path, { bufferSize: 256 });
  try {
    for (;;) {
      const entries: FolderEntry[] = [];
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        entries.push({ name: entry.name, kind: kindOf(entry) });
        if (entries.length === piece) break;
      }
      entries.sort(byName);
      yield* entries;
      if (entries.length < piece) return;
    }
  } finally {
    dir.closeSync();
  }
}
