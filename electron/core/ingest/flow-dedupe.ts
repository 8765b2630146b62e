// Which flow records a case already holds, by content hash (flow-content-hash.ts): the hashes of the
// blocks this writer stored, and of the blocks the case held when it started whose time range meets
// a new block's, loaded the first time a block needs them. A bulk load into a new case loads nothing;
// adding files to a case loads only the blocks their times overlap. Memory: 16 bytes per record held.
// Two writers adding flows to one case at the same moment do not see each other's blocks (the app
// writes a case from one writer at a time).
import type Database from 'better-sqlite3';
import { FlowBlockError } from '../db/flow-block-codec.ts';
import { HashSet } from '../db/hash-set.ts';

export class FlowDedupe {
  private readonly hashes = new HashSet(1 << 16);
  private readonly known = new Set<number>();
  private readonly s;

  /** The last block the case held before this writer's (none: nothing to load). */
  private readonly before: number;

  constructor(db: Database.Database) {
    this.before = (db.prepare('SELECT max(id) FROM flow_blocks').pluck().get() as number | null) ?? 0;
    this.s = {
      overlapping: db.prepare(`SELECT id FROM flow_blocks WHERE id <= ? AND last_start >= ? AND first_start <= ?`).pluck(),
      untimed: db.prepare(`SELECT id FROM flow_blocks WHERE id <= ? AND first_start IS NULL`).pluck(),
      hashesOf: db.prepare(`SELECT hashes FROM flow_block_data WHERE id = ?`).pluck(),
    };
  }

  /** Positions of the hashes already stored (in the case or earlier in this list). */
  stored(hashes: Float64Array, firstStart: number | null, lastStart: number | null): number[] {
    if (this.before > 0) {
      const ids = (firstStart === null || lastStart === null ? this.s.untimed.all(this.before) : this.s.overlapping.all(this.before, firstStart, lastStart)) as number[];
      for (const id of ids) if (!this.known.has(id)) this.load(id);
    }
    const found: number[] = [];
    for (let i = 0; i < hashes.length; i++) if (this.hashes.has(hashes[i])) found.push(i);
    return found;
  }

  /** Notes a block just stored: its hashes are known from now on. */
  added(blockId: number, hashes: Float64Array): void {
    this.known.add(blockId);
    for (const h of hashes) this.hashes.add(h);
  }

  private load(id: number): void {
    this.known.add(id);
    const data = this.s.hashesOf.get(id) as Uint8Array | undefined;
    if (!data) return;
    if (data.byteLength % 8 !== 0) throw new FlowBlockError(`flow block ${id} has a hash list of ${data.byteLength} bytes, not a multiple of 8`);
    const copy = new Float64Array(Uint8Array.from(data).buffer);
    for (const h of copy) if (Number.isSafeInteger(h) && h >= 0) this.hashes.add(h);
  }
}
