// A case of today with its events' search index as versions before 146 made it: with positions (0146
// made it again without). The index is contentless: its texts are written again from the events.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';
import { EVENT_SEARCH_TEXTS } from '../electron/core/db/migrations/0146-event-search-words.ts';

export function eventSearchWithPositions(db: Database.Database, version: number): void {
  const sql = expectedSchema(version).objects.get(schemaKey('table', 'events_fts'))?.sql;
  if (!sql) return;
  db.exec(`DROP TABLE events_fts; ${sql}; INSERT INTO events_fts (rowid, text) ${EVENT_SEARCH_TEXTS}`);
}
