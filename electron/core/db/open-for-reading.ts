// Opening a case only to read it (the CLI's read-only commands). The code reads the newest schema only
// (a later migration's tables, views over re-laid tables), so a case written by an older Trailscope is
// first brought up to date exactly as the app brings every case it opens: migrated once, through a
// writable connection closed before the read-only one opens. A case that cannot be written is left as
// it was and refused with what to do, rather than failing later on a table it does not have.
import { safe } from '../export/terminal-safe.ts';
import { LATEST_VERSION } from './migrations/index.ts';
import { schemaVersion } from './migrate.ts';
import { openCase, type CaseDb, type OpenCaseOptions } from './open-case.ts';

export function openForReading(path: string, options: Omit<OpenCaseOptions, 'readonly'> = {}): CaseDb {
  const db = openCase(path, { ...options, readonly: true });
  const found = schemaVersion(db);
  if (found >= LATEST_VERSION) return db;
  db.close();
  try {
    openCase(path, options).close();
  } catch (err) {
    throw new Error(
      `The case file ${safe(path)} was written by an older Trailscope (schema version ${found}; this build reads ${LATEST_VERSION}) ` +
        `and could not be brought up to date (${safe(err instanceof Error ? err.message : String(err))}). ` +
        'Open it once where it can be written (a copy, or in the app).',
    );
  }
  return openCase(path, { ...options, readonly: true });
}
