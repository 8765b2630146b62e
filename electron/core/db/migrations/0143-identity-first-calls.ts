// Each identity's first call of each event name, kept by the attribution refresh
// (analysis/attribution/identity-first-calls.ts) so the findings' routine baseline reads an identity's
// first uses as a few seeks instead of grouping every credential that shares the identity at each ask.
// The identity is an instance session's role, else the credential's origin: exactly one of `role` and
// `origin` is non-zero. A case of an earlier version gets its rows here from its credentials' roll-ups
// (their `name` rows, and the only event of a credential used once), as the refresh adds them.
export const version = 143;

export const sql = /* sql */ `
CREATE TABLE identity_first_calls (
  role INTEGER NOT NULL,           -- strings.id of the role's ARN for an instance's sessions, else 0
  origin INTEGER NOT NULL,         -- origins.id when role is 0, else 0
  name INTEGER NOT NULL,           -- strings.id of the eventName (never the empty text)
  first_seen INTEGER NOT NULL,     -- the identity's first call of it, ms since 1970
  PRIMARY KEY (role, origin, name)
) STRICT, WITHOUT ROWID;

INSERT INTO identity_first_calls (role, origin, name, first_seen)
  SELECT k.role, k.origin, c.name, min(c.first) FROM (
    SELECT actor, value AS name, first_seen AS first FROM actor_facet_rows WHERE facet = 'name'
    UNION ALL
    SELECT a.id, e.event_name, e.event_time FROM actor_rows a JOIN event_rows e ON e.id = a.only_event
    WHERE e.event_name IS NOT (SELECT id FROM strings WHERE value = '')) c
  JOIN (SELECT a.id,
      CASE WHEN o.kind = 'instance' AND a.session_issuer_arn IS NOT NULL THEN a.session_issuer_arn ELSE 0 END AS role,
      CASE WHEN o.kind = 'instance' AND a.session_issuer_arn IS NOT NULL THEN 0 ELSE a.origin END AS origin
    FROM actor_rows a LEFT JOIN origins o ON o.id = a.origin) k ON k.id = c.actor
  GROUP BY 1, 2, 3;
`;
