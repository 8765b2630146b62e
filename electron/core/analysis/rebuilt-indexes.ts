// A refresh that adds more rows to a derived table than the table holds (the first refresh of a case,
// above all, and any one-key-per-call account: an actor row and four roll-up rows per credential)
// drops the table's secondary indexes and builds them once the rows are in. Keeping an index keyed by
// random text up to date costs a random page per row; building it afterwards is one sort (about half
// of writing the actor rows of 97,000 credentials). Runs inside the refresh's transaction, so no case
// is ever without them, and the SQL comes from the code's migrations (expected-schema.ts), never from
// the case.
import type { CaseDb } from '../db/open-case.ts';
import { expectedSchema } from '../db/expected-schema.ts';
import { schemaVersion } from '../db/migrate.ts';
import { sortingWholeTable } from '../db/page-cache.ts';

/** Runs `write` with the secondary indexes of `table` dropped when `bulk`, then builds them again. */
export function withIndexesRebuilt<T>(db: CaseDb, table: string, bulk: boolean, write: () => T): T {
  if (!bulk) return write();
  if (!db.inTransaction) throw new Error('indexes are dropped only inside a transaction');
  const present = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?`).pluck().all(table) as string[]);
  const indexes = [...expectedSchema(schemaVersion(db)).objects.values()]
    .filter((o) => o.type === 'index' && o.tblName === table && o.sql !== null && present.has(o.name));
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  const result = write();
  sortingWholeTable(db, () => {
    for (const index of indexes) db.exec(index.sql!);
  });
  return result;
}
