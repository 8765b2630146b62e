// A credential keeps its access key as an id into `strings`, as event_rows and actor_rows do, not as
// its text (issue 10). Migration 0128 left the key the text primary key of credential_rows, so each
// issued key was written three times (strings, credential_rows, its unique index) and the index was one
// of random text: with a new key for every call every call inserts into it, which is what caps a bulk
// load (a unique index on random text, about 50,000 inserts a second), and the refresh joined each new
// key's first event to its credential by text. The key's id is new with the key, so the unique index
// on it grows at its end; the refresh joins by the id the event row already holds.
// - The rowid is kept: refresh-derived and the stored findings watch max(rowid), and the id cannot be
//   the rowid (a key used before its issuing call was ingested has an older, smaller id).
// - `credentials` names the key as before (`access_key_id`, text), through a LEFT JOIN on strings' primary
//   key as its other columns; a lookup by key text is a strings_value seek, then this index.
// - A key the case never interned (a case written before keys were always interned) is interned here.
export const version = 137;

/** The credentials' columns that hold ids into strings besides the key (migration 0128). */
const INTERNED = ['kind', 'issued_arn', 'role_arn', 'session_name', 'source_identity', 'caller_arn', 'caller_type', 'caller_key',
  'caller_ip', 'subject', 'issuer'];
const OTHER_COLUMNS = ['kind', 'issued_event', 'issued_at', 'expires_at', ...INTERNED.slice(1)];

export const sql = /* sql */ `
INSERT OR IGNORE INTO strings (value) SELECT access_key_id FROM credential_rows;

CREATE TABLE credential_key_rows (
  access_key_id INTEGER NOT NULL UNIQUE, -- strings.id of the key, as in event_rows
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

INSERT INTO credential_key_rows (rowid, access_key_id, ${OTHER_COLUMNS.join(', ')})
  SELECT c.rowid, (SELECT id FROM strings WHERE value = c.access_key_id), ${OTHER_COLUMNS.map((col) => `c.${col}`).join(', ')}
  FROM credential_rows c ORDER BY c.rowid;

DROP VIEW credentials;
DROP TABLE credential_rows;
ALTER TABLE credential_key_rows RENAME TO credential_rows;

CREATE INDEX credentials_issued_arn ON credential_rows(issued_arn);
CREATE INDEX credentials_role_caller ON credential_rows(role_arn, caller_arn, issued_at);
CREATE INDEX credentials_caller_role ON credential_rows(caller_arn, role_arn, issued_at) WHERE caller_arn IS NOT NULL;
CREATE INDEX credentials_caller_key_role ON credential_rows(caller_key, role_arn, issued_at) WHERE caller_key IS NOT NULL;

CREATE VIEW credentials AS
SELECT s_access_key_id.value AS access_key_id, s_kind.value AS kind,
  c.issued_event AS issued_event, c.issued_at AS issued_at, c.expires_at AS expires_at,
  ${INTERNED.slice(1).map((col) => `s_${col}.value AS ${col}`).join(',\n  ')},
  c.rowid AS rowid
FROM credential_rows c
LEFT JOIN strings s_access_key_id ON s_access_key_id.id = c.access_key_id
${INTERNED.map((col) => `LEFT JOIN strings s_${col} ON s_${col}.id = c.${col}`).join('\n')};
`;
