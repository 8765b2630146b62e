// What a bulk load has stored, to drop duplicates while the unique indexes are gone (db/bulk-load.ts):
// for every stored row, the low 32 bits of its 53-bit hash and its row id, in open-addressing tables
// of Uint32Arrays (8 bytes a slot, at most 5/8 full). A Set of the event ids themselves held about
// 330 MB at 5,000,000 events; the same table holding hash and row as two doubles held 128 MB there (32
// at 1,000,000), the largest thing that grew with an ingest; this holds half. The table only narrows:
// the caller settles every row it offers by comparing the row itself (for events, the stored eventID),
// so two hashes that share their low bits never drop a record (the slot already spends some of those
// bits: at 8 million slots about one row in 500 a search passes is a false lead, one read by row id).
// It stays exact after a rolled-back write too: a row that is gone from the case is no longer the one asked for.
// Texts are hashed with a seed each table draws at random: the event IDs come from the files, and IDs
// crafted to share a fixed hash's low bits would pile into one run of slots, each new one probing past
// all the others (and reading a row back for each full match).
import { randomInt } from 'node:crypto';
import { cyrb53 } from '../db/flow-content-hash.ts';

/**
 * The table is 16 tables, picked by a hash's top 4 (of its low 32) bits, each growing on its own: a
 * growth holds the old and the new slots of one sixteenth at once, not of the whole table. Growing
 * it whole at 5,000,000 events held 32 MB beside the new 64 for as long as the old waited for a full
 * collection, the reading phase's peak.
 */
const SEGMENT_BITS = 4;
const SEGMENTS = 1 << SEGMENT_BITS;
/** Slots of each segment to begin with (65,536 in all). */
const FIRST_SLOTS = (1 << 16) / SEGMENTS;
const MAX_FILL = 5 / 8;
/** Row ids are kept as 32 bits: a bulk load fills an empty case, whose rows count from 1. */
const MAX_ROW = 0xffff_ffff;

export class StoredHashes {
  /** Slot i of a segment: its hash's low 32 bits at 2i, its row id at 2i + 1 (0: an empty slot; row ids start at 1). */
  private readonly segments = Array.from({ length: SEGMENTS }, () => new Uint32Array(FIRST_SLOTS * 2));
  private readonly counts = new Array<number>(SEGMENTS).fill(0);
  private readonly seed = randomInt(2 ** 31);

  /** The hash this table keeps a text under (its own seed: nobody can aim texts at its slots). */
  hashOf(text: string): number {
    return cyrb53(text, this.seed);
  }

  /** Whether a row stored under this hash is the one asked for (`isIt` settles each: kept bits can collide). */
  has(hash: number, isIt: (row: number) => boolean): boolean {
    const low = hash >>> 0;
    const slots = this.segments[low >>> (32 - SEGMENT_BITS)];
    const mask = slots.length / 2 - 1;
    for (let i = low & mask; slots[2 * i + 1] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === low && isIt(slots[2 * i + 1])) return true;
    }
    return false;
  }

  add(hash: number, row: number): void {
    if (row < 1 || row > MAX_ROW || !Number.isInteger(row)) throw new RangeError(`row id ${row} cannot be kept`);
    const low = hash >>> 0;
    const segment = low >>> (32 - SEGMENT_BITS);
    if (this.counts[segment] + 1 > (this.segments[segment].length / 2) * MAX_FILL) this.grow(segment);
    place(this.segments[segment], low, row);
    this.counts[segment]++;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.segments.reduce((n, slots) => n + slots.byteLength, 0);
  }

  private grow(segment: number): void {
    const old = this.segments[segment];
    const grown = new Uint32Array(old.length * 2);
    // The kept low bits pick the slot in the larger table too.
    for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) place(grown, old[i - 1], old[i]);
    this.segments[segment] = grown;
    // Its memory goes now, not when a full collection finds the old array unreachable.
    old.buffer.transfer(0);
  }
}

/** cyrb53 mixes both of its lanes into the low 32 bits, so they spread rows over the segments and their slots. */
function place(slots: Uint32Array, low: number, row: number): void {
  const mask = slots.length / 2 - 1;
  let i = low & mask;
  while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
  slots[2 * i] = low;
  slots[2 * i + 1] = row;
}
