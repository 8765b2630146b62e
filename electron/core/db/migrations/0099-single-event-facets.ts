// Activity roll-ups of a credential used once are read from its one event instead of being stored.
// A one-key-per-call account (a new key for every call) has hundreds of thousands of such credentials,
// and four to five stored roll-up rows each were a quarter of its attribution time (issue 10).
// The stored rows move to actor_facet_rows; actor_facets becomes a view that adds the rows of the
// actors whose only_event is set, so every reader asks the same question it asked before.
export const version = 99;

// One arm per facet of a single event: the same rows refresh-derived.ts would have stored for it
// (count 1, errors 1 when the call failed, empty values are no facet).
const singleArm = (facet: string, column: string, where = 'true') => /* sql */ `
  SELECT a.id AS actor, '${facet}' AS facet, s.value AS value, 1 AS count, (e.error_code IS NOT NULL) AS errors,
    e.event_time AS first_seen, e.event_time AS last_seen
  FROM actors a JOIN event_rows e ON e.id = a.only_event JOIN strings s ON s.id = e.${column}
  WHERE s.value <> '' AND ${where}`;

// Calls only an instance's SSM agent makes (as AGENT_SQL in refresh-derived.ts, on one event).
const AGENT = `e.error_code IS NULL AND (e.event_name = (SELECT id FROM strings WHERE value = 'UpdateInstanceInformation')
    OR e.event_source IN (SELECT id FROM strings WHERE value IN ('ec2messages.amazonaws.com', 'ssmmessages.amazonaws.com')))`;

export const sql = /* sql */ `
ALTER TABLE actor_facets RENAME TO actor_facet_rows;
-- The actor's event (events.id) while it has exactly one: its roll-ups come from that event.
ALTER TABLE actors ADD COLUMN only_event INTEGER;
CREATE VIEW actor_facets AS
  SELECT actor, facet, value, count, errors, first_seen, last_seen FROM actor_facet_rows
  UNION ALL ${singleArm('ip', 'source_ip')}
  UNION ALL ${singleArm('ua', 'user_agent')}
  UNION ALL ${singleArm('region', 'aws_region')}
  UNION ALL ${singleArm('name', 'event_name')}
  UNION ALL ${singleArm('error', 'error_code')}
  UNION ALL ${singleArm('agent-ip', 'source_ip', AGENT)};
`;
