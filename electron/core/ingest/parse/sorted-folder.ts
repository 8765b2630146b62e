// A folder's entries in name order, listed in pieces so that memory does not grow with the folder.
//
// Every reader walks the inputs on its own, and the first one counts them first (read-worker.ts): a
// folder listed whole was held by each walk at once. A trail copied flat into one folder holds
// hundreds of thousands of files, and `readdirSync` of 260,088 entries took 110 MB of RSS a listing
// (most of it the native side's, all the names at once): 300,000 one-record files peaked at 570–604 MB
// (docs/benchmarks.md, "What bounds peak RSS"). So the folder is read as a stream (`opendirSync`, 256
// entries at a time), keeping only the `PIECE` smallest names after the last one given, and read again
// for each further piece. A folder of at most `PIECE` entries, as every folder of CloudTrail's own
// layout (an account's region's day) is, costs one read as before. One of 260,088 entries costs two:
// 0.73 s of CPU against 0.35 s for the listing sorted whole, 2 µs a file more per walk.
//
// The folder may change between the reads; a name added meanwhile is given if it sorts after the last
// one given, as one added between two readers' listings was before. The readers' walks are compared
// when they finish (walk-print.ts), which names the change.
import { opendirSync, type Dirent } from 'node:fs';
import { byCodeUnit } from '../../text-order.ts';

/** Entries given per piece: 20 MB of heap for CloudTrail's object names. A read holds at most half as many again (`nextPiece`). */
export const PIECE = 131_072;

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
 * The folder's entries, sorted by name (UTF-16 code units). Throws what the file system throws for a
 * folder that cannot be read, at the first read or at a later piece's.
 */
export function* sortedFolder(path: string, piece = PIECE): Generator<FolderEntry, void, undefined> {
  let after: string | null = null;
  for (;;) {
    const { entries, more } = nextPiece(path, after, piece);
    yield* entries;
    if (!more || entries.length === 0) return;
    after = entries[entries.length - 1].name;
  }
}

/** The `piece` smallest entries named after `after`, sorted, and whether any more are. */
function nextPiece(path: string, after: string | null, piece: number): { entries: FolderEntry[]; more: boolean } {
  const held: FolderEntry[] = [];
  // Once `piece` entries are held, the largest of them: an entry named after it is not in this piece.
  let bound: string | null = null;
  let more = false;
  const dir = opendirSync(path, { bufferSize: 256 });
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      const name = entry.name;
      if (after !== null && name <= after) continue;
      if (bound !== null && name > bound) {
        more = true;
        continue;
      }
      held.push({ name, kind: kindOf(entry) });
      // Cut back at half a piece more: a selection costs a few comparisons a held entry, and once the
      // bound is set few entries pass it, so the cuts cost little beside the read.
      if (held.length === piece + Math.ceil(piece / 2)) bound = keepSmallest(held, piece);
    }
  } finally {
    dir.closeSync();
  }
  if (held.length > piece) bound = keepSmallest(held, piece);
  held.sort(byName);
  return { entries: held, more: more || bound !== null };
}

/**
 * Cuts `held` to its `k` smallest by name, in no order, and gives the largest of them. A selection
 * (Hoare's) around pivots drawn at random, so that no order of the folder's names makes it quadratic.
 */
function keepSmallest(held: FolderEntry[], k: number): string {
  let lo = 0;
  let hi = held.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = held[lo + Math.floor(Math.random() * (hi - lo + 1))].name;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (held[i].name < pivot) i++;
      while (held[j].name > pivot) j--;
      if (i <= j) {
        [held[i], held[j]] = [held[j], held[i]];
        i++;
        j--;
      }
    }
    // Now held[lo..j] ≤ pivot ≤ held[i..hi], and anything between equals it.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  held.length = k;
  let largest = held[0].name;
  for (const entry of held) if (entry.name > largest) largest = entry.name;
  return largest;
}
