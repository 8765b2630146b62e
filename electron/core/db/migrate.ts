// Numbered migrations, each applied in one transaction together with the user_version bump,
// so a crash leaves the file at a whole version, never between two.
import type Database from 'better-sqlite3';
import { MIGRATIONS, LATEST_VERSION } from './migrations/index.ts';
import { CaseVersionError } from './case-version-error.ts';

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a file from a newer Trailscope before anything is written to it. */
export function assertKnownVersion(db: Database.Database): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) throw new CaseVersionError(current, LATEST_VERSION, db.memory ? undefined : db.name);
}

export function migrate(db: Database.Database): number {
  assertKnownVersion(db);
  const current = schemaVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.moveData?.(db);
      if (m.dropSql) db.exec(m.dropSql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
