// The inputs of a case read with some records rejected: how many, and where and why the first was.
// An incident report states what evidence it rests on, and so what of the evidence handed over could
// not be read (the inputs rejected whole are in the case's summary, case-info.ts). The list is bounded
// and counted whole; the sources table has no index on these columns, so a case of millions of inputs
// is scanned once for the count, which only a report pays.
import type { CaseDb } from '../db/open-case.ts';
import type { RecordRejection } from '../../../shared/api/types.ts';

export type InputsReadInPart = {
  /** `read`: records of the input the case holds (new or already there); `rejected`: how many it refused; `first`: the first of those. */
  partlyRead: { path: string; read: number; rejected: number; first: RecordRejection | null }[];
  partlyReadCount: number;
  /** Records rejected in inputs read in part, in all. */
  rejectedRecords: number;
};

export function inputsReadInPart(db: CaseDb, limit: number): InputsReadInPart {
  const partly = db.prepare(`SELECT id, path, records + duplicates AS read, rejected_records AS rejected FROM sources
    WHERE status <> 'rejected' AND rejected_records > 0 ORDER BY path, id LIMIT ?`).all(limit) as { id: number; path: string; read: number; rejected: number }[];
  const totals = db.prepare(`SELECT count(*) AS n, coalesce(sum(rejected_records), 0) AS records FROM source_rows
    WHERE status <> 'rejected' AND rejected_records > 0`).get() as { n: number; records: number };
  const firstOf = db.prepare('SELECT position, reason FROM rejected_records WHERE source_id = ? ORDER BY id LIMIT 1');
  return {
    partlyRead: partly.map(({ id, ...p }) => ({ ...p, first: (firstOf.get(id) as RecordRejection | undefined) ?? null })),
    partlyReadCount: totals.n,
    rejectedRecords: totals.records,
  };
}
