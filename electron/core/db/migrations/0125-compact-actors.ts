// A credential's resolution stored compactly (issue 10): a one-key-per-call account has an actor row per
// call, and each row carried its identity as text and its chain as some 700 bytes of JSON, nearly all
// of it the same for every key of one session or role. Now:
// - the identity columns are ids into `strings`, as in event_rows (the first event's own ids);
// - the chain is a shape shared by every key whose chain differs only in the key itself, its issuing
//   call's eventID and that call's time: chain_shapes holds the chain's JSON with those three replaced
//   by char(1), char(2) and char(3) (JSON.stringify escapes every control character, so a chain never
//   holds them raw); the actor keeps the event id and time (analysis/attribution/chain-shapes.ts).
// `actors` becomes a view giving every reader the columns it read before, the chain put back together
// with replace(). Existing rows move over (their strings are interned if missing, their shapes cut
// in SQL the way chain-shapes.ts cuts them).
export const version = 125;

/** The identity columns that become ids into strings. */
const INTERNED = ['access_key_id', 'identity_type', 'identity_arn', 'identity_account', 'principal_id', 'session_issuer_arn',
  'session_name', 'invoked_by', 'source_identity', 'on_behalf_of', 'first_ip'];

const idOf = (column: string) => `(SELECT id FROM strings WHERE value = a.${column})`;

export const sql = /* sql */ `
CREATE TABLE chain_shapes (
  id INTEGER PRIMARY KEY,
  shape TEXT NOT NULL              -- JSON ChainLink[] with the actor's key, issuing eventID and time as char(1), char(2), char(3)
) STRICT;
CREATE UNIQUE INDEX chain_shapes_shape ON chain_shapes(shape);

CREATE TABLE actor_rows (
  id INTEGER PRIMARY KEY,
  actor_key TEXT NOT NULL,         -- the access key id, or 'arn:'… / 'svc:'… / 'type:'… when there is none
  access_key_id INTEGER,           -- this and the identity columns below: strings.id, as in event_rows
  identity_type INTEGER,
  identity_arn INTEGER,
  identity_account INTEGER,
  principal_id INTEGER,
  session_issuer_arn INTEGER,
  session_name INTEGER,
  invoked_by INTEGER,
  source_identity INTEGER,
  on_behalf_of INTEGER,
  origin INTEGER NOT NULL,         -- origins.id
  proven INTEGER NOT NULL,         -- 1 when every link to the origin is proven by a key or the record
  chain_shape INTEGER NOT NULL,    -- chain_shapes.id
  chain_event TEXT,                -- what char(2) stands for in the shape (the issuing call's eventID), NULL when it has none
  chain_time TEXT,                 -- what char(3) stands for (that call's time, ISO)
  flags TEXT NOT NULL,             -- JSON ActorFlag[] that hold for the whole credential
  instance_id TEXT,                -- set for instance-profile sessions: the off-instance check needs it
  first_seen INTEGER,              -- first use and its source IP (strings.id): inferred session matches need them
  first_ip INTEGER,
  only_event INTEGER               -- the actor's event while it has exactly one (migration 0099)
) STRICT;

INSERT OR IGNORE INTO strings (value)
  ${INTERNED.map((c) => `SELECT ${c} FROM actors WHERE ${c} IS NOT NULL`).join('\n  UNION ')};

-- Each existing chain cut into its shape: the key, then the first link's issuing eventID, then its
-- time, each replaced only where it occurs (an empty value replaces nothing).
CREATE TEMP TABLE actor_shapes AS
WITH v AS (SELECT id, access_key_id AS k, json_extract(chain, '$[0].issuedBy.eventId') AS e,
    json_extract(chain, '$[0].issuedBy.eventTime') AS t, chain AS c0 FROM actors),
  v1 AS (SELECT id, e, t, CASE WHEN k <> '' THEN replace(c0, k, char(1)) ELSE c0 END AS c1 FROM v),
  v2 AS (SELECT id, t, CASE WHEN e <> '' AND instr(c1, e) > 0 THEN e END AS e,
    CASE WHEN e <> '' THEN replace(c1, e, char(2)) ELSE c1 END AS c2 FROM v1)
SELECT id, e, CASE WHEN t <> '' AND instr(c2, t) > 0 THEN t END AS t,
  CASE WHEN t <> '' THEN replace(c2, t, char(3)) ELSE c2 END AS shape FROM v2;
INSERT INTO chain_shapes (shape) SELECT shape FROM temp.actor_shapes GROUP BY shape ORDER BY min(id);

INSERT INTO actor_rows (id, actor_key, ${INTERNED.slice(0, 10).join(', ')}, origin, proven, chain_shape, chain_event, chain_time,
    flags, instance_id, first_seen, first_ip, only_event)
  SELECT a.id, a.actor_key, ${INTERNED.slice(0, 10).map(idOf).join(', ')}, a.origin, a.proven,
    (SELECT id FROM chain_shapes WHERE shape = s.shape), s.e, s.t, a.flags, a.instance_id, a.first_seen, ${idOf('first_ip')}, a.only_event
  FROM actors a JOIN temp.actor_shapes s ON s.id = a.id;
DROP TABLE temp.actor_shapes;
DROP TABLE actors;

-- The indexes the readers use, under their old names.
CREATE UNIQUE INDEX actors_key ON actor_rows(actor_key);
CREATE INDEX actors_arn ON actor_rows(identity_arn);
CREATE INDEX actors_session ON actor_rows(session_name);
CREATE INDEX actors_origin ON actor_rows(origin);
CREATE INDEX actors_issuer ON actor_rows(session_issuer_arn);
CREATE INDEX actors_instance ON actor_rows(instance_id) WHERE instance_id IS NOT NULL;

-- Every join is a LEFT JOIN on a primary key, so a query that reads none of a join's columns skips it.
CREATE VIEW actors AS
SELECT a.id AS id, a.actor_key AS actor_key,
  ${INTERNED.slice(0, 10).map((c) => `s_${c}.value AS ${c}`).join(',\n  ')},
  a.origin AS origin, a.proven AS proven,
  replace(replace(replace(c.shape, char(3), coalesce(a.chain_time, char(3))), char(2), coalesce(a.chain_event, char(2))),
    char(1), coalesce(s_access_key_id.value, char(1))) AS chain,
  a.flags AS flags, a.instance_id AS instance_id, a.first_seen AS first_seen, s_first_ip.value AS first_ip, a.only_event AS only_event
FROM actor_rows a
LEFT JOIN chain_shapes c ON c.id = a.chain_shape
${INTERNED.map((c) => `LEFT JOIN strings s_${c} ON s_${c}.id = a.${c}`).join('\n')};
`;
