// An actor table as migrations 0125 to 0133 left it, made from a case of today for the tests of older
// versions: the issuing call's eventID and time kept as text on every row (what the view reads back
// through the issuing call's row since migration 0134), with their full indexes and the view of then,
// and without the identifier indexes of migration 0135.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

export function chainCutsAsText(db: Database.Database): void {
  const at133 = (type: string, name: string) => expectedSchema(133).objects.get(schemaKey(type, name))!.sql!;
  db.exec(`UPDATE actor_rows SET chain_event = (SELECT chain_event FROM actors a WHERE a.id = actor_rows.id),
      chain_time = (SELECT chain_time FROM actors a WHERE a.id = actor_rows.id);
    DROP VIEW actors; ${at133('view', 'actors')};
    DROP INDEX actors_chain_issue; DROP INDEX actors_chain_event; DROP INDEX actors_chain_time;
    DROP INDEX actors_principal; DROP INDEX actors_on_behalf_of; DROP INDEX actors_source_identity;
    ALTER TABLE actor_rows DROP COLUMN chain_issue;
    ${at133('index', 'actors_chain_event')}; ${at133('index', 'actors_chain_time')};`);
}
