// What says whether a case changed since an answer was computed on a connection: SQLite's data_version
// (moves when another connection commits: an import or pull worker, a CLI on the same file) and this
// connection's total_changes() (moves on every write made through it: a suppression, a Sigma folder
// loaded or removed, an import committed here). Any write at all changes it: conservative, never stale.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from './prepared.ts';

/** The case's state as this connection sees it; equal states, the same data. */
export function caseState(db: CaseDb): string {
  const dataVersion = stmt(db, 'PRAGMA data_version').pluck().get();
  const changes = stmt(db, 'SELECT total_changes()').pluck().get();
  return `${String(dataVersion)}:${String(changes)}`;
}
