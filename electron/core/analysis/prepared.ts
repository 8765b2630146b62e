// Statements prepared once per database connection: the engine's queries run many times per second
// from the UI, and preparing costs more than most of them take to run.
//
// A statement that joins tables and compares a column for equality with a bare bound value
// (`c.rowid = ?`, `= @name`, in WHERE or ON) is prepared again by SQLite at every run: better-sqlite3
// builds it with STAT4, and its plan is then taken to depend on the value. Through the credentials
// view (fourteen joins) that is 60-70 µs a run against 6 for the same plan with the value written `+?`
// (a unary plus: the same value, the same affinity rules, the column's index still used). Statements
// run once per key, actor or event are written so; those run once per answer need not be.
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../db/open-case.ts';
import { isoInstant } from '../../../shared/iso-time.ts';

const caches = new WeakMap<CaseDb, Map<string, Statement>>();

/** The prepared statement for `sql` on `db`, prepared on first use. */
export function stmt(db: CaseDb, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : isoInstant(ms);
}

/** Parses an ISO time (or epoch ms) given by a user; throws on nonsense so a typo is not a silent empty answer. */
export function parseTime(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new RangeError(`not a time: '${value}'`);
  return n;
}
