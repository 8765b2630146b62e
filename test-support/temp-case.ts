// A fresh case file in a temporary folder, removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, type CaseDb } from '../electron/core/db/open-case.ts';

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
