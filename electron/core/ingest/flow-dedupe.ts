// Which records of a new flow block the case already holds, by content hash (db/flow-content-hash.ts).
// A record read twice has the same start time, so only the stored blocks whose time range meets the
// new block's can hold it: their hash lists are read from the case (this ingest's own blocks included,
// in the same transaction) and compared with the new block's, one block at a time. Memory stays the
// size of one block whatever the case holds; the work is the overlap, which files of consecutive
// minutes keep small.
import type Database from 'better-sqlite3';
import { HashSet } from '../db/hash-set.ts';

export class FlowDedupe {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      overlapping: db.prepare(`SELECT d.hashes FROM flow_blocks b JOIN flow_block_data d ON d.id = b.id WHERE b.last_start >= ? AND b.first_start <= ?`).pluck(),
      untimed: db.prepare(`SELECT d.hashes FROM flow_blocks b JOIN flow_block_data d ON d.id = b.id WHERE b.first_start IS NULL`).pluck(),
    };
  }

  /** Positions of the new block's hashes that a stored block holds too. */
  stored(hashes: Float64Array, firstStart: number | null, lastStart: number | null): number[] {
    const ours = new HashSet(hashes.length);
    for (const h of hashes) ours.add(h);
    const held = new HashSet(16);
    const lists = firstStart === null || lastStart === null ? this.s.untimed.iterate() : this.s.overlapping.iterate(firstStart, lastStart);
    for (const data of lists as IterableIterator<Uint8Array>) {
      // A list of a crafted case that is not whole 8-byte numbers is read up to its last whole one.
      const stored = new Float64Array(Uint8Array.from(data.subarray(0, data.byteLength - (data.byteLength % 8))).buffer);
      for (const h of stored) if (ours.has(h)) held.add(h);
    }
    const found: number[] = [];
    for (let i = 0; i < hashes.length; i++) if (held.has(hashes[i])) found.push(i);
    return found;
  }
}
