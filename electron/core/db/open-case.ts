// Opens (or creates) a case file: one SQLite file per investigation.
// Pragmas live here and nowhere else so every process that touches a case agrees on them.
// A case file is data from whoever handed it over, never code: before anything reads or writes it,
// its schema must be Trailscope's own (schema-check.ts), so no trigger, view or definition of its
// own ever runs; and SQLite is told not to trust a schema anyway (trusted_schema, defensive mode).
import Database from 'better-sqlite3';
import { assertKnownVersion, migrate, schemaVersion } from './migrate.ts';
import { finishBulkLoad } from './bulk-load.ts';
import { assertTrustedSchema } from './schema-check.ts';
import { DamagedCaseError, isDamageError } from './damaged-case-error.ts';

export type CaseDb = Database.Database;

export type OpenCaseOptions = {
  readonly?: boolean;
  /** Page cache in MiB. */
  cacheMiB?: number;
};

export function openCase(path: string, options: OpenCaseOptions = {}): CaseDb {
  const readonly = options.readonly ?? false;
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    // Defensive mode (better-sqlite3 sets it at open; said again here so it cannot silently go):
    // no writable_schema, no writes to shadow tables, no journal_mode=OFF. trusted_schema=OFF:
    // functions with side effects and virtual tables cannot be used from inside the schema.
    // ATTACH cannot be limited from JavaScript (docs/security.md): only our own SQL could issue it.
    db.unsafeMode(false);
    db.pragma('trusted_schema = OFF');
    // Checks each b-tree cell's size as it is read: a crafted page is reported instead of trusted.
    db.pragma('cell_size_check = ON');
    // Both checks only read: a refused case is left exactly as it was.
    assertKnownVersion(db);
    assertTrustedSchema(db, path);
    // WAL: readers (UI, queries) never block the single writer (ingest), and a kill -9
    // mid-transaction leaves the last committed state intact.
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${(options.cacheMiB ?? 64) * 1024}`);
    // Never through a memory map, as SQLite's advice for untrusted files has it: an I/O error on a mapped
    // file (one truncated, on a network share or a removed disk) is a signal that kills the process, not
    // an error. And cell_size_check (above) checks a mapped page each time it is fetched, where a page
    // read into the cache is checked once: random reads of a million-event case were 4-5 times slower
    // mapped (an origin's 75,000 credentials' events counted in 210 ms instead of 40).
    db.pragma('mmap_size = 0');
    if (!readonly) {
      // A load killed before its indexes were rebuilt: rebuild them now (see bulk-load.ts), at the
      // version that dropped them (a later migration may drop their table: 0129 drops flows).
      if (schemaVersion(db) > 0) finishBulkLoad(db);
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    if (isDamageError(err)) throw new DamagedCaseError(path, err.message);
    throw err;
  }
}
