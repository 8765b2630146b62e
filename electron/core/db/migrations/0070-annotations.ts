// The investigator's own marks in the case: stars, tags and comments on events, graph nodes,
// findings and flows, each with who wrote it and when. They are keyed by what the data itself names
// (an event's eventID, a node's resource id, a finding's id, a flow conversation's key), never by a
// row id, so they survive re-ingest and apply to the same record whichever input brought it.
export const version = 70;

export const sql = /* sql */ `
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('event', 'node', 'finding', 'flow')),
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('star', 'tag', 'note')),
  value TEXT NOT NULL,              -- the tag, the comment's text; '' for a star
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL       -- ms since the epoch
) STRICT;
CREATE INDEX annotations_by_target ON annotations (target_kind, target_id);
-- A star or a tag is set once per target; comments may repeat.
CREATE UNIQUE INDEX annotations_one_mark ON annotations (target_kind, target_id, kind, value) WHERE kind <> 'note';
`;
