// A case file as an older Trailscope left it: the migrations up to `version` applied to a new file in a
// temporary folder (removed after the test), open without our pragmas or checks so a test can fill it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS, schemaSql } from '../electron/core/db/migrations/index.ts';

export function caseAtVersion(t: TestContext, version: number): { path: string; raw: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), `trailscope-v${version}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, `v${version}.case`);
  const raw = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) raw.exec(schemaSql(m));
  raw.pragma(`user_version = ${version}`);
  return { path, raw };
}
