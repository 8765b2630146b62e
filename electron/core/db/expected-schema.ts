// What the code's migrations make at one schema version, read back from SQLite: the reference every
// opened case is compared with (schema-check.ts), and where bulk load finds the SQL of the indexes
// it rebuilds (bulk-load.ts). Nothing here comes from a case file.
// Built once per process and version by migrating an in-memory database: a few milliseconds, paid
// once per CLI command, reader worker or app start.
import Database from 'better-sqlite3';
import { MIGRATIONS, schemaSql } from './migrations/index.ts';
import { normaliseSql } from './normalise-sql.ts';

/** One row of sqlite_schema (sql is null for SQLite's automatic indexes). */
export type SchemaObject = { type: string; name: string; tblName: string; sql: string | null };
/** A row the code makes, with its SQL normalised too (normalise-sql.ts). */
export type ExpectedObject = SchemaObject & { normalised: string | null };

export type ExpectedSchema = {
  version: number;
  /** Everything the migrations create, FTS5's shadow tables and SQLite's automatic indexes included; keyed by schemaKey. */
  objects: Map<string, ExpectedObject>;
  /**
   * Tables SQLite creates on its own when it gathers statistics (ANALYZE, PRAGMA optimize). They may
   * be present or not; they steer the query planner and hold no SQL.
   */
  statistics: Map<string, ExpectedObject>;
};

/** The versions a Trailscope case can be at: an empty new file, or after each migration. */
export const KNOWN_VERSIONS: readonly number[] = [0, ...MIGRATIONS.map((m) => m.version)];

export function schemaKey(type: string, name: string): string {
  return `${type} ${name}`;
}

const cache = new Map<number, ExpectedSchema>();

/** Whether a case's definition is the code's: the same text, or the same once normalised. */
export function sameDefinition(found: SchemaObject, ours: ExpectedObject): boolean {
  if (found.tblName !== ours.tblName) return false;
  if (found.sql === null || ours.sql === null) return found.sql === ours.sql;
  return found.sql === ours.sql || normaliseSql(found.sql) === ours.normalised;
}

/** The schema the migrations up to `version` make; `version` must be one of KNOWN_VERSIONS. */
export function expectedSchema(version: number): ExpectedSchema {
  let schema = cache.get(version);
  if (!schema) {
    if (!KNOWN_VERSIONS.includes(version)) throw new Error(`no Trailscope schema has version ${version}`);
    schema = buildExpectedSchema(version);
    cache.set(version, schema);
  }
  return schema;
}

function buildExpectedSchema(version: number): ExpectedSchema {
  const db = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) if (m.version <= version) db.exec(schemaSql(m));
    const expected = (o: SchemaObject): [string, ExpectedObject] => [schemaKey(o.type, o.name), { ...o, normalised: o.sql === null ? null : normaliseSql(o.sql) }];
    const objects = new Map(readSchema(db).map(expected));
    // ANALYZE on an empty copy creates the statistics tables exactly as SQLite defines them.
    db.exec('ANALYZE');
    const statistics = new Map(readSchema(db).filter((o) => !objects.has(schemaKey(o.type, o.name))).map(expected));
    return { version, objects, statistics };
  } finally {
    db.close();
  }
}

/** sqlite_schema of a database, at most `limit` rows (a crafted file may hold millions). */
export function readSchema(db: Database.Database, limit = 100_000): SchemaObject[] {
  const rows = db.prepare(`SELECT type, name, tbl_name AS tblName, sql FROM sqlite_schema LIMIT ?`).all(limit) as {
    type: unknown;
    name: unknown;
    tblName: unknown;
    sql: unknown;
  }[];
  // A crafted file can put any value in these columns: compare them as the text SQLite would read.
  return rows.map((r) => ({
    type: String(r.type),
    name: String(r.name),
    tblName: String(r.tblName),
    sql: r.sql === null ? null : String(r.sql),
  }));
}
