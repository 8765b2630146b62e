// `actor`: from a key, an ARN or a session name to the chain behind it and everything it did.
// Activity comes from the per-actor roll-ups kept by refreshDerived, so the answer is a few index
// reads however busy the actor was.
import type { ActorFlag, ActorReport, CountedValue, ResolvedActor, UserAgentClass } from '../../../../shared/engine-types.ts';
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { offInstanceFlags } from './instance-addresses.ts';
import { classifyUserAgent } from './user-agent.ts';
import { storeUserIdsNamed } from './store-user-names.ts';
import { actorFindings, findingFlag, type ActorFindingsDepth } from '../findings/actor-findings.ts';
import { credentialFacets, type FacetRow, type FacetTotal } from './credential-facets.ts';
import { REPORT_LIST_ITEMS } from '../../../../shared/api/bounds.ts';
import { storedChain, storedFlags } from './stored-chain.ts';
import { originLabelSql } from './origin-label.ts';

export type ActorReportOptions = {
  /** 'fast' (default): findings from roll-ups and index ranges; 'all' adds denied-call bursts and sweeps (reads all the actor's events). */
  findings?: ActorFindingsDepth;
};

/** A matched credential, without its chain: an origin matches tens of thousands, and only one chain is shown (toResolvedActor reads it). */
export type ActorRow = { id: number; arn: string | null; accessKey: string | null; flags: string; originKind: string;
  originIdent: string; originLabel: string; originAccount: string | null; proven: number };

const ACTOR_SELECT = `SELECT a.id, a.identity_arn AS arn, a.access_key_id AS accessKey, a.flags, o.kind AS originKind,
  o.ident AS originIdent, ${originLabelSql('o')} AS originLabel, o.account_id AS originAccount, a.proven FROM actors a JOIN origins o ON o.id = a.origin`;

/**
 * Of these credentials, those whose chain is one link (the origin's own credential), through their
 * shapes: a chain has as many links as its shape. Each distinct shape is measured once.
 */
const ONE_LINK = `SELECT a.id FROM actor_rows a WHERE a.id IN (SELECT value FROM json_each(@ids)) AND a.chain_shape IN (
  SELECT c.id FROM chain_shapes c WHERE c.id IN (SELECT DISTINCT chain_shape FROM actor_rows WHERE id IN (SELECT value FROM json_each(@ids)))
    AND json_valid(c.shape) AND json_array_length(c.shape) = 1)`;

/**
 * The source addresses of these credentials that are an instance's sessions, as (instance, address): the
 * two 'ip' arms of the actor_facets view (a credential's roll-ups, else its only event's address), read
 * directly for all of them at once, in the order of the ids given and each credential's addresses in the
 * order of their text. CROSS JOIN keeps the credentials first: the planner otherwise read every 'ip'
 * roll-up of the case. A query per credential read them one by one.
 */
export const SESSION_IPS = `SELECT j.key AS k, a.instance_id, s.value FROM json_each(@ids) j CROSS JOIN actor_rows a ON a.id = j.value
    CROSS JOIN actor_facet_rows f ON f.actor = a.id AND f.facet = 'ip' JOIN strings s ON s.id = f.value
  WHERE a.instance_id IS NOT NULL
  UNION ALL SELECT j.key, a.instance_id, s.value FROM json_each(@ids) j CROSS JOIN actor_rows a ON a.id = j.value
    JOIN event_rows e ON e.id = a.only_event JOIN strings s ON s.id = e.source_ip
  WHERE a.instance_id IS NOT NULL AND s.value <> ''
  ORDER BY 1, 3`;

/**
 * An Identity Center user: the whole onBehalfOf value ("<store>/user/<id>") or the user id alone. Read
 * by interned id over actor_rows (the few values credentials carry, then the credentials carrying
 * them), as the identifiers below: through the actors view every credential joined its three texts, so
 * a query naming nobody cost 1.2 s on a million one-key-per-call events before it said so.
 */
const ON_BEHALF_OF = `r.on_behalf_of IN (SELECT s.id FROM strings s WHERE s.id IN (SELECT on_behalf_of FROM actor_rows WHERE on_behalf_of IS NOT NULL)
  AND (s.value = @q OR (length(@q) > 0 AND s.value LIKE '%/user/%' AND substr(s.value, -length(@q) - 6) = '/user/' || @q)))`;
/** Identifiers the record carries beside the ARN: principal id, sourceIdentity, Identity Center user, each an index (migration 0135). */
export const BY_IDENTIFIER = `${ACTOR_SELECT} WHERE a.id IN (SELECT r.id FROM actor_rows r
  WHERE r.principal_id = (SELECT id FROM strings WHERE value = @q) OR r.source_identity = (SELECT id FROM strings WHERE value = @q) OR ${ON_BEHALF_OF})
  ORDER BY a.first_seen, a.id`;
const BY_ON_BEHALF_OF = `${ACTOR_SELECT} WHERE a.id IN (SELECT r.id FROM actor_rows r WHERE ${ON_BEHALF_OF}) ORDER BY a.first_seen, a.id`;

/** The actors a query names, and how it named them. */
export function findActors(db: CaseDb, query: string): { rows: ActorRow[]; matchedBy: ActorReport['matchedBy'] } | null {
  const q = query.trim();
  // actor_key is the access key itself whenever the record had one (indexed, unlike access_key_id).
  const byKey = stmt(db, `${ACTOR_SELECT} WHERE a.actor_key = ?`).all(q) as ActorRow[];
  if (byKey.length) return { rows: byKey, matchedBy: 'access-key' };
  const asOrigin = stmt(db, `${ACTOR_SELECT} WHERE a.origin IN (SELECT id FROM origins WHERE ident = ? OR ident = ?) ORDER BY a.first_seen`)
    .all(q, iamArnWithoutPath(q)) as ActorRow[];
  if (asOrigin.length) return { rows: asOrigin, matchedBy: 'origin' };
  const byArn = stmt(db, `${ACTOR_SELECT} WHERE a.identity_arn = ? ORDER BY a.first_seen`).all(q) as ActorRow[];
  if (byArn.length) return { rows: byArn, matchedBy: 'arn' };
  const byRole = stmt(db, `${ACTOR_SELECT} WHERE a.session_issuer_arn = ? ORDER BY a.first_seen`).all(q) as ActorRow[];
  if (byRole.length) return { rows: byRole, matchedBy: 'arn' };
  const bySession = stmt(db, `${ACTOR_SELECT} WHERE a.session_name = ? ORDER BY a.first_seen`).all(q) as ActorRow[];
  if (bySession.length) return { rows: bySession, matchedBy: 'session-name' };
  // Identifiers the record carries beside the ARN: principal id (AROA…:session, AIDA…), the Identity
  // Center user (whole "<store>/user/<id>" or the id alone), the sourceIdentity set on the chain.
  const byIdentifier = stmt(db, BY_IDENTIFIER).all({ q }) as ActorRow[];
  if (byIdentifier.length) return { rows: byIdentifier, matchedBy: 'identifier' };
  // A user name that records pair with an Identity Center user id: everything done under that id.
  const byStoreName = storeUserIdsNamed(db, q).flatMap((id) => stmt(db, BY_ON_BEHALF_OF).all({ q: id }) as ActorRow[]);
  if (byStoreName.length) return { rows: byStoreName, matchedBy: 'identity-store-name' };
  return null;
}

export function toResolvedActor(db: CaseDb, row: ActorRow): ResolvedActor {
  return {
    arn: row.arn,
    origin: { kind: row.originKind as ResolvedActor['origin']['kind'], id: row.originIdent, label: row.originLabel, accountId: row.originAccount, proven: row.proven === 1 },
    // `+?`: the actors view is a join, prepared again at each run when compared with a bare value (prepared.ts).
    ...storedChain(stmt(db, 'SELECT chain FROM actors WHERE id = +?').pluck().get(row.id), row.flags),
  };
}

/** The resolved actor of one event (events.id), or null before refreshDerived has seen it. */
export function actorOfEvent(db: CaseDb, eventRowId: number, cache?: Map<number, ResolvedActor>): ResolvedActor | null {
  const row = stmt(db, `${ACTOR_SELECT} WHERE a.id = (SELECT actor FROM event_actors WHERE event = ?)`).get(eventRowId) as ActorRow | undefined;
  if (!row) return null;
  const hit = cache?.get(row.id);
  if (hit) return hit;
  const actor = toResolvedActor(db, row);
  cache?.set(row.id, actor);
  return actor;
}

export function actorReport(db: CaseDb, query: string, options: ActorReportOptions = {}): ActorReport | null {
  const found = findActors(db, query);
  if (!found) return null;
  const ids = found.rows.map((r) => r.id);
  // The origin's own credential (chain of one) describes an origin query best; otherwise the first match.
  const oneLink = found.matchedBy === 'origin' ? new Set(stmt(db, ONE_LINK).pluck().all({ ids: JSON.stringify(ids) }) as number[]) : null;
  const primary = (oneLink && found.rows.find((r) => oneLink.has(r.id))) || found.rows[0];
  const actor = toResolvedActor(db, primary);

  const facets = credentialFacets(db, ids, REPORT_LIST_ITEMS);
  const pick = (facet: string) => facets.rows.filter((f) => f.facet === facet);
  const total = (facet: string): FacetTotal => facets.totals.get(facet) ?? { values: 0, calls: 0, first: null, last: null };
  const counted = (f: FacetRow): CountedValue => ({ value: f.value, count: f.count, firstSeen: iso(f.first)!, lastSeen: iso(f.last)! });
  const names = total('name');

  const flags: ActorFlag[] = [];
  const seenFlag = new Set<string>();
  const addFlag = (f: ActorFlag) => {
    const k = JSON.stringify(f);
    if (seenFlag.has(k)) return;
    seenFlag.add(k);
    flags.push(f);
  };
  for (const r of found.rows) for (const f of storedFlags(r.flags)) addFlag(f);
  // An instance origin's report holds thousands of sessions of one instance, from a few addresses: each
  // address is checked once per instance (offInstanceFlags checks each on its own), in the order met.
  const offInstance = new Set<string>();
  for (const [, instanceId, ip] of stmt(db, SESSION_IPS).raw().all({ ids: JSON.stringify(ids) }) as [number, string, string][]) {
    const at = `${instanceId}\u0000${ip}`;
    if (offInstance.has(at)) continue;
    offInstance.add(at);
    for (const f of offInstanceFlags(db, instanceId, [ip])) addFlag(f);
  }
  actor.flags = flags.filter((f) => f.kind !== 'chain-broken' || found.rows.length === 1 || storedFlags(primary.flags).some((p) => JSON.stringify(p) === JSON.stringify(f)));

  // What findings() says about these credentials, so the report warns where the findings list does.
  const findingsOfActor = actorFindings(db, ids, options.findings ?? 'fast');
  for (const f of findingsOfActor) if (f.severity !== 'low') addFlag(findingFlag(f));

  // Keys and sessions in the order the credentials were first used.
  const keys = [...new Set(found.rows.map((r) => r.accessKey).filter((k): k is string => k !== null))];
  const sessions = [...new Set(found.rows.map((r) => r.arn).filter((a): a is string => !!a && a.includes(':assumed-role/')))];
  const listed = <T>(list: T[]) => list.slice(0, REPORT_LIST_ITEMS);

  return {
    query,
    matchedBy: found.matchedBy,
    actor,
    accessKeys: listed(keys),
    sessions: listed(sessions),
    eventCount: names.calls,
    firstSeen: iso(names.first),
    lastSeen: iso(names.last),
    sourceIps: pick('ip').map(counted),
    userAgents: pick('ua').map((f) => ({ ...counted(f), class: classifyUserAgent(f.value) as UserAgentClass })),
    regions: pick('region').map(counted),
    eventNames: pick('name').map((f) => ({ ...counted(f), errors: f.errors })),
    errors: pick('error').map(counted),
    totals: { accessKeys: keys.length, sessions: sessions.length, sourceIps: total('ip').values, userAgents: total('ua').values,
      regions: total('region').values, eventNames: names.values, errors: total('error').values },
    flags,
    findings: findingsOfActor,
  };
}
