// Bulk load: filling an empty case without its event and flow indexes (and the secondary indexes of
// the credentials, resources and links the events bring, and the resources' search index, whose
// triggers skip their work while the marker is there), then building them once.
// Inserting a million rows into indexes keyed by random event ids touches a random page per row;
// building the same index afterwards is one sort. While they are gone, case_meta holds a marker that
// names them, so a case killed mid-load gets them back the next time it is opened for writing.
// The marker holds names only: the SQL that builds each index comes from the code's migrations
// (expected-schema.ts). A case is data: nothing read from it is ever run as SQL.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from './expected-schema.ts';
import { schemaVersion } from './migrate.ts';
import { normaliseSql } from './normalise-sql.ts';
import { ForeignCaseError, quoteName } from './foreign-case-error.ts';
import { safe } from '../export/terminal-safe.ts';

const KEY = 'bulk_load_dropped_indexes';
/** The FTS5 index whose triggers stand still while the marker is there, built whole at the end (migration 0126). */
const SEARCH_INDEX = 'resources_search';
/** A bulk load starts only when these are empty: their rows are deduplicated in memory while it runs. */
const EMPTY_FIRST = ['event_rows', 'flow_blocks'];
/**
 * Their indexes are all dropped while it runs. flows was the row-per-record flow table until
 * migration 0129 (flow_blocks has one index, read while the load runs): a marker an older build wrote
 * names its indexes.
 */
const TABLES = ['event_rows', 'flows'];
/**
 * Their secondary indexes are dropped too while the load runs. Every issued key, touched resource and
 * event-resource link goes into them: with a new key for every call that is a random page of four
 * credential indexes per key (measured on 100,000 events of that workload, the credential and resource
 * inserts took 5.4 s of the writer's 12 s). Their unique keys stay: the upserts that deduplicate (and
 * a writer beside the import) rely on them. Credentials and links are credential_rows and
 * event_resource_rows since migration 0128 (credentials and event_resources before: the tables whose
 * indexes a marker written by an older build names).
 */
const ALSO_DEFERRED = ['credentials', 'credential_rows', 'resources', 'event_resources', 'event_resource_rows'];
/** A marker names a few indexes; anything longer is not one of ours (and is not read whole). */
const MAX_MARKER_CHARS = 4096;

/** The indexes a bulk load drops at this schema version, by name, with the code's SQL for each. */
export function bulkLoadIndexes(version: number): Map<string, { sql: string; normalised: string }> {
  const indexes = new Map<string, { sql: string; normalised: string }>();
  for (const o of expectedSchema(version).objects.values()) {
    if (o.type !== 'index' || o.sql === null || o.normalised === null) continue;
    const deferred = TABLES.includes(o.tblName) || (ALSO_DEFERRED.includes(o.tblName) && !/^CREATE UNIQUE/i.test(o.sql));
    if (deferred) indexes.set(o.name, { sql: o.sql, normalised: o.normalised });
  }
  return indexes;
}

export type BulkLoadMarker = { names: string[] } | { problem: string };

/**
 * The indexes the case's marker says a bulk load dropped, or what is wrong with the marker; null
 * when there is none. Only for a case whose case_meta table is Trailscope's (schema-check.ts).
 * Builds before this one stored `[{name, sql}]`: accepted when each SQL is exactly the code's.
 */
export function readBulkLoadMarker(db: Database.Database, version: number): BulkLoadMarker | null {
  const row = db.prepare(`SELECT substr(value, 1, ?) AS value, length(value) AS chars FROM case_meta WHERE key = ?`).get(MAX_MARKER_CHARS, KEY) as
    | { value: unknown; chars: number }
    | undefined;
  if (!row) return null;
  const notNames = { problem: 'a bulk-load marker in case_meta that is not a list of index names' };
  if (typeof row.value !== 'string' || row.chars > MAX_MARKER_CHARS) return notNames;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.value);
  } catch {
    return notNames;
  }
  if (!Array.isArray(parsed)) return notNames;
  const known = bulkLoadIndexes(version);
  const names: string[] = [];
  for (const item of parsed) {
    const legacy = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
    const name = typeof item === 'string' ? item : legacy && Object.keys(legacy).sort().join() === 'name,sql' ? legacy.name : undefined;
    if (typeof name !== 'string') return notNames;
    const index = known.get(name);
    if (index === undefined) return { problem: `a bulk-load marker naming index ${quoteName(name)}, which Trailscope does not rebuild` };
    if (legacy && (typeof legacy.sql !== 'string' || normaliseSql(legacy.sql) !== index.normalised)) {
      return { problem: `a bulk-load marker holding SQL for index ${quoteName(name)} that is not Trailscope's` };
    }
    if (!names.includes(name)) names.push(name);
  }
  return { names };
}

/** Drops the deferred indexes if the event and flow tables are empty; returns whether it did. */
export function beginBulkLoad(db: Database.Database): boolean {
  return db.transaction(() => {
    if (db.prepare(`SELECT 1 FROM case_meta WHERE key = ?`).get(KEY)) return false;
    const empty = EMPTY_FIRST.every((t) => db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() === undefined);
    if (!empty) return false;
    const present = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'`).pluck().all() as string[]);
    const names = [...bulkLoadIndexes(schemaVersion(db)).keys()].filter((n) => present.has(n));
    db.prepare(`INSERT INTO case_meta (key, value) VALUES (?, ?)`).run(KEY, JSON.stringify(names));
    for (const name of names) db.exec(`DROP INDEX "${name}"`);
    return true;
  })();
}

/** Builds the indexes dropped by beginBulkLoad (after a finished load, or a crashed one), from the code's SQL. */
export function finishBulkLoad(db: Database.Database): boolean {
  const version = schemaVersion(db);
  const marker = readBulkLoadMarker(db, version);
  if (!marker) return false;
  // openCase has refused such a case already; this guards a marker written while the case was open.
  if ('problem' in marker) throw new ForeignCaseError(db.name, [marker.problem]);
  const indexes = bulkLoadIndexes(version);
  const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?`);
  try {
    db.transaction(() => {
      for (const name of marker.names) if (!exists.get(name)) db.exec(indexes.get(name)!.sql);
      // The resources' search index is not kept by its triggers while the marker is there (migration 0126).
      if (expectedSchema(version).objects.has(schemaKey('table', SEARCH_INDEX))) db.exec(`INSERT INTO ${SEARCH_INDEX} (${SEARCH_INDEX}) VALUES ('rebuild')`);
      db.prepare(`DELETE FROM case_meta WHERE key = ?`).run(KEY);
    })();
  } catch (err) {
    // Rows a unique index refuses (two events under one eventID, which the load's deduplication
    // should have kept out): said in words rather than as SQLite's code. The rebuild rolled back, so
    // the case stays readable, and is refused for writing at each open.
    if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new Error(`The indexes of the case file ${safe(db.name)} cannot be rebuilt after its load, since rows repeat a key they must not ` +
        `(${safe((err as Error).message)}). It opens read-only; no ingest can write to it.`, { cause: err });
    }
    throw err;
  }
  return true;
}
