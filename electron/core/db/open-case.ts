// Opens (or creates) a case file: one SQLite file per investigation.
// Pragmas live here and nowhere else so every process that touches a case agrees on them.
import Database from 'better-sqlite3';
import { assertKnownVersion, migrate } from './migrate.ts';
import { finishBulkLoad } from './bulk-load.ts';

export type CaseDb = Database.Database;

export type OpenCaseOptions = {
  readonly?: boolean;
  /** Page cache in MiB. */
  cacheMiB?: number;
  /**
   * Memory-mapped reads in MiB (default 256). Ingest passes 0: mapped pages count as the process's
   * memory, and a million-event load touches all of them (RSS 680 MB with the map, 515 MB without,
   * at the same speed).
   */
  mmapMiB?: number;
};

export function openCase(path: string, options: OpenCaseOptions = {}): CaseDb {
  const readonly = options.readonly ?? false;
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    assertKnownVersion(db);
    // WAL: readers (UI, queries) never block the single writer (ingest), and a kill -9
    // mid-transaction leaves the last committed state intact.
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${(options.cacheMiB ?? 64) * 1024}`);
    db.pragma(`mmap_size = ${(options.mmapMiB ?? 256) * 1024 * 1024}`);
    if (!readonly) {
      migrate(db);
      // A load killed before its indexes were rebuilt: rebuild them now (see bulk-load.ts).
      finishBulkLoad(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
