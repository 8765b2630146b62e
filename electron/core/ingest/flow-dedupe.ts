// Which records of a new flow block the case already holds, by content hash (db/flow-content-hash.ts).
// A record read twice has the same start time, so only the stored blocks whose time range meets the
// new block's can hold it (or, for a record without one, the blocks holding such records): their hash lists are read from the case (this ingest's own blocks included,
// in the same transaction) and compared with the new block's, one block at a time. Memory stays the
// size of one block whatever the case holds; the work is the overlap, which files of consecutive
// minutes keep small.
import type Database from 'better-sqlite3';
import { HashSet } from '../db/hash-set.ts';
import type { FlowBlock } from '../db/flow-block.ts';
import { MAX_STORED_HASHES_BYTES } from '../db/flow-block-codec.ts';

export class FlowDedupe {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      // A hash list longer than a block's (a crafted case) is not read into memory.
      overlapping: db.prepare(`SELECT d.hashes FROM flow_blocks b JOIN flow_block_data d ON d.id = b.id WHERE b.last_start >= ? AND b.first_start <= ?
        AND length(d.hashes) <= ${MAX_STORED_HASHES_BYTES}`).pluck(),
      // Blocks with records without a start, but not those the time range above has read already.
      untimed: db.prepare(`SELECT d.hashes FROM flow_blocks b JOIN flow_block_data d ON d.id = b.id WHERE b.untimed > 0
        AND NOT coalesce(b.last_start >= ? AND b.first_start <= ?, 0) AND length(d.hashes) <= ${MAX_STORED_HASHES_BYTES}`).pluck(),
    };
  }

  /** Positions of the new block's hashes that a stored block holds too. */
  stored(block: Pick<FlowBlock, 'hashes' | 'firstStart' | 'lastStart' | 'untimed'>): number[] {
    const { hashes } = block;
    const ours = new HashSet(hashes.length);
    for (const h of hashes) ours.add(h);
    const held = new HashSet(16);
    for (const data of this.storedLists(block)) {
      // A list of a crafted case that is not whole 8-byte numbers is read up to its last whole one.
      const stored = new Float64Array(Uint8Array.from(data.subarray(0, data.byteLength - (data.byteLength % 8))).buffer);
      for (const h of stored) if (ours.has(h)) held.add(h);
    }
    const found: number[] = [];
    for (let i = 0; i < hashes.length; i++) if (held.has(hashes[i])) found.push(i);
    return found;
  }

  /** The hash lists of the stored blocks that may hold one of the block's records, one statement after the other. */
  private *storedLists(block: Pick<FlowBlock, 'firstStart' | 'lastStart' | 'untimed'>): Generator<Uint8Array> {
    const { firstStart, lastStart } = block;
    if (firstStart !== null && lastStart !== null) yield* this.s.overlapping.iterate(firstStart, lastStart) as IterableIterator<Uint8Array>;
    if (block.untimed > 0) yield* this.s.untimed.iterate(firstStart, lastStart) as IterableIterator<Uint8Array>;
  }
}
