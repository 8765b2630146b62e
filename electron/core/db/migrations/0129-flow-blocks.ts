// VPC flow records as column blocks with roll-ups, instead of a row per record (issue 10: a row of
// 31 values and five index entries capped ingest near 50,000 records/s and took 400 bytes a record).
// - flow_blocks: one row per block (source, record count, time range) and flow_block_data its
//   columns (db/flow-block-codec.ts) and content hashes, apart so that scanning the block list
//   reads no column data;
// - flow_addresses and flow_interface_buckets: per address (as source and as destination) and per
//   interface, its records in each graph bucket (db/graph-bucket.ts; -1 for records without a start):
//   which blocks a question about one address or interface decodes, how many records name an
//   address, the addresses a search prefix lists. A roll-up per pair of addresses was tried first: the
//   generated account's egress to 300,000 public addresses made it as many rows as records;
// - flow_interfaces: per interface and instance, the VPC and subnet of the latest record ('' for none);
// - flow_origins: the accounts and regions the records name.
// The rows of an older case move into blocks of one source each (moveData, below), then the flows
// table goes.
import type Database from 'better-sqlite3';
import { buildFlowBlock } from '../flow-block.ts';
import type { FlowRow } from '../flow-row.ts';
import { FlowStore } from '../flow-store.ts';

export const version = 129;

export const sql = /* sql */ `
CREATE TABLE flow_blocks (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL,
  records INTEGER NOT NULL,
  first_start INTEGER,
  last_start INTEGER,
  last_end INTEGER,
  untimed INTEGER NOT NULL  -- records without a start time: deduplication compares them apart
) STRICT;
CREATE INDEX flow_blocks_last_start ON flow_blocks(last_start);
CREATE INDEX flow_blocks_first_start ON flow_blocks(first_start);
CREATE INDEX flow_blocks_untimed ON flow_blocks(id) WHERE untimed > 0;
CREATE TABLE flow_block_data (
  id INTEGER PRIMARY KEY,
  columns BLOB NOT NULL,
  hashes BLOB NOT NULL
) STRICT;
CREATE TABLE flow_addresses (
  address TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  as_source INTEGER NOT NULL,
  as_destination INTEGER NOT NULL,
  PRIMARY KEY (address, bucket)
) STRICT, WITHOUT ROWID;
CREATE TABLE flow_interface_buckets (
  interface_id TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (interface_id, bucket)
) STRICT, WITHOUT ROWID;
CREATE TABLE flow_interfaces (
  interface_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  last_start INTEGER NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (interface_id, instance_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX flow_interfaces_instance ON flow_interfaces(instance_id);
CREATE TABLE flow_origins (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  PRIMARY KEY (account_id, region)
) STRICT, WITHOUT ROWID;
`;

export const dropSql = /* sql */ `DROP TABLE flows;`;

const CHUNK = 20_000;
const COLUMNS = `version, account_id AS accountId, interface_id AS interfaceId, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
  start_time AS startTime, end_time AS endTime, action, log_status AS logStatus, vpc_id AS vpcId, subnet_id AS subnetId, instance_id AS instanceId,
  tcp_flags AS tcpFlags, traffic_type AS trafficType, pkt_srcaddr AS pktSrcaddr, pkt_dstaddr AS pktDstaddr, region, az_id AS azId,
  sublocation_type AS sublocationType, sublocation_id AS sublocationId, pkt_src_aws_service AS pktSrcAwsService,
  pkt_dst_aws_service AS pktDstAwsService, flow_direction AS flowDirection, traffic_path AS trafficPath`;

/** Moves the flow rows into blocks of at most CHUNK records of one source, in id order (their hashes are computed anew: flow-content-hash.ts). */
export function moveData(db: Database.Database): void {
  const store = new FlowStore(db);
  const next = db.prepare(`SELECT id, source_id AS sourceId, ${COLUMNS} FROM flows WHERE id > ? ORDER BY id LIMIT ${CHUNK}`);
  let after = 0;
  let rows: (FlowRow & { id: number; sourceId: number })[];
  while ((rows = next.all(after) as typeof rows).length) {
    after = rows[rows.length - 1].id;
    let from = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i < rows.length && rows[i].sourceId === rows[from].sourceId) continue;
      const part = rows.slice(from, i);
      store.insert(part[0].sourceId, buildFlowBlock(part.map(toFlowRow)));
      from = i;
    }
  }
}

function toFlowRow(r: Record<string, unknown>): FlowRow {
  const { id: _id, sourceId: _s, ...row } = r;
  return row as FlowRow;
}
