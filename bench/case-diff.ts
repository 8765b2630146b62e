// Compares two cases ingested from the same inputs, table by table (every row in rowid order; FTS5's
// shadow tables in their own order), every event's raw record text (by eventID) and every flow record
// (decoded from its block: block ids follow the order readers finish their files), to check an
// ingest change stores the same case. Timestamps (sources' started/finished, findings' computed_at)
// and FTS5's segment layout (which follows commit timing) differ between any two runs.
// Usage: node --import tsx bench/case-diff.ts A.case B.case
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { rawBlockReader } from '../electron/core/db/raw-events.ts';
import { decodeFlowColumns } from '../electron/core/db/flow-block-codec.ts';

const [a, b] = process.argv.slice(2).map((p) => new Database(p, { readonly: true }));
const tables = a.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
const cell = (_key: string, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v);

function hashOf(db: Database.Database, sql: string): string {
  const h = createHash('sha256');
  let n = 0;
  try {
    for (const r of db.prepare(sql).raw().iterate()) {
      h.update(`${JSON.stringify(r, cell)}\n`);
      n++;
    }
  } catch (err) {
    return `cannot read: ${(err as Error).message}`;
  }
  return `${n} rows ${h.digest('hex').slice(0, 12)}`;
}

function rawTexts(db: Database.Database): string {
  // Read block by block (a block decompresses once for its hundreds of records), hashed by eventID.
  const byEventId = new Map<string, string>();
  const readBlock = rawBlockReader(db);
  const rows = db.prepare('SELECT e.event_id AS id, e.raw_block AS block, e.raw_index AS idx FROM events e ORDER BY e.raw_block, e.raw_index').iterate();
  for (const r of rows as Iterable<{ id: string; block: number; idx: number }>) {
    byEventId.set(r.id, createHash('sha256').update(`${readBlock(r.block).record(r.idx) ?? 'undefined'}\n`).digest('hex'));
  }
  const h = createHash('sha256');
  for (const id of [...byEventId.keys()].sort()) h.update(byEventId.get(id)!);
  return `${byEventId.size} texts ${h.digest('hex').slice(0, 12)}`;
}

function flowRecordTexts(db: Database.Database): string {
  const texts: string[] = [];
  const hashes: number[] = [];
  for (const r of db.prepare('SELECT columns, hashes FROM flow_block_data').iterate() as Iterable<{ columns: Buffer; hashes: Buffer }>) {
    const cols = decodeFlowColumns(r.columns);
    for (let i = 0; i < cols.n; i++) texts.push(JSON.stringify(cols.row(i)));
    hashes.push(...new Float64Array(Uint8Array.from(r.hashes).buffer));
  }
  const h = createHash('sha256');
  for (const t of texts.sort()) h.update(`${t}\n`);
  for (const x of hashes.sort((a, b) => a - b)) h.update(`${x}\n`);
  return `${texts.length} records ${h.digest('hex').slice(0, 12)}`;
}

/** Compared by content instead: their row ids and blocks follow the order of the readers. */
const BY_CONTENT = new Set(['flow_blocks', 'flow_block_data']);

let differ = 0;
const report = (label: string, x: string, y: string) => {
  if (x !== y) differ++;
  console.log(x === y ? 'same' : 'DIFF', label.padEnd(32), x, x === y ? '' : y);
};
for (const t of tables.filter((x) => !BY_CONTENT.has(x))) {
  const shadow = /_(data|idx|docsize|config|content)$/.test(t) || t.endsWith('_fts');
  const sql = `SELECT * FROM "${t.replaceAll('"', '""')}"${shadow ? '' : ' ORDER BY rowid'}`;
  report(t, hashOf(a, sql), hashOf(b, sql));
}
report('raw record texts, by eventID', rawTexts(a), rawTexts(b));
report('flow records and their hashes', flowRecordTexts(a), flowRecordTexts(b));
console.log(`${differ} differ`);
