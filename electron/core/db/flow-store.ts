// Stores a flow block and adds its roll-ups (migration 0129): the one way flow records enter a case,
// used by the ingest writer and by the migration that moved older cases' flow rows into blocks.
import type Database from 'better-sqlite3';
import type { FlowBlock } from './flow-block.ts';

export class FlowStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      block: db.prepare(`INSERT INTO flow_blocks (source_id, records, first_start, last_start, last_end, untimed) VALUES (?, ?, ?, ?, ?, ?)`),
      data: db.prepare(`INSERT INTO flow_block_data (id, columns, hashes) VALUES (?, ?, ?)`),
      address: db.prepare(`INSERT INTO flow_addresses (address, bucket, as_source, as_destination) VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET as_source = as_source + excluded.as_source, as_destination = as_destination + excluded.as_destination`),
      interfaceBucket: db.prepare(`INSERT INTO flow_interface_buckets (interface_id, bucket, records) VALUES (?, ?, ?)
        ON CONFLICT DO UPDATE SET records = records + excluded.records`),
      // The VPC and subnet an interface's listing shows are those of its latest record.
      iface: db.prepare(`INSERT INTO flow_interfaces (interface_id, instance_id, vpc_id, subnet_id, last_start, records) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET records = records + excluded.records,
        vpc_id = iif(excluded.last_start >= last_start, excluded.vpc_id, vpc_id), subnet_id = iif(excluded.last_start >= last_start, excluded.subnet_id, subnet_id),
        last_start = max(last_start, excluded.last_start)`),
      origin: db.prepare(`INSERT OR IGNORE INTO flow_origins (account_id, region) VALUES (?, ?)`),
    };
  }

  /** Stores the block (the caller's transaction); returns its id. */
  insert(sourceId: number, b: FlowBlock): number {
    const id = Number(this.s.block.run(sourceId, b.records, b.firstStart, b.lastStart, b.lastEnd, b.untimed).lastInsertRowid);
    // A block posted from a reader thread arrives as a plain Uint8Array: SQLite binds Buffers as blobs.
    this.s.data.run(id, Buffer.from(b.columns.buffer, b.columns.byteOffset, b.columns.byteLength), Buffer.from(b.hashes.buffer, b.hashes.byteOffset, b.hashes.byteLength));
    const { addresses, counts } = b.addresses;
    for (let k = 0; k < addresses.length; k++) this.s.address.run(addresses[k], counts[3 * k], counts[3 * k + 1], counts[3 * k + 2]);
    for (const u of b.interfaceBuckets) this.s.interfaceBucket.run(...u);
    for (const u of b.interfaces) this.s.iface.run(...u);
    for (const o of b.origins) this.s.origin.run(...o);
    return id;
  }
}
