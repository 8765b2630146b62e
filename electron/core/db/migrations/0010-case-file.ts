// The case file's base schema. Times are INTEGER milliseconds since the epoch (UTC) so range
// filters compare numbers, not strings. Resource ids follow shared/resource-ids.ts.
export const version = 10;

export const sql = /* sql */ `
CREATE TABLE case_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Every input: a file, a member of a zip, or one API collector of a live pull.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  kind TEXT NOT NULL,              -- cloudtrail | cloudtrail-digest | flowlog | config:<name> | unknown
  status TEXT NOT NULL,            -- reading | done | rejected | skipped
  reason TEXT,
  records INTEGER NOT NULL DEFAULT 0,           -- records newly stored
  duplicates INTEGER NOT NULL DEFAULT 0,        -- records already in the case
  rejected_records INTEGER NOT NULL DEFAULT 0,
  first_time INTEGER,
  last_time INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX sources_sha256 ON sources(sha256, status);

-- Per-record rejections inside an otherwise readable source.
CREATE TABLE rejected_records (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  position TEXT NOT NULL,          -- record index or line number
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX rejected_records_source ON rejected_records(source_id);

-- Raw CloudTrail records, JSON, compressed in blocks of a few dozen (per-record zlib is too slow
-- and compresses poorly; blocks shrink to about a fifth).
CREATE TABLE raw_blocks (
  id INTEGER PRIMARY KEY,
  codec TEXT NOT NULL,             -- deflate-raw+dict1 | deflate-raw | json
  data BLOB NOT NULL
) STRICT;

-- Repeated strings (ARNs, user agents, addresses, event names…) are stored once. A million events
-- name a few thousand distinct principals, agents and addresses: interning them makes rows and
-- indexes about a quarter of the size, which is most of both the case's size and the insert cost.
CREATE TABLE strings (
  id INTEGER PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX strings_value ON strings(value);

-- One row per CloudTrail event; the string columns hold strings.id. Read through the events view.
CREATE TABLE event_rows (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_source INTEGER NOT NULL,
  event_name INTEGER NOT NULL,
  aws_region INTEGER,
  account_id INTEGER,              -- recipientAccountId, else the identity's account
  identity_type INTEGER,           -- IAMUser | AssumedRole | Root | FederatedUser | AWSService | AWSAccount | IdentityCenterUser | Unknown | NULL (missing)
  identity_arn INTEGER,
  identity_account INTEGER,
  principal_id INTEGER,
  access_key_id INTEGER,
  user_name INTEGER,
  session_issuer_arn INTEGER,
  session_name INTEGER,
  invoked_by INTEGER,
  source_identity INTEGER,
  on_behalf_of INTEGER,
  mfa_authenticated INTEGER,       -- 1 | 0 | NULL
  source_ip INTEGER,
  user_agent INTEGER,
  error_code INTEGER,
  error_message INTEGER,
  read_only INTEGER,               -- 1 | 0 | NULL when the record does not say
  event_type INTEGER,
  shared_event_id TEXT,
  source_id INTEGER NOT NULL,
  raw_block INTEGER NOT NULL,
  raw_index INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX event_rows_event_id ON event_rows(event_id);
CREATE INDEX event_rows_time ON event_rows(event_time);
CREATE INDEX event_rows_name_time ON event_rows(event_name, event_time);
CREATE INDEX event_rows_arn_time ON event_rows(identity_arn, event_time);
CREATE INDEX event_rows_key_time ON event_rows(access_key_id, event_time);
CREATE INDEX event_rows_ip_time ON event_rows(source_ip, event_time);
CREATE INDEX event_rows_errors_time ON event_rows(event_time) WHERE error_code IS NOT NULL;

-- Events with their strings, as every query reads them. A filter on a string column is planned as a
-- lookup in strings_value and then a range of the matching event_rows index; the LEFT JOINs of
-- columns a query does not use are dropped by SQLite's planner (strings.id is unique).
CREATE VIEW events AS
SELECT
  e.id AS id,
  e.event_id AS event_id,
  e.event_time AS event_time,
  s_event_source.value AS event_source,
  s_event_name.value AS event_name,
  s_aws_region.value AS aws_region,
  s_account_id.value AS account_id,
  s_identity_type.value AS identity_type,
  s_identity_arn.value AS identity_arn,
  s_identity_account.value AS identity_account,
  s_principal_id.value AS principal_id,
  s_access_key_id.value AS access_key_id,
  s_user_name.value AS user_name,
  s_session_issuer_arn.value AS session_issuer_arn,
  s_session_name.value AS session_name,
  s_invoked_by.value AS invoked_by,
  s_source_identity.value AS source_identity,
  s_on_behalf_of.value AS on_behalf_of,
  s_source_ip.value AS source_ip,
  s_user_agent.value AS user_agent,
  s_error_code.value AS error_code,
  s_error_message.value AS error_message,
  s_event_type.value AS event_type,
  e.mfa_authenticated AS mfa_authenticated,
  e.read_only AS read_only,
  e.shared_event_id AS shared_event_id,
  e.source_id AS source_id,
  e.raw_block AS raw_block,
  e.raw_index AS raw_index
FROM event_rows e
LEFT JOIN strings s_event_source ON s_event_source.id = e.event_source
LEFT JOIN strings s_event_name ON s_event_name.id = e.event_name
LEFT JOIN strings s_aws_region ON s_aws_region.id = e.aws_region
LEFT JOIN strings s_account_id ON s_account_id.id = e.account_id
LEFT JOIN strings s_identity_type ON s_identity_type.id = e.identity_type
LEFT JOIN strings s_identity_arn ON s_identity_arn.id = e.identity_arn
LEFT JOIN strings s_identity_account ON s_identity_account.id = e.identity_account
LEFT JOIN strings s_principal_id ON s_principal_id.id = e.principal_id
LEFT JOIN strings s_access_key_id ON s_access_key_id.id = e.access_key_id
LEFT JOIN strings s_user_name ON s_user_name.id = e.user_name
LEFT JOIN strings s_session_issuer_arn ON s_session_issuer_arn.id = e.session_issuer_arn
LEFT JOIN strings s_session_name ON s_session_name.id = e.session_name
LEFT JOIN strings s_invoked_by ON s_invoked_by.id = e.invoked_by
LEFT JOIN strings s_source_identity ON s_source_identity.id = e.source_identity
LEFT JOIN strings s_on_behalf_of ON s_on_behalf_of.id = e.on_behalf_of
LEFT JOIN strings s_source_ip ON s_source_ip.id = e.source_ip
LEFT JOIN strings s_user_agent ON s_user_agent.id = e.user_agent
LEFT JOIN strings s_error_code ON s_error_code.id = e.error_code
LEFT JOIN strings s_error_message ON s_error_message.id = e.error_message
LEFT JOIN strings s_event_type ON s_event_type.id = e.event_type;

-- Which resources each event touched, and how.
CREATE TABLE event_resources (
  resource_id TEXT NOT NULL,
  event INTEGER NOT NULL,          -- events.id
  resource_type TEXT NOT NULL,
  touch TEXT NOT NULL,             -- created | modified | deleted | read | used | attached | detached
  PRIMARY KEY (resource_id, event)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_resources_event ON event_resources(event);

-- Principals seen acting (from userIdentity) or configured (from IAM snapshots).
CREATE TABLE principals (
  arn TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  account_id TEXT,
  name TEXT,
  first_seen INTEGER,
  last_seen INTEGER,
  event_count INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Credentials issued by STS (and keys created by IAM): which key went to which caller.
CREATE TABLE credentials (
  access_key_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,              -- AssumeRole | AssumeRoleWithSAML | AssumeRoleWithWebIdentity | GetSessionToken | GetFederationToken | CreateAccessKey
  issued_event INTEGER,            -- events.id of the issuing call
  issued_at INTEGER,
  expires_at INTEGER,
  issued_arn TEXT,                 -- the identity the key acts as (assumed-role or federated-user ARN, or the user)
  role_arn TEXT,
  session_name TEXT,
  source_identity TEXT,
  caller_arn TEXT,                 -- who asked for it
  caller_type TEXT,
  caller_key TEXT,                 -- the access key the caller used
  caller_ip TEXT,
  subject TEXT                     -- SAML / web identity subject, when the caller is external
) STRICT;
CREATE INDEX credentials_issued_arn ON credentials(issued_arn);

CREATE TABLE resources (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  account_id TEXT,
  region TEXT,
  name TEXT,
  arn TEXT,
  first_seen INTEGER,
  last_seen INTEGER
) STRICT;
CREATE INDEX resources_type ON resources(type);

-- Versions of a resource's configuration: observed in a snapshot, or reconstructed from an event.
CREATE TABLE resource_versions (
  id INTEGER PRIMARY KEY,
  resource_id TEXT NOT NULL,
  origin TEXT NOT NULL,            -- snapshot | event
  observed_at INTEGER NOT NULL,    -- snapshot time, or the event's time
  valid_to INTEGER,
  source_id INTEGER,
  event INTEGER,
  config_hash TEXT NOT NULL,
  config TEXT NOT NULL             -- JSON
) STRICT;
CREATE UNIQUE INDEX resource_versions_content ON resource_versions(resource_id, origin, config_hash);
CREATE INDEX resource_versions_time ON resource_versions(resource_id, observed_at);

-- Relations between principals and resources, valid over a time range (NULL = open-ended).
CREATE TABLE edges (
  id INTEGER PRIMARY KEY,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  kind TEXT NOT NULL,
  origin TEXT NOT NULL,            -- snapshot | event
  valid_from INTEGER,
  valid_to INTEGER,
  source_id INTEGER,
  event INTEGER
) STRICT;
-- Snapshot edges are one row per relation; event edges one per event that made them.
CREATE UNIQUE INDEX edges_identity ON edges(src, dst, kind, origin, ifnull(event, -1));
CREATE INDEX edges_dst ON edges(dst);

-- VPC flow log records, v2 to v5 fields (absent fields NULL).
CREATE TABLE flows (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL,
  content_hash INTEGER NOT NULL,   -- 64-bit hash of the record's fields: deduplicates across files
  version INTEGER,
  account_id TEXT,
  interface_id TEXT,
  srcaddr TEXT,
  dstaddr TEXT,
  srcport INTEGER,
  dstport INTEGER,
  protocol INTEGER,
  packets INTEGER,
  bytes INTEGER,
  start_time INTEGER,
  end_time INTEGER,
  action TEXT,
  log_status TEXT,
  vpc_id TEXT,
  subnet_id TEXT,
  instance_id TEXT,
  tcp_flags INTEGER,
  traffic_type TEXT,
  pkt_srcaddr TEXT,
  pkt_dstaddr TEXT,
  region TEXT,
  az_id TEXT,
  sublocation_type TEXT,
  sublocation_id TEXT,
  pkt_src_aws_service TEXT,
  pkt_dst_aws_service TEXT,
  flow_direction TEXT,
  traffic_path INTEGER
) STRICT;
CREATE UNIQUE INDEX flows_content ON flows(content_hash);
CREATE INDEX flows_interface_time ON flows(interface_id, start_time);
CREATE INDEX flows_src_time ON flows(srcaddr, start_time);
CREATE INDEX flows_dst_port ON flows(dstaddr, dstport, start_time);

-- Resumable pulls: the next token or last key of each collector.
CREATE TABLE checkpoints (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- Free-text search over events; rowid = events.id. Contentless: the text lives in events already.
-- No per-row sizes (columnsize=0): nothing ranks matches, and events are never deleted, so the
-- docsize table would only take space.
CREATE VIRTUAL TABLE events_fts USING fts5(
  text,
  content = '',
  columnsize = 0,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '-_.:/@'"
);
`;
