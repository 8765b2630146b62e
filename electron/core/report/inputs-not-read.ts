// The inputs of a case it could not read whole: those rejected (with why) and those read with some
// records rejected (how many, and where and why the first was). An incident report states what
// evidence it rests on, and so what of the evidence handed over could not be read. Each list is
// bounded and counted whole; the sources table has no index on these columns, so a case of millions
// of inputs is scanned once for each count, which only a report pays.
import type { CaseDb } from '../db/open-case.ts';
import type { RecordRejection } from '../../../shared/api/types.ts';

export type InputsNotReadWhole = {
  rejected: { path: string; reason: string | null }[];
  rejectedCount: number;
  /** `read`: records of the input the case holds (new or already there); `rejected`: how many it refused; `first`: the first of those. */
  partlyRead: { path: string; read: number; rejected: number; first: RecordRejection | null }[];
  partlyReadCount: number;
  /** Records rejected in inputs read in part, in all. */
  rejectedRecords: number;
};

export function inputsNotReadWhole(db: CaseDb, limit: number): InputsNotReadWhole {
  const rejected = db.prepare(`SELECT path, reason FROM sources WHERE status = 'rejected' ORDER BY path, id LIMIT ?`).all(limit) as InputsNotReadWhole['rejected'];
  const rejectedCount = db.prepare(`SELECT count(*) FROM source_rows WHERE status = 'rejected'`).pluck().get() as number;
  const partly = db.prepare(`SELECT id, path, records + duplicates AS read, rejected_records AS rejected FROM sources
    WHERE status <> 'rejected' AND rejected_records > 0 ORDER BY path, id LIMIT ?`).all(limit) as { id: number; path: string; read: number; rejected: number }[];
  const totals = db.prepare(`SELECT count(*) AS n, coalesce(sum(rejected_records), 0) AS records FROM source_rows
    WHERE status <> 'rejected' AND rejected_records > 0`).get() as { n: number; records: number };
  const firstOf = db.prepare('SELECT position, reason FROM rejected_records WHERE source_id = ? ORDER BY id LIMIT 1');
  return {
    rejected,
    rejectedCount,
    partlyRead: partly.map(({ id, ...p }) => ({ ...p, first: (firstOf.get(id) as RecordRejection | undefined) ?? null })),
    partlyReadCount: totals.n,
    rejectedRecords: totals.records,
  };
}
