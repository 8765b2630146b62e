// A credential's roll-ups (actor_facet_rows: its addresses, user agents, regions, calls and errors,
// counted) keep each value as an id into `strings`, as origin_facet_rows and event_rows do, not as its
// text (issue 10: a credential's resolution stored compactly). The refresh grouped the events by those
// ids and then copied each text into a row and into the (facet, value) index: a user agent of 170
// characters twice per credential that used it. A million typical events over 90 days (138,646
// credentials, 932,133 roll-up rows) kept 113.5 MB of them, 0.08× the JSON, more than the event rows'
// unique index; as ids, about a third.
// - `actor_facets` names the value as before (text), through strings' primary key; a lookup by a
//   value's text is a strings_value seek, then actor_facets_value on its id. Its rows of credentials
//   used once are 0132's (SINGLE_EVENT_ARMS).
// - Every value came from strings (refresh-derived.ts addFacets); one the case does not hold (a case
//   written otherwise) is interned here rather than lost.
import { SINGLE_EVENT_ARMS } from './0132-origin-agent-addresses.ts';

export const version = 139;

export const sql = /* sql */ `
INSERT OR IGNORE INTO strings (value) SELECT DISTINCT value FROM actor_facet_rows;

CREATE TABLE actor_facet_id_rows (
  actor INTEGER NOT NULL,
  facet TEXT NOT NULL,             -- ip | ua | region | name | error
  value INTEGER NOT NULL,          -- strings.id (never the empty text)
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (actor, facet, value)
) STRICT, WITHOUT ROWID;

INSERT INTO actor_facet_id_rows (actor, facet, value, count, errors, first_seen, last_seen)
  SELECT f.actor, f.facet, s.id, f.count, f.errors, f.first_seen, f.last_seen
  FROM actor_facet_rows f JOIN strings s ON s.value = f.value;

DROP VIEW actor_facets;
DROP TABLE actor_facet_rows;
ALTER TABLE actor_facet_id_rows RENAME TO actor_facet_rows;
CREATE INDEX actor_facets_value ON actor_facet_rows(facet, value);

CREATE VIEW actor_facets AS
  SELECT actor_facet_rows.actor AS actor, actor_facet_rows.facet AS facet, s.value AS value, actor_facet_rows.count AS count,
    actor_facet_rows.errors AS errors, actor_facet_rows.first_seen AS first_seen, actor_facet_rows.last_seen AS last_seen
  FROM actor_facet_rows JOIN strings s ON s.id = actor_facet_rows.value
  ${SINGLE_EVENT_ARMS};
`;
