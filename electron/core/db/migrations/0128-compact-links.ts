// Smaller links between events and resources, and smaller credential indexes (issue 10: a case at most
// 0.3x the CloudTrail JSON whatever the credential churn). With a new key for every call each AssumeRole
// links its event to three resources (the key, the role, the session ARN), so event_resources held
// 154,000 rows on 100,000 events, each with the resource's id (up to ~90 characters) written out twice,
// in the table and in its index by event, and its type and touch as text: 22 of the case's 141 MB.
// - event_resource_rows keeps ids into `strings` instead (as event_rows does): the resource's id, its
//   type and its touch. The key, role and session ARN are nearly always interned already (the events
//   that use them name them). `event_resources` becomes a view giving every reader the columns it read
//   before. A filter on resource_id is a strings_value seek followed by the primary key (a LEFT JOIN on
//   strings' primary key, skipped by a query that reads no resource_id, except an aggregate: SQLite
//   keeps a join an aggregate does not read). Type and touch are scalar subqueries, so they cost a
//   lookup only where a query reads them, aggregates included.
// - The primary key (resource, event) keeps one resource's events in event order; the index by event
//   keeps its old name (bulk load defers it, hostile-case.test.ts names it).
// - credentials_caller_role and credentials_caller_key_role are only ever read for one caller ARN or
//   key (`caller_arn = ?`, `caller_key = ?`: graph neighbourhood and path steps), and most issued keys
//   have neither (a service or a web identity asked): they become partial indexes of the keys that do.
export const version = 128;

export const sql = /* sql */ `
INSERT OR IGNORE INTO strings (value)
  SELECT resource_id FROM event_resources UNION SELECT resource_type FROM event_resources UNION SELECT touch FROM event_resources;

CREATE TABLE event_resource_rows (
  resource INTEGER NOT NULL,       -- strings.id of the resource's id (shared/resource-ids.ts)
  event INTEGER NOT NULL,          -- events.id
  resource_type INTEGER NOT NULL,  -- strings.id of its type
  touch INTEGER NOT NULL,          -- strings.id of: created | modified | deleted | read | used | attached | detached
  PRIMARY KEY (resource, event)
) STRICT, WITHOUT ROWID;

INSERT INTO event_resource_rows (resource, event, resource_type, touch)
  SELECT (SELECT id FROM strings WHERE value = r.resource_id), r.event,
    (SELECT id FROM strings WHERE value = r.resource_type), (SELECT id FROM strings WHERE value = r.touch)
  FROM event_resources r;
DROP TABLE event_resources;
CREATE INDEX event_resources_event ON event_resource_rows(event);

CREATE VIEW event_resources AS
SELECT s_resource.value AS resource_id, r.event AS event,
  (SELECT value FROM strings WHERE id = r.resource_type) AS resource_type,
  (SELECT value FROM strings WHERE id = r.touch) AS touch
FROM event_resource_rows r
LEFT JOIN strings s_resource ON s_resource.id = r.resource;

-- IF EXISTS: a bulk load killed before this version may have dropped them (its marker still names them).
DROP INDEX IF EXISTS credentials_caller_role;
DROP INDEX IF EXISTS credentials_caller_key_role;
CREATE INDEX credentials_caller_role ON credentials(caller_arn, role_arn, issued_at) WHERE caller_arn IS NOT NULL;
CREATE INDEX credentials_caller_key_role ON credentials(caller_key, role_arn, issued_at) WHERE caller_key IS NOT NULL;
`;
