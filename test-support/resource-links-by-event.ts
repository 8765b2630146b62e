// A case of today with its resource links as versions before 142 kept them: event_resource_rows keyed
// by (resource, event), without the event's time.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

export function resourceLinksByEvent(db: Database.Database): void {
  const then = expectedSchema(141).objects;
  const sqlThen = (type: string, name: string) => then.get(schemaKey(type, name))!.sql!;
  db.exec(`DROP VIEW event_resources;
    ALTER TABLE event_resource_rows RENAME TO event_resource_rows_by_time;
    ${sqlThen('table', 'event_resource_rows')};
    INSERT INTO event_resource_rows (resource, event, resource_type, touch) SELECT resource, event, resource_type, touch FROM event_resource_rows_by_time;
    DROP TABLE event_resource_rows_by_time;
    ${sqlThen('index', 'event_resources_event')};
    ${sqlThen('view', 'event_resources')};`);
}
