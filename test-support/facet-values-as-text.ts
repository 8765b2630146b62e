// A case of today with its credentials' roll-ups as versions before 139 kept them: each value as its
// text (migration 0099), not an id into strings (0139).
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

export function facetValuesAsText(db: Database.Database): void {
  const then = expectedSchema(138).objects;
  const sqlThen = (type: string, name: string) => then.get(schemaKey(type, name))!.sql!;
  db.exec(`DROP VIEW actor_facets; ALTER TABLE actor_facet_rows RENAME TO actor_facet_id_rows;
    ${sqlThen('table', 'actor_facet_rows')};
    INSERT INTO actor_facet_rows (actor, facet, value, count, errors, first_seen, last_seen)
      SELECT f.actor, f.facet, s.value, f.count, f.errors, f.first_seen, f.last_seen FROM actor_facet_id_rows f JOIN strings s ON s.id = f.value;
    DROP TABLE actor_facet_id_rows;
    ${sqlThen('index', 'actor_facets_value')};
    ${sqlThen('view', 'actor_facets')};`);
}
