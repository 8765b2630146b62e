// The search box's substring matches by index (issue 10, item 6). A search that found fewer than 20
// exact hits scanned every resource with LIKE '%q%' and sorted them by length: on a one-key-per-call
// case (500,000 resources, nearly all access keys) 0.15 s of CPU for every search. A trigram index
// finds the rows holding any substring of 3 characters or more by seeks (analysis/search/search.ts).
// - External content (the text stays in `resources`, the index holds only trigrams) keyed by the
//   resources' rowid. Only search reads it, and it checks each candidate against the row again, so an
//   index that drifted from its table (a case VACUUMed by another tool renumbers rowids) can lose hits,
//   never show a row that does not match.
// - Kept up to date by triggers, so every writer (the ingest's upserts, a configuration snapshot, a
//   test's plain INSERT) keeps it whole without knowing it exists. An upsert that changes neither
//   name nor arn (every batch touching a known resource) re-indexes nothing.
// - Except during a bulk load (its marker in case_meta, bulk-load.ts), which builds the whole index
//   once at its end: a trigger's write makes FTS5 flush its pending terms at every statement (the
//   statement's savepoint), about 58 µs a new resource against 18 µs for the build.
// - columnsize=0: nothing ranks matches, so the per-row token counts would only take space.
// - The exact lookup by name or ARN (the search's first step) scanned the table too: two partial
//   indexes (most resources, access keys above all, have neither; bulk load defers both).
// principals (14,000 rows on that case, 5 ms to scan) and origins (a few hundred) stay plain scans.
export const version = 126;

/** The trigram index of the resources' three texts, read from `content` (migration 0149 gives it a view). */
export const resourcesSearchIndex = (content: string) => /* sql */ `CREATE VIRTUAL TABLE resources_search USING fts5(
  id, name, arn,
  content = '${content}',
  content_rowid = 'rowid',
  columnsize = 0,
  tokenize = 'trigram'
)`;

export const sql = /* sql */ `
${resourcesSearchIndex('resources')};
INSERT INTO resources_search (resources_search) VALUES ('rebuild');

CREATE INDEX resources_name ON resources(name) WHERE name IS NOT NULL;
CREATE INDEX resources_arn ON resources(arn) WHERE arn IS NOT NULL;

CREATE TRIGGER resources_search_insert AFTER INSERT ON resources
  WHEN NOT EXISTS (SELECT 1 FROM case_meta WHERE key = 'bulk_load_dropped_indexes') BEGIN
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (new.rowid, new.id, new.name, new.arn);
END;
CREATE TRIGGER resources_search_update AFTER UPDATE OF id, name, arn ON resources
  WHEN (old.id IS NOT new.id OR old.name IS NOT new.name OR old.arn IS NOT new.arn)
    AND NOT EXISTS (SELECT 1 FROM case_meta WHERE key = 'bulk_load_dropped_indexes') BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', old.rowid, old.id, old.name, old.arn);
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (new.rowid, new.id, new.name, new.arn);
END;
CREATE TRIGGER resources_search_delete AFTER DELETE ON resources
  WHEN NOT EXISTS (SELECT 1 FROM case_meta WHERE key = 'bulk_load_dropped_indexes') BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', old.rowid, old.id, old.name, old.arn);
END;
`;
