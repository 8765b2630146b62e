// A fresh case file in a temporary folder, removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, type CaseDb } from '../electron/core/db/open-case.ts';
import { flowRecords } from '../electron/core/analysis/flows/flow-records.ts';

export type TempCase = { dir: string; path: string; db: CaseDb; cleanup(): void };

export function tempCase(name = 'test'): TempCase {
  const dir = mkdtempSync(join(tmpdir(), `trailscope-${name}-`));
  const path = join(dir, `${name}.case`);
  const db = openCase(path);
  return {
    dir,
    path,
    db,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function count(db: CaseDb, table: string, where = '1'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

/** Flow records stored, as a user would count them: every record decoded from its block; the block list's own counts must agree. */
export function flowCount(db: CaseDb): number {
  const decoded = flowRecords(db, {}, Number.MAX_SAFE_INTEGER).records.length;
  const listed = db.prepare('SELECT coalesce(sum(records), 0) FROM flow_blocks').pluck().get() as number;
  if (listed !== decoded) throw new Error(`flow blocks list ${listed} records but decode to ${decoded}`);
  return decoded;
}

/**
 * Every stored flow record as a line of JSON, sorted, without what a case gives it (its id, its source)
 * and the fields in `leftOut`: what two cases of the same records in other formats must agree on.
 */
export function flowRecordsAsText(db: CaseDb, leftOut: string[] = []): string[] {
  return flowRecords(db, {}, Number.MAX_SAFE_INTEGER)
    .records.map((r) => {
      const fields: Record<string, unknown> = { ...r };
      for (const k of ['id', 'source', ...leftOut]) delete fields[k];
      return JSON.stringify(fields);
    })
    .sort();
}
