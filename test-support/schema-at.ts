// A migration's test makes a case "as an older version left it" from a case of today: it takes out what
// the migrations after that version changed in tables it cares about, and this does the rest: every
// view and trigger put back as that version defined it (later migrations redefine them), the indexes
// and the tables later migrations added dropped, and the indexes they defined again put back as they
// were (0148), as is the resources' search index (0149), so the schema check accepts the older
// version. The tables a later migration rebuilt without a change of the data's meaning, the
// credentials (0137), their roll-ups (0139) and the sources (0140), are put back as they were too, and
// the columns a later migration added to a table, the resources' observation times (0141), are dropped,
// and the resource links keyed by event again (0142), and the stored findings' tables with three parts
// (0145), and the events' search index with positions (0146), and the chain shapes with their session
// names in them (0147).
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';
import { LATEST_VERSION } from '../electron/core/db/migrations/index.ts';
import { credentialKeysAsText } from './credential-keys-as-text.ts';
import { facetValuesAsText } from './facet-values-as-text.ts';
import { resourceLinksByEvent } from './resource-links-by-event.ts';
import { sourcesAsText } from './sources-as-text.ts';
import { storedFindingsThreeParts } from './stored-findings-three-parts.ts';
import { eventSearchWithPositions } from './event-search-with-positions.ts';
import { shapesWithSessions } from './shapes-with-sessions.ts';

export function schemaAt(db: Database.Database, version: number): void {
  if (version < 147) shapesWithSessions(db);
  if (version < 146) eventSearchWithPositions(db, version);
  if (version < 145) storedFindingsThreeParts(db, version);
  if (version < 142) resourceLinksByEvent(db);
  if (version < 141) db.exec('ALTER TABLE resources DROP COLUMN name_at; ALTER TABLE resources DROP COLUMN place_at');
  if (version < 140) sourcesAsText(db);
  if (version < 139) facetValuesAsText(db);
  if (version < 137) credentialKeysAsText(db);
  const now = expectedSchema(LATEST_VERSION).objects;
  const then = expectedSchema(version).objects;
  const present = new Set((db.prepare(`SELECT type, name FROM sqlite_schema`).all() as { type: string; name: string }[]).map((o) => schemaKey(o.type, o.name)));
  for (const o of now.values()) {
    const old = then.get(schemaKey(o.type, o.name));
    if (o.type === 'index' && old === undefined && present.has(schemaKey(o.type, o.name))) db.exec(`DROP INDEX "${o.name}"`);
    // An index a later migration defined again under its name (0148): as that version had it.
    if (o.type === 'index' && old?.sql && old.sql !== o.sql && present.has(schemaKey(o.type, o.name))) db.exec(`DROP INDEX "${o.name}"; ${old.sql}`);
    // The resources' search index over its texts' view (0149): over the resources again, rebuilt from them.
    if (o.type === 'table' && o.name === 'resources_search' && old?.sql && old.sql !== o.sql) {
      db.exec(`DROP TABLE resources_search; ${old.sql}; INSERT INTO resources_search (resources_search) VALUES ('rebuild')`);
    }
    if (o.type === 'table' && old === undefined) db.exec(`DROP TABLE IF EXISTS "${o.name}"`);
    if (o.type !== 'view' && o.type !== 'trigger') continue;
    // Put back as a table already (the sources before 0140).
    if (!present.has(schemaKey(o.type, o.name))) continue;
    if (old?.sql === o.sql) continue;
    db.exec(`DROP ${o.type.toUpperCase()} "${o.name}"`);
    if (old?.sql) db.exec(old.sql);
  }
}
