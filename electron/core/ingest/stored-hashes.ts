// What a bulk load has stored, to drop duplicates while the unique indexes are gone (db/bulk-load.ts):
// for every stored row, the low 32 bits of its 53-bit hash and its row id, in an open-addressing table
// of one Uint32Array (8 bytes a slot, at most 5/8 full). A Set of the event ids themselves held about
// 330 MB at 5,000,000 events; the same table holding hash and row as two doubles held 128 MB there (32
// at 1,000,000), the largest thing that grew with an ingest; this holds half. The table only narrows:
// the caller settles every row it offers by comparing the row itself (for events, the stored eventID),
// so two hashes that share their low bits never drop a record (the slot already spends some of those
// bits: at 8 million slots about one row in 500 a search passes is a false lead, one read by row id).
// It stays exact after a rolled-back write too: a row that is gone from the case is no longer the one asked for.

const FIRST_SLOTS = 1 << 16;
const MAX_FILL = 5 / 8;
/** Row ids are kept as 32 bits: a bulk load fills an empty case, whose rows count from 1. */
const MAX_ROW = 0xffff_ffff;

export class StoredHashes {
  /** Slot i: its hash's low 32 bits at 2i, its row id at 2i + 1 (0: an empty slot; row ids start at 1). */
  private slots = new Uint32Array(FIRST_SLOTS * 2);
  private count = 0;

  /** Whether a row stored under this hash is the one asked for (`isIt` settles each: kept bits can collide). */
  has(hash: number, isIt: (row: number) => boolean): boolean {
    const { slots } = this;
    const mask = slots.length / 2 - 1;
    const low = hash >>> 0;
    for (let i = low & mask; slots[2 * i + 1] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === low && isIt(slots[2 * i + 1])) return true;
    }
    return false;
  }

  add(hash: number, row: number): void {
    if (row < 1 || row > MAX_ROW || !Number.isInteger(row)) throw new RangeError(`row id ${row} cannot be kept`);
    if (this.count + 1 > (this.slots.length / 2) * MAX_FILL) this.grow();
    place(this.slots, hash >>> 0, row);
    this.count++;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    // The kept low bits pick the slot in the larger table too.
    for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) place(this.slots, old[i - 1], old[i]);
  }
}

/** cyrb53 mixes both of its lanes into the low 32 bits, so they spread rows over the slots. */
function place(slots: Uint32Array, low: number, row: number): void {
  const mask = slots.length / 2 - 1;
  let i = low & mask;
  while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
  slots[2 * i] = low;
  slots[2 * i + 1] = row;
}
