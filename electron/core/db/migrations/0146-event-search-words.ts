// The events' search index keeps which events hold a word, not where in the event's text it stands
// (FTS5's detail=none). The search asks for words, each on its own (analysis/timeline/timeline-query.ts,
// ftsQuery), never for a phrase or words near each other, and the positions were two thirds of the
// index: on the typical account's million events 52.2 MB, then 18.5 (the case 0.37× of its JSON, then
// 0.35×). The index is contentless, so its texts are written again from the events' own columns and
// resources, as the ingest writes them (ingest/normalize/search-text.ts: cut at 2,048 characters); on a
// million events that takes about 3.5 s.
export const version = 146;

/**
 * Each event's searched text, as `(rowid, text)` rows. Its resources are read up to 2,048: each adds
 * at least one character (its separator), so more would be cut anyway, and a crafted case's event of
 * millions of links does not make a text of hundreds of megabytes.
 */
export const EVENT_SEARCH_TEXTS = /* sql */ `
SELECT e.id, substr(concat_ws(' ', e.event_name, e.event_source, e.identity_arn, e.user_name, e.session_name, e.access_key_id,
    e.source_ip, e.user_agent, e.error_code,
    (SELECT group_concat(resource_id, ' ') FROM (SELECT r.resource_id FROM event_resources r WHERE r.event = e.id LIMIT 2048))), 1, 2048)
FROM events e`;

export const sql = /* sql */ `
DROP TABLE events_fts;
-- Free-text search over events; rowid = events.id. Contentless: the text lives in events already.
-- No per-row sizes (columnsize=0): nothing ranks matches, and events are never deleted, so the
-- docsize table would only take space. No positions (detail=none): a search asks for words alone.
CREATE VIRTUAL TABLE events_fts USING fts5(
  text,
  content = '',
  columnsize = 0,
  detail = none,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '-_.:/@'"
);
INSERT INTO events_fts (rowid, text) ${EVENT_SEARCH_TEXTS};
`;
