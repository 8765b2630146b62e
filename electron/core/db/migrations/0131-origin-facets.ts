// The source addresses, regions and user agents of every origin (the person, instance or role behind
// its keys), each with its first use and count, kept in the case instead of worked out from every
// event at each findings run (findings/new-values.ts): with a new key for every call that was a pass
// over all the events, 2–2.5 s of CPU on a million, repeated after every later ingest however small
// (issue 10: findings updated on each ingest, not recomputed whole). refresh-derived.ts adds each
// ingest's events and recounts the origins a re-walk moved events between (attribution/origin-facets.ts).
// `value` is the strings.id of the value: the same ids as event_rows, so a row is its events grouped.
export const version = 131;

export const sql = /* sql */ `
CREATE TABLE origin_facet_rows (
  origin INTEGER NOT NULL,         -- origins.id
  facet TEXT NOT NULL,             -- ip | region | ua
  value INTEGER NOT NULL,          -- strings.id (never the empty text)
  first_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (origin, facet, value)
) STRICT, WITHOUT ROWID;

CREATE TEMP TABLE origin_groups AS
  SELECT ea.origin, e.source_ip, e.aws_region, e.user_agent, min(ea.event_time) AS first, count(*) AS n
  FROM event_actors ea JOIN event_rows e ON e.id = ea.event GROUP BY 1, 2, 3, 4;
INSERT INTO origin_facet_rows (origin, facet, value, first_seen, count)
  SELECT origin, 'ip', source_ip, min(first), sum(n) FROM temp.origin_groups
  WHERE source_ip IS NOT NULL AND source_ip IS NOT (SELECT id FROM strings WHERE value = '') GROUP BY origin, source_ip;
INSERT INTO origin_facet_rows (origin, facet, value, first_seen, count)
  SELECT origin, 'region', aws_region, min(first), sum(n) FROM temp.origin_groups
  WHERE aws_region IS NOT NULL AND aws_region IS NOT (SELECT id FROM strings WHERE value = '') GROUP BY origin, aws_region;
INSERT INTO origin_facet_rows (origin, facet, value, first_seen, count)
  SELECT origin, 'ua', user_agent, min(first), sum(n) FROM temp.origin_groups
  WHERE user_agent IS NOT NULL AND user_agent IS NOT (SELECT id FROM strings WHERE value = '') GROUP BY origin, user_agent;
DROP TABLE temp.origin_groups;
`;
