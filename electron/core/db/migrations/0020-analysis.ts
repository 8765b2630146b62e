// Derived analysis tables, computed by electron/core/analysis/refresh-derived.ts after each ingest.
// Everything here can be rebuilt from the base tables, so a refresh may delete and recompute freely.
export const version = 20;

export const sql = /* sql */ `
-- Watermarks for incremental refresh: the last events.id / credentials rowid already processed.
CREATE TABLE analysis_state (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

-- Resolved identity behind each acting credential. One row per access key (a key belongs to one
-- identity), or per recorded identity when the record carries no key (services, some old records).
CREATE TABLE actors (
  id INTEGER PRIMARY KEY,
  actor_key TEXT NOT NULL,         -- the access key id, or 'arn:'… / 'svc:'… / 'type:'… when there is none
  access_key_id TEXT,
  identity_type TEXT,
  identity_arn TEXT,
  identity_account TEXT,
  principal_id TEXT,
  session_issuer_arn TEXT,
  session_name TEXT,
  invoked_by TEXT,
  source_identity TEXT,
  on_behalf_of TEXT,
  origin INTEGER NOT NULL,         -- origins.id
  proven INTEGER NOT NULL,         -- 1 when every link to the origin is proven by a key or the record
  chain TEXT NOT NULL,             -- JSON ChainLink[] (shared/engine-types.ts)
  flags TEXT NOT NULL,             -- JSON ActorFlag[] that hold for the whole credential
  instance_id TEXT,                -- set for instance-profile sessions: the off-instance check needs it
  first_seen INTEGER,              -- first use and its source IP: inferred session matches need them
  first_ip TEXT
) STRICT;
CREATE UNIQUE INDEX actors_key ON actors(actor_key);
CREATE INDEX actors_arn ON actors(identity_arn);
CREATE INDEX actors_session ON actors(session_name);
CREATE INDEX actors_origin ON actors(origin);
CREATE INDEX actors_issuer ON actors(session_issuer_arn);

-- The original identities: a person, root, an instance, a service.
CREATE TABLE origins (
  id INTEGER PRIMARY KEY,
  origin_key TEXT NOT NULL,        -- <kind>|<id>
  kind TEXT NOT NULL,              -- IdentityKind
  ident TEXT NOT NULL,
  label TEXT NOT NULL,
  account_id TEXT
) STRICT;
CREATE UNIQUE INDEX origins_key ON origins(origin_key);
CREATE INDEX origins_ident ON origins(ident);

-- Each event's actor and origin, with its time so "everything this person did" is one index range.
CREATE TABLE event_actors (
  event INTEGER PRIMARY KEY,       -- events.id
  actor INTEGER NOT NULL,
  origin INTEGER NOT NULL,
  event_time INTEGER NOT NULL
) STRICT;
CREATE INDEX event_actors_origin_time ON event_actors(origin, event_time);
CREATE INDEX event_actors_actor ON event_actors(actor);

-- Per-actor activity roll-ups (source IPs, user agents, regions, event names, errors), so an
-- actor report is a few index reads instead of a scan of the actor's events.
CREATE TABLE actor_facets (
  actor INTEGER NOT NULL,
  facet TEXT NOT NULL,             -- ip | ua | region | name | error
  value TEXT NOT NULL,
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (actor, facet, value)
) STRICT, WITHOUT ROWID;
-- "Who else used this address": an instance key used from an IP that also carried a user's key.
CREATE INDEX actor_facets_value ON actor_facets(facet, value);
`;
