// A chain's shape has its session name cut out too, as char(4) (analysis/attribution/chain-shapes.ts),
// where the name is one run's rather than one holder's: Terraform, CodeBuild, ECS tasks and the SDKs'
// default names give every session a name of its own, so every such key's chain had a shape row of its
// own (about 1.4 KB of shape and unique index a key). The `actors` view puts back the actor's own
// session name first, then the time, eventID and key as migration 0134's view did: the cuts undone in
// the reverse order they were made. Shapes stored before hold no char(4), and read as before.
export const version = 147;

/** The ten identity ids the view names, as migration 0125 defined them, then the first address. */
const INTERNED = ['access_key_id', 'identity_type', 'identity_arn', 'identity_account', 'principal_id', 'session_issuer_arn',
  'session_name', 'invoked_by', 'source_identity', 'on_behalf_of', 'first_ip'];

/** Largest time SQL renders as toISOString does (9999-12-31T23:59:59.999Z), as migration 0134. */
const RENDERED_MS = 253402300799999;

const renderedTime = (t: string) => `CASE WHEN ${t} BETWEEN 0 AND ${RENDERED_MS}
  THEN strftime('%Y-%m-%dT%H:%M:%S', ${t} / 1000, 'unixepoch') || printf('.%03dZ', ${t} % 1000) END`;

const CUT_EVENT = 'coalesce(a.chain_event, ie.event_id)';
const CUT_TIME = `coalesce(a.chain_time, ${renderedTime('ie.event_time')})`;
const NAMED_SHAPE = 'replace(c.shape, char(4), coalesce(s_session_name.value, char(4)))';

export const sql = /* sql */ `
DROP VIEW actors;
CREATE VIEW actors AS
SELECT a.id AS id, a.actor_key AS actor_key,
  ${INTERNED.slice(0, 10).map((c) => `s_${c}.value AS ${c}`).join(',\n  ')},
  a.origin AS origin, a.proven AS proven,
  replace(replace(replace(${NAMED_SHAPE}, char(3), coalesce(${CUT_TIME}, char(3))), char(2), coalesce(${CUT_EVENT}, char(2))),
    char(1), coalesce(s_access_key_id.value, char(1))) AS chain,
  a.flags AS flags, a.instance_id AS instance_id, a.first_seen AS first_seen, s_first_ip.value AS first_ip, a.only_event AS only_event,
  CASE WHEN instr(c.shape, char(2)) > 0 THEN ${CUT_EVENT} END AS chain_event,
  CASE WHEN instr(c.shape, char(3)) > 0 THEN ${CUT_TIME} END AS chain_time
FROM actor_rows a
LEFT JOIN chain_shapes c ON c.id = a.chain_shape
LEFT JOIN event_rows ie ON ie.id = a.chain_issue
${INTERNED.map((c) => `LEFT JOIN strings s_${c} ON s_${c}.id = a.${c}`).join('\n')};
`;
