// Case files changed by an attacker with their own SQLite, each the way the issue describes: SQL in
// the bulk-load marker, a trigger that rewrites evidence, a view that hides rows, a foreign table, a
// version no Trailscope writes, damaged pages. Shared by the tests of every surface that opens a case.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { LATEST_VERSION } from '../electron/core/db/migrations/index.ts';
import { realSample } from './real-data.ts';

/** Real CloudTrail (Stratus Red Team): the genuine evidence in the cases below. */
export const EVIDENCE = realSample('stratus-red-team', 'aws.exfiltration.ec2-security-group-open-port-22-ingress.json');

/** A genuine case holding real events, as Trailscope left it (closed, WAL folded in). */
export async function genuineCase(path: string): Promise<string> {
  const db = openCase(path);
  try {
    await ingestPaths(db, [EVIDENCE], { readers: 1 });
  } finally {
    db.close();
  }
  return path;
}

export type Hostile = {
  name: string;
  /** What the refusal must say. */
  says: RegExp;
  kind: 'foreign' | 'newer' | 'damaged';
  /** Turns a copy of a genuine case at `path` into the hostile one; `dir` holds it and `other.case`, a second real case. */
  build(path: string, dir: string): void;
};

/** The attacker's own SQLite: no defensive mode, the schema writable. */
function attacker(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.unsafeMode(true);
    db.exec(sql);
  } finally {
    db.close();
  }
}

const marker = (value: string) => `DROP INDEX event_rows_time; INSERT OR REPLACE INTO case_meta (key, value) VALUES ('bulk_load_dropped_indexes', '${value.replaceAll("'", "''")}');`;

export const HOSTILE: Hostile[] = [
  {
    name: 'SQL with ATTACH in the bulk-load marker',
    says: /bulk-load marker holding SQL for index event_rows_time that is not Trailscope's/,
    kind: 'foreign',
    build(path, dir) {
      // What the marker held before: [{name, sql}], the sql run on open. This one writes an
      // authorized_keys beside the case and empties the other case in the same folder.
      const sql =
        `CREATE INDEX event_rows_time ON event_rows(event_time); ` +
        `ATTACH DATABASE '${join(dir, 'authorized_keys')}' AS k; CREATE TABLE k.keys (line TEXT); INSERT INTO k.keys VALUES ('ssh-ed25519 AAAA attacker'); ` +
        `ATTACH DATABASE '${join(dir, 'other.case')}' AS o; DELETE FROM o.event_rows`;
      attacker(path, marker(JSON.stringify([{ name: 'event_rows_time', sql }])));
    },
  },
  {
    name: 'a bulk-load marker naming an index Trailscope does not know',
    says: /bulk-load marker naming index evil_index, which Trailscope does not rebuild/,
    kind: 'foreign',
    build: (path) => attacker(path, marker(JSON.stringify(['event_rows_time', 'evil_index']))),
  },
  {
    name: 'a bulk-load marker that is SQL, not a list of names',
    says: /bulk-load marker in case_meta that is not a list of index names/,
    kind: 'foreign',
    build: (path, dir) => attacker(path, marker(`ATTACH DATABASE '${join(dir, 'authorized_keys')}' AS k`)),
  },
  {
    name: 'a trigger on event_rows that rewrites the source IP of evidence ingested later',
    says: /trigger evil_rewrite on event_rows, which Trailscope does not create/,
    kind: 'foreign',
    build: (path) =>
      attacker(
        path,
        `INSERT OR IGNORE INTO strings (value) VALUES ('198.51.100.77');
         CREATE TRIGGER evil_rewrite AFTER INSERT ON event_rows BEGIN
           UPDATE event_rows SET source_ip = (SELECT id FROM strings WHERE value = '198.51.100.77') WHERE id = new.id;
         END;`,
      ),
  },
  {
    name: 'a redefined events view that hides the attacker from the timeline',
    says: /view events differs from Trailscope's/,
    kind: 'foreign',
    build(path) {
      const db = new Database(path, { readonly: true });
      const view = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'events'`).pluck().get() as string;
      db.close();
      attacker(path, `DROP VIEW events; ${view} WHERE s_source_ip.value IS NOT '198.51.100.77';`);
    },
  },
  {
    name: 'a foreign table',
    says: /table loot, which Trailscope does not create/,
    kind: 'foreign',
    build: (path) => attacker(path, 'CREATE TABLE loot (x)'),
  },
  {
    name: 'a changed table definition',
    says: /table source_rows differs from Trailscope's/,
    kind: 'foreign',
    build: (path) => attacker(path, `ALTER TABLE source_rows ADD COLUMN note TEXT DEFAULT 'planted'`),
  },
  {
    name: 'an index missing with no bulk load to explain it',
    says: /index event_rows_ip_time on event_rows is missing/,
    kind: 'foreign',
    build: (path) => attacker(path, 'DROP INDEX event_rows_ip_time'),
  },
  {
    name: 'an object whose name carries terminal escapes',
    says: /table \\u001b\]0;owned\\u0007x, which Trailscope does not create/,
    kind: 'foreign',
    build: (path) => attacker(path, `CREATE TABLE "\u001b]0;owned\u0007x" (y)`),
  },
  {
    name: 'a schema version no Trailscope writes',
    says: /schema version 15, which no Trailscope writes/,
    kind: 'foreign',
    build: (path) => attacker(path, 'PRAGMA user_version = 15'),
  },
  {
    name: 'a newer schema version',
    says: new RegExp(`newer Trailscope \\(schema version ${LATEST_VERSION + 1};`),
    kind: 'newer',
    build: (path) => attacker(path, `PRAGMA user_version = ${LATEST_VERSION + 1}`),
  },
  {
    name: 'a damaged header',
    says: /is damaged or is not a Trailscope case \(file is not a database\)/,
    kind: 'damaged',
    build: (path) => overwrite(path, 0, 16),
  },
  {
    name: 'a damaged schema page',
    says: /is damaged or is not a Trailscope case \(database disk image is malformed\)/,
    kind: 'damaged',
    build: (path) => overwrite(path, 100, 4096),
  },
];

/** Overwrites bytes [from, to) of a file with 0xA5, as a bad disk or a careless edit would. */
function overwrite(path: string, from: number, to: number): void {
  const bytes = readFileSync(path);
  bytes.fill(0xa5, from, to);
  writeFileSync(path, bytes);
}

/** A copy of `template` at `path` made hostile, and a second genuine case `other.case` beside it. */
export function hostileCopy(template: string, dir: string, hostile: Hostile): { path: string; other: string } {
  const path = join(dir, 'hostile.case');
  const other = join(dir, 'other.case');
  copyFileSync(template, path);
  copyFileSync(template, other);
  hostile.build(path, dir);
  return { path, other };
}
