// A set of 53-bit content hashes (flow-content-hash.ts) in one Float64Array, open addressing with
// linear probing, at most half full: a Set of numbers takes about 40 bytes a hash and its garbage,
// this takes 16 at most.
export class HashSet {
  private slots: Float64Array;
  private size = 0;

  constructor(expected = 32_768) {
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.slots = new Float64Array(capacity);
  }

  has(h: number): boolean {
    const mask = this.slots.length - 1;
    const v = h + 1; // 0 marks an empty slot
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === 0) return false;
      if (s === v) return true;
    }
  }

  /** Adds the hash; false when it was already there. */
  add(h: number): boolean {
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    const v = h + 1;
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === v) return false;
      if (s === 0) {
        this.slots[i] = v;
        this.size++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.size = 0;
    for (const v of old) if (v !== 0) this.add(v - 1);
  }
}
