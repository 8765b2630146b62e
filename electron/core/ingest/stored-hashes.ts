// What a bulk load has stored, to drop duplicates while the unique indexes are gone (db/bulk-load.ts):
// a 53-bit hash and the row id of every stored row, in an open-addressing table of one typed array
// (hash and row side by side, 16 bytes a slot, at most 5/8 full). A Set of the event ids themselves
// held about 330 MB at 5,000,000 events, most of a load's memory; this holds 128 MB there. The table
// only narrows: the caller settles a hash it finds by comparing the row it names (for events, the
// stored eventID), so a collision never drops a record. It stays exact after a rolled-back write too:
// a row that is gone from the case is no longer the one asked for.

const FIRST_SLOTS = 1 << 16;
const MAX_FILL = 5 / 8;

export class StoredHashes {
  /** Slot i: its hash at 2i, its row id at 2i + 1 (0: an empty slot; row ids start at 1). */
  private slots = new Float64Array(FIRST_SLOTS * 2);
  private count = 0;

  /** Whether a row stored under this hash is the one asked for (`isIt` settles each: hashes can collide). */
  has(hash: number, isIt: (row: number) => boolean): boolean {
    const { slots } = this;
    const mask = slots.length / 2 - 1;
    for (let i = slotOf(hash, mask); slots[2 * i + 1] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === hash && isIt(slots[2 * i + 1])) return true;
    }
    return false;
  }

  add(hash: number, row: number): void {
    if (row < 1 || !Number.isSafeInteger(row)) throw new RangeError(`row id ${row} cannot be kept`);
    if (this.count + 1 > (this.slots.length / 2) * MAX_FILL) this.grow();
    place(this.slots, hash, row);
    this.count++;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) place(this.slots, old[i - 1], old[i]);
  }
}

function place(slots: Float64Array, hash: number, row: number): void {
  const mask = slots.length / 2 - 1;
  let i = slotOf(hash, mask);
  while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
  slots[2 * i] = hash;
  slots[2 * i + 1] = row;
}

/** The hash's low 32 bits pick the slot (cyrb53 mixes both lanes into them). */
function slotOf(hash: number, mask: number): number {
  return (hash >>> 0) & mask;
}
