// An actor keeps the issuing call of its key as that call's row, not as its eventID and time in text
// (issue 10). Every key of a churned account has an actor row, and those two texts (60 bytes of the
// row's 170, with a text index each) were copies of what the issuing call's event row holds: its
// eventID (unique in event_rows) and its time, which SQL renders as JavaScript's toISOString writes it
// for whole milliseconds from 1970 to 9999. So:
// - chain_issue is event_rows.id of the issuing call; the `actors` view reads the eventID and time
//   that char(2) and char(3) stand for in the shape (migration 0125) from that row;
// - chain_event and chain_time keep a value as text only where the row does not give it back: an
//   eventID holding a quote (actors_quoted_cuts must still see it), a time outside what SQL renders,
//   a value that is not the row's, or no row (analysis/attribution/chain-shapes.ts storedCuts);
// - the view shows what char(2) and char(3) stand for as chain_event and chain_time (NULL where the
//   shape has no such place), so readers and the actor report's mention search read one column.
// The two text indexes become partial ones over the few texts kept; an actor's issuing eventID or time
// is found through event_rows' own indexes, then actors_chain_issue (analysis/findings/actor-findings.ts).
export const version = 134;

/** The ten identity ids the view names, as migration 0125 defined them, then the first address. */
const INTERNED = ['access_key_id', 'identity_type', 'identity_arn', 'identity_account', 'principal_id', 'session_issuer_arn',
  'session_name', 'invoked_by', 'source_identity', 'on_behalf_of', 'first_ip'];

/** Largest time SQL renders as toISOString does (9999-12-31T23:59:59.999Z); chain-shapes.ts RENDERED_MS is this. */
const RENDERED_MS = 253402300799999;

/** A row's time as toISOString writes it, where SQL can (integer arithmetic: no rounding of a fraction). */
const renderedTime = (t: string) => `CASE WHEN ${t} BETWEEN 0 AND ${RENDERED_MS}
  THEN strftime('%Y-%m-%dT%H:%M:%S', ${t} / 1000, 'unixepoch') || printf('.%03dZ', ${t} % 1000) END`;

const CUT_EVENT = 'coalesce(a.chain_event, ie.event_id)';
const CUT_TIME = `coalesce(a.chain_time, ${renderedTime('ie.event_time')})`;

/**
 * The `actors` view over the text `shape` puts the key, eventID and time back into (the stored shape
 * here; migration 0147 puts the session's name back into it first).
 */
export function actorsView(shape: string): string {
  return `CREATE VIEW actors AS
SELECT a.id AS id, a.actor_key AS actor_key,
  ${INTERNED.slice(0, 10).map((c) => `s_${c}.value AS ${c}`).join(',\n  ')},
  a.origin AS origin, a.proven AS proven,
  replace(replace(replace(${shape}, char(3), coalesce(${CUT_TIME}, char(3))), char(2), coalesce(${CUT_EVENT}, char(2))),
    char(1), coalesce(s_access_key_id.value, char(1))) AS chain,
  a.flags AS flags, a.instance_id AS instance_id, a.first_seen AS first_seen, s_first_ip.value AS first_ip, a.only_event AS only_event,
  CASE WHEN instr(c.shape, char(2)) > 0 THEN ${CUT_EVENT} END AS chain_event,
  CASE WHEN instr(c.shape, char(3)) > 0 THEN ${CUT_TIME} END AS chain_time
FROM actor_rows a
LEFT JOIN chain_shapes c ON c.id = a.chain_shape
LEFT JOIN event_rows ie ON ie.id = a.chain_issue
${INTERNED.map((c) => `LEFT JOIN strings s_${c} ON s_${c}.id = a.${c}`).join('\n')}`;
}

export const sql = /* sql */ `
ALTER TABLE actor_rows ADD COLUMN chain_issue INTEGER;
-- Dropped before the rows change (kept up to date through the update, they cost half its time), made again after.
DROP INDEX actors_chain_event;
DROP INDEX actors_chain_time;

-- Each actor's issuing call found by its eventID; the texts the row gives back are dropped.
UPDATE actor_rows SET chain_issue = e.id,
  chain_event = CASE WHEN instr(actor_rows.chain_event, '"') > 0 THEN actor_rows.chain_event END,
  chain_time = CASE WHEN actor_rows.chain_time IS ${renderedTime('e.event_time')} THEN NULL ELSE actor_rows.chain_time END
FROM event_rows e WHERE e.event_id = actor_rows.chain_event;

CREATE INDEX actors_chain_issue ON actor_rows(chain_issue) WHERE chain_issue IS NOT NULL;
CREATE INDEX actors_chain_event ON actor_rows(chain_event) WHERE chain_event IS NOT NULL;
CREATE INDEX actors_chain_time ON actor_rows(chain_time) WHERE chain_time IS NOT NULL;

-- As migration 0125's, the cut-out eventID and time read through the issuing call's row. Every join is
-- a LEFT JOIN on a primary key, so a query that reads none of a join's columns skips it.
DROP VIEW actors;
${actorsView('c.shape')};
`;
