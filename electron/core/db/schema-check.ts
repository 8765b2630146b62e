// Before a case is used, its schema must be exactly what Trailscope's migrations make at the case's
// version: a trigger, a redefined view, a table or index Trailscope does not create, a changed
// definition or a missing object means the file was changed by another tool, and it is refused.
// A trigger would run on our own writes (rewriting evidence as it is ingested), a view would change
// what every query reads, a CHECK or DEFAULT could call functions: none of it may run, so none of it
// may be there. Objects are compared by (type, name) on their normalised SQL (normalise-sql.ts).
// Allowed on top: SQLite's statistics tables, and the missing event and flow indexes of a bulk load
// in progress when the case's marker names them (bulk-load.ts).
import type Database from 'better-sqlite3';
import { KNOWN_VERSIONS, expectedSchema, readSchema, sameDefinition, schemaKey, type SchemaObject } from './expected-schema.ts';
import { readBulkLoadMarker } from './bulk-load.ts';
import { ForeignCaseError, quoteName } from './foreign-case-error.ts';
import { schemaVersion } from './migrate.ts';

/** Throws ForeignCaseError naming what is foreign in the case's schema; reads only, changes nothing. */
export function assertTrustedSchema(db: Database.Database, path: string): void {
  const findings = schemaFindings(db);
  if (findings.length > 0) throw new ForeignCaseError(path, findings);
}

export function schemaFindings(db: Database.Database): string[] {
  const version = schemaVersion(db);
  if (!KNOWN_VERSIONS.includes(version)) return [`schema version ${version}, which no Trailscope writes`];
  const expected = expectedSchema(version);
  const findings: string[] = [];
  const seen = new Set<string>();
  const differing = new Set<string>();
  for (const found of readSchema(db, expected.objects.size + expected.statistics.size + 1000)) {
    const key = schemaKey(found.type, found.name);
    seen.add(key);
    const ours = expected.objects.get(key) ?? expected.statistics.get(key);
    if (!ours) findings.push(`${describe(found)}, which Trailscope does not create`);
    else if (!sameDefinition(found, ours)) {
      differing.add(key);
      findings.push(`${describe(found)} differs from Trailscope's`);
    }
  }
  // The bulk-load marker is read only from a case_meta that is ours (its table and key index as made).
  const caseMetaIsOurs = CASE_META.every((k) => expected.objects.has(k) && seen.has(k) && !differing.has(k));
  const marker = caseMetaIsOurs ? readBulkLoadMarker(db, version) : null;
  if (marker && 'problem' in marker) findings.push(marker.problem);
  const dropped = new Set(marker && 'names' in marker ? marker.names : []);
  for (const o of expected.objects.values()) {
    if (seen.has(schemaKey(o.type, o.name))) continue;
    // An index a bulk load in progress dropped, as its marker says.
    if (o.type === 'index' && dropped.has(o.name)) continue;
    findings.push(`${describe(o)} is missing`);
  }
  return findings;
}

const CASE_META = [schemaKey('table', 'case_meta'), schemaKey('index', 'sqlite_autoindex_case_meta_1')];

/** "trigger evil_rewrite on event_rows", "view events", "table loot". */
function describe(o: SchemaObject): string {
  const type = ['table', 'index', 'view', 'trigger'].includes(o.type) ? o.type : `object of type ${quoteName(o.type)}`;
  const on = (o.type === 'index' || o.type === 'trigger') && o.tblName !== o.name ? ` on ${quoteName(o.tblName)}` : '';
  return `${type} ${quoteName(o.name)}${on}`;
}
