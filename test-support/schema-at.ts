// A migration's test makes a case "as an older version left it" from a case of today: it takes out what
// the migrations after that version added to tables, and this puts every view and trigger back as that
// version defined it (later migrations redefine them), so the schema check accepts the older version.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';
import { LATEST_VERSION } from '../electron/core/db/migrations/index.ts';

export function viewsAndTriggersAt(db: Database.Database, version: number): void {
  const now = expectedSchema(LATEST_VERSION).objects;
  const then = expectedSchema(version).objects;
  for (const o of now.values()) {
    if (o.type !== 'view' && o.type !== 'trigger') continue;
    const old = then.get(schemaKey(o.type, o.name));
    if (old?.sql === o.sql) continue;
    db.exec(`DROP ${o.type.toUpperCase()} "${o.name}"`);
    if (old?.sql) db.exec(old.sql);
  }
}
