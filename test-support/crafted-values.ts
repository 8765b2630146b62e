// A genuine case changed with the attacker's own SQLite, value by value: random rows of every column
// set to values of the column's type that no ingest writes (±2^62, a dangling id, a time past any date,
// text that is not JSON or holds NUL, 200 KB of text, random bytes, NULL). The schema stays Trailscope's,
// so the case opens; what reads it must answer around the values. Seeded, so a failure is reproduced.
import Database from 'better-sqlite3';
import { seeded } from './mutated-records.ts';

const INTEGERS = [-1n, 0n, 1n, 2n ** 62n, -(2n ** 62n), 999_999_999n, 2n ** 53n + 1n, 9_000_000_000_000_000_000n, -9_000_000_000_000_000_000n];
const TEXTS = ['', 'x'.repeat(200_000), '{"a":', '[]', 'null', '[{"accessKeyId":1}]', '<script>alert(1)</script>', 'a\u0000b', '\ufffd', '{}', '"', '1e999'];
/** Tables whose rows are SQLite's own or the full-text index's: changed, they are a damaged file, which damaged-case tests cover. */
const SKIPPED = /^(sqlite_|events_fts|resources_search)/;

type Column = { name: string; type: string; notnull: number; pk: number };

/** Sets values into random rows of about half of every column of the case at `path`; returns how many columns were changed. */
export function craftValues(path: string, seed: number): number {
  const rnd = seeded(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const db = new Database(path);
  db.defaultSafeIntegers(true);
  let changed = 0;
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]).filter((t) => !SKIPPED.test(t));
    for (const table of tables) {
      const columns = db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(table) as Column[];
      const keys = columns.filter((c) => c.pk).map((c) => c.name);
      if (!keys.length) continue;
      const rows = db.prepare(`SELECT ${keys.map((k) => `"${k}"`).join(', ')} FROM "${table}" ORDER BY random() LIMIT 2`).raw().all() as unknown[][];
      for (const c of columns) {
        if (c.pk || rnd() < 0.5) continue;
        const type = c.type.toUpperCase();
        let value: unknown = type.includes('INT') ? pick(INTEGERS) : type.includes('TEXT') ? pick(TEXTS)
          : type.includes('BLOB') ? Buffer.from(Array.from({ length: pick([0, 3, 100]) }, () => Math.floor(rnd() * 256))) : type.includes('REAL') ? pick([-1.5, 1e300, 0]) : pick(TEXTS);
        if (!c.notnull && rnd() < 0.2) value = null;
        const set = db.prepare(`UPDATE "${table}" SET "${c.name}" = ? WHERE ${keys.map((k) => `"${k}" = ?`).join(' AND ')}`);
        try {
          for (const row of rows) set.run(value, ...row);
          changed++;
        } catch {
          // A CHECK, a NOT NULL or a unique index refused it: the schema's own defence, nothing to read around.
        }
      }
    }
  } finally {
    db.close();
  }
  return changed;
}
