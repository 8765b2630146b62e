// The addresses an instance's SSM agent called from, rolled up per origin (origin_facet_rows, facet
// 'agent-ip') instead of per credential (actor_facet_rows). The off-instance check wants them per
// instance, and an instance's sessions all have the instance as their origin: read per credential, a
// million events with a new key for every call gave 370,000 instance sessions to read at every
// findings run (issue 10: findings updated on each ingest, not recomputed whole). The per-credential
// facet goes, from the table and from the actor_facets view (whose other arms are as migration 0099
// made them). attribution/origin-facets.ts keeps the new rows from here on.
export const version = 132;

// Calls only an instance's SSM agent makes (attribution/agent-calls.ts, frozen here as of this version).
const AGENT = `e.error_code IS NULL AND (e.event_name = (SELECT id FROM strings WHERE value = 'UpdateInstanceInformation')
    OR e.event_source IN (SELECT id FROM strings WHERE value IN ('ec2messages.amazonaws.com', 'ssmmessages.amazonaws.com')))`;

// One arm per facet of a single event (as in migration 0099).
const singleArm = (facet: string, column: string) => /* sql */ `
  SELECT a.id AS actor, '${facet}' AS facet, s.value AS value, 1 AS count, (e.error_code IS NOT NULL) AS errors,
    e.event_time AS first_seen, e.event_time AS last_seen
  FROM actors a JOIN event_rows e ON e.id = a.only_event JOIN strings s ON s.id = e.${column}
  WHERE s.value <> ''`;

/**
 * The view's rows of the credentials used once, one arm per facet, each after UNION ALL: migration 0139
 * puts them in the view it makes too. Frozen, like every migration: a case's view is checked against
 * this text.
 */
export const SINGLE_EVENT_ARMS = `UNION ALL ${singleArm('ip', 'source_ip')}
  UNION ALL ${singleArm('ua', 'user_agent')}
  UNION ALL ${singleArm('region', 'aws_region')}
  UNION ALL ${singleArm('name', 'event_name')}
  UNION ALL ${singleArm('error', 'error_code')}`;

export const sql = /* sql */ `
INSERT INTO origin_facet_rows (origin, facet, value, first_seen, count)
  SELECT ea.origin, 'agent-ip', e.source_ip, min(ea.event_time), count(*)
  FROM event_actors ea JOIN event_rows e ON e.id = ea.event
  WHERE ${AGENT} AND e.source_ip IS NOT NULL AND e.source_ip IS NOT (SELECT id FROM strings WHERE value = '')
  GROUP BY ea.origin, e.source_ip;
DELETE FROM actor_facet_rows WHERE facet = 'agent-ip';
DROP VIEW actor_facets;
CREATE VIEW actor_facets AS
  SELECT actor, facet, value, count, errors, first_seen, last_seen FROM actor_facet_rows
  ${SINGLE_EVENT_ARMS};
`;
