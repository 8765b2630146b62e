// The resources' search index (migration 0126) takes the resources an ingest's commit group adds in one
// statement at the group's end instead of one trigger write each. A trigger's write makes FTS5 flush its
// pending terms at every statement (the statement's savepoint): into a million-event case with a new key
// for every call (an access-key resource per key) that was about 2 s of the writer's 5 for 20,000 events
// (issue 10). While a group is open the writer keeps in case_meta, inside its own transaction, the
// largest rowid the index held when the group began ('resources_search_after', ingest/writer.ts); rows
// above it wait for the writer's flush, just before the group commits, and the update and delete
// triggers leave them alone too (an index entry deleted that was never written would corrupt it). A
// kill rolls the marker back with the group; no committed case holds it.
export const version = 133;

/** Not during a bulk load, nor for a row above the open group's marker. */
export const INDEXED = (row: 'new' | 'old') => /* sql */ `NOT EXISTS (SELECT 1 FROM case_meta WHERE key = 'bulk_load_dropped_indexes')
    AND ${row}.rowid <= coalesce((SELECT CAST(value AS INTEGER) FROM case_meta WHERE key = 'resources_search_after'), ${row}.rowid)`;

export const sql = /* sql */ `
DROP TRIGGER resources_search_insert;
DROP TRIGGER resources_search_update;
DROP TRIGGER resources_search_delete;
CREATE TRIGGER resources_search_insert AFTER INSERT ON resources
  WHEN ${INDEXED('new')} BEGIN
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (new.rowid, new.id, new.name, new.arn);
END;
CREATE TRIGGER resources_search_update AFTER UPDATE OF id, name, arn ON resources
  WHEN (old.id IS NOT new.id OR old.name IS NOT new.name OR old.arn IS NOT new.arn) AND ${INDEXED('old')} BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', old.rowid, old.id, old.name, old.arn);
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (new.rowid, new.id, new.name, new.arn);
END;
CREATE TRIGGER resources_search_delete AFTER DELETE ON resources
  WHEN ${INDEXED('old')} BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', old.rowid, old.id, old.name, old.arn);
END;
`;
