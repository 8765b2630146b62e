// Smaller links between events and resources, and smaller credentials (issue 10: a case at most
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
// - credentials held a row of text per issued key (session ARN, role ARN, caller...: 266 bytes a key)
//   and indexes of that text (another 15 MB on those 100,000 events). credential_rows keeps ids into
//   `strings` instead, but for the key itself: still its text primary key, so every lookup by key (the
//   attribution's batches, the graph, search) stays one seek of it. The rowid is kept (refresh-derived
//   and the stored findings watch max(rowid)); `credentials` becomes a view with every column as
//   before, rowid included. The indexes keep their names and columns, now ids: a lookup by session,
//   role or caller is a strings_value seek, then the index. An aggregate keeps every join of a view
//   (SQLite), so the grouped readers (graph overview, neighbourhood, path steps) read credential_rows.
// - credentials_caller_role and credentials_caller_key_role are only ever read for one caller ARN or
//   key (`caller_arn = ?`, `caller_key = ?`: graph neighbourhood and path steps), and most issued keys
//   have neither (a service or a web identity asked): they become partial indexes of the keys that do.
export const version = 128;

/** The credentials' text columns that become ids into strings (all but the key). */
const INTERNED = ['kind', 'issued_arn', 'role_arn', 'session_name', 'source_identity', 'caller_arn', 'caller_type', 'caller_key',
  'caller_ip', 'subject', 'issuer'];

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

INSERT OR IGNORE INTO strings (value)
  ${INTERNED.map((c) => `SELECT ${c} FROM credentials WHERE ${c} IS NOT NULL`).join('\n  UNION ')};

CREATE TABLE credential_rows (
  access_key_id TEXT PRIMARY KEY,
  kind INTEGER NOT NULL,           -- this and every column below named after a text: strings.id
                                   -- (AssumeRole | AssumeRoleWithSAML | AssumeRoleWithWebIdentity | GetSessionToken | GetFederationToken | CreateAccessKey)
  issued_event INTEGER,            -- events.id of the issuing call
  issued_at INTEGER,
  expires_at INTEGER,
  issued_arn INTEGER,              -- the identity the key acts as (assumed-role or federated-user ARN, or the user)
  role_arn INTEGER,
  session_name INTEGER,
  source_identity INTEGER,
  caller_arn INTEGER,              -- who asked for it
  caller_type INTEGER,
  caller_key INTEGER,              -- the access key the caller used
  caller_ip INTEGER,
  subject INTEGER,                 -- SAML / web identity subject, when the caller is external
  issuer INTEGER                   -- who vouched for that subject (migration 0105)
) STRICT;

INSERT INTO credential_rows (rowid, access_key_id, issued_event, issued_at, expires_at, ${INTERNED.join(', ')})
  SELECT c.rowid, c.access_key_id, c.issued_event, c.issued_at, c.expires_at, ${INTERNED.map((col) => `(SELECT id FROM strings WHERE value = c.${col})`).join(', ')}
  FROM credentials c ORDER BY c.rowid;
-- Its indexes go with it (a bulk load killed before this version may have dropped some: they are made here).
DROP TABLE credentials;

CREATE INDEX credentials_issued_arn ON credential_rows(issued_arn);
CREATE INDEX credentials_role_caller ON credential_rows(role_arn, caller_arn, issued_at);
CREATE INDEX credentials_caller_role ON credential_rows(caller_arn, role_arn, issued_at) WHERE caller_arn IS NOT NULL;
CREATE INDEX credentials_caller_key_role ON credential_rows(caller_key, role_arn, issued_at) WHERE caller_key IS NOT NULL;

CREATE VIEW credentials AS
SELECT c.access_key_id AS access_key_id, ${INTERNED.slice(0, 1).map((col) => `s_${col}.value AS ${col}`).join(', ')},
  c.issued_event AS issued_event, c.issued_at AS issued_at, c.expires_at AS expires_at,
  ${INTERNED.slice(1).map((col) => `s_${col}.value AS ${col}`).join(',\n  ')},
  c.rowid AS rowid
FROM credential_rows c
${INTERNED.map((col) => `LEFT JOIN strings s_${col} ON s_${col}.id = c.${col}`).join('\n')};
`;
