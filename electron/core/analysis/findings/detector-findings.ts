// Findings of AWS's detectors (GuardDuty, Security Hub, Security Lake), imported as evidence, shown
// as findings of the case beside the built-in ones. Each is tied to the case's events through what it
// names: the events of the keys, principals and instances it names (through the resolved actors) and
// of the addresses it names, within its own window, narrowed to the API it names when it names one.
import type { DetectorName, Finding, FindingCategory, FindingSeverity, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { findActors, toResolvedActor } from '../attribution/actor-report.ts';
import { iso, stmt } from '../prepared.ts';
import { eventFactsMany, findingOf, MAX_EVENT_IDS } from './finding-events.ts';
import { EVENT_ORDER } from '../event-order.ts';

/** Detector findings shown at most; a case fed a whole Security Hub export says how many were left out. */
export const MAX_DETECTOR_FINDINGS = 10_000;
/** Slack around a finding's window: detectors aggregate activity and report its bounds to the minute. */
const WINDOW_SLACK_MS = 15 * 60 * 1000;

type Row = {
  id: number; detector: DetectorName; uid: string; product: string | null; type: string | null; title: string; description: string | null;
  severity: FindingSeverity; detectorSeverity: string | null; first: number; last: number; accountId: string | null; region: string | null;
};

export function detectorFindingCount(db: CaseDb): number {
  return stmt(db, 'SELECT count(*) FROM detector_findings').pluck().get() as number;
}

const COLUMNS = `id, detector, finding_uid AS uid, product, type, title, description, severity, detector_severity AS detectorSeverity,
    first_time AS first, last_time AS last, account_id AS accountId, region`;

/**
 * The case's detector findings, or (for an actor report, `scope`) those that name one of the scope's
 * credentials: its access keys, or the ARNs of its identities and their roles.
 */
export function detectorFindings(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: { actorIds: number[] }): Finding[] {
  const rows = scope
    ? (stmt(db, `SELECT ${COLUMNS} FROM detector_findings WHERE id IN (
        SELECT l.finding FROM detector_finding_links l, actors a WHERE a.id IN (SELECT value FROM json_each(?))
          AND ((l.kind = 'access-key' AND l.value = a.access_key_id) OR (l.kind = 'principal' AND l.value IN (a.identity_arn, a.session_issuer_arn))))
        ORDER BY first_time, id LIMIT ${MAX_DETECTOR_FINDINGS}`).all(JSON.stringify(scope.actorIds)) as Row[])
    : (stmt(db, `SELECT ${COLUMNS} FROM detector_findings ORDER BY first_time, id LIMIT ${MAX_DETECTOR_FINDINGS}`).all() as Row[]);
  const linksOf = stmt(db, 'SELECT kind, value FROM detector_finding_links WHERE finding = ? ORDER BY kind, value');
  return rows.map((r) => toFinding(db, actors, r, linksOf.all(r.id) as { kind: string; value: string }[]));
}

function toFinding(db: CaseDb, actors: Map<number, ResolvedActor>, r: Row, names: { kind: string; value: string }[]): Finding {
  const of = (kind: string) => names.filter((n) => n.kind === kind).map((n) => n.value);
  const keys = of('access-key');
  const principals = of('principal');
  const principalIds = of('principal-id');
  const instances = of('instance');
  const addresses = of('address');
  const apis = of('api');
  const { ids, linkedBy } = linkedEvents(db, r, { keys, principals, principalIds, instances, addresses, apis });
  const events = eventFactsMany(db, ids);
  const base = {
    kind: 'detector' as const, category: categoryOf(r.type), severity: r.severity, title: r.title,
    detail: r.description ?? r.title, value: r.type,
  };
  const finding: Finding = events.length
    ? { ...findingOf(db, actors, base, events), firstTime: iso(Math.min(r.first, events[0].time))!, lastTime: iso(Math.max(r.last, events[events.length - 1].time))! }
    : {
      ...base, firstTime: iso(r.first)!, lastTime: iso(r.last)!, count: 1, eventIds: [], eventNames: [],
      sourceIPAddress: addresses[0] ?? null, errorCode: null, actor: actorOfNames(db, keys, principals),
    };
  if (events.length) finding.sourceIPAddress = addresses[0] ?? finding.sourceIPAddress;
  finding.errorCode = null;
  return {
    ...finding,
    source: r.detector,
    rule: {
      id: r.type ?? r.uid, source: 'detector', title: `${r.detector}${r.product ? ` (${r.product})` : ''}: ${r.type ?? r.title}`, level: r.severity,
      techniques: [], explanation: r.description ?? r.title, proof: names.map((n) => n.kind).filter((k, i, all) => all.indexOf(k) === i), falsePositives: [],
    },
    evidence: names.slice(0, 20).map((n) => ({ field: n.kind, value: n.value })),
    detector: {
      findingId: r.uid, type: r.type, product: r.product, detectorSeverity: r.detectorSeverity, accountId: r.accountId, region: r.region,
      names, linkedBy,
    },
  };
}

type Names = { keys: string[]; principals: string[]; principalIds: string[]; instances: string[]; addresses: string[]; apis: string[] };

/** The events a finding names, oldest first (at most MAX_EVENT_IDS), and how they were chosen. */
function linkedEvents(db: CaseDb, r: Row, n: Names): { ids: number[]; linkedBy: string } {
  const from = r.first - WINDOW_SLACK_MS;
  const to = r.last + WINDOW_SLACK_MS;
  const who = [...n.keys, ...n.principals, ...n.principalIds, ...n.instances, ...n.addresses];
  const api = n.apis.length ? ` ${n.apis.join(', ')} calls` : ' calls';
  const window = `between ${iso(from)} and ${iso(to)} (the finding's window, 15 minutes either side)`;
  if (who.length === 0 && n.apis.length === 0) return { ids: [], linkedBy: 'the finding names no principal, access key, instance, address or API call that events carry' };
  const j = (v: string[]) => JSON.stringify(v);
  const { keys, arns } = credentialsOf(db, n);
  const ids = who.length
    ? (stmt(db, `SELECT e.id FROM event_rows e WHERE e.id IN (
          SELECT id FROM event_rows WHERE access_key_id IN (SELECT s.id FROM strings s WHERE s.value IN (SELECT value FROM json_each(@keys)))
            AND event_time BETWEEN @from AND @to
          UNION SELECT id FROM event_rows WHERE identity_arn IN (SELECT s.id FROM strings s WHERE s.value IN (SELECT value FROM json_each(@arns)))
            AND event_time BETWEEN @from AND @to
          UNION SELECT id FROM event_rows WHERE source_ip IN (SELECT s.id FROM strings s WHERE s.value IN (SELECT value FROM json_each(@addresses)))
            AND event_time BETWEEN @from AND @to)
        AND (@anyApi = 0 OR e.event_name IN (SELECT s.id FROM strings s WHERE s.value IN (SELECT value FROM json_each(@apis))))
        ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck().all({
      keys: j(keys), arns: j(arns), addresses: j(n.addresses), apis: j(n.apis), anyApi: n.apis.length ? 1 : 0, from, to,
    }) as number[])
    : (stmt(db, `SELECT e.id FROM event_rows e WHERE e.event_name IN (SELECT s.id FROM strings s WHERE s.value IN (SELECT value FROM json_each(?)))
        AND e.event_time BETWEEN ? AND ? ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck().all(j(n.apis), from, to) as number[]);
  const whom = who.length ? ` by or from ${who.slice(0, 3).join(', ')}${who.length > 3 ? ` and ${who.length - 3} more` : ''}` : '';
  return {
    ids,
    linkedBy: ids.length ? `${api.trim()}${whom} ${window}` : `no${api}${whom} in the case ${window}`,
  };
}

type ActorKey = { key: string | null; arn: string | null };

/**
 * The access keys (and, for calls recorded without one, the identity ARNs) behind what a finding names,
 * through the resolved actors: a role names its sessions' keys, an instance its instance-profile
 * sessions. Each lookup is an index read (actor_key, identity_arn, session_issuer_arn); principal ids and
 * instances, which are not indexed, are looked up only when the finding names no key or principal.
 */
function credentialsOf(db: CaseDb, n: Names): { keys: string[]; arns: string[] } {
  const j = (v: string[]) => JSON.stringify(v);
  const rows: ActorKey[] = [];
  const select = 'SELECT access_key_id AS key, identity_arn AS arn FROM actors';
  if (n.keys.length) rows.push(...(stmt(db, `${select} WHERE actor_key IN (SELECT value FROM json_each(?))`).all(j(n.keys)) as ActorKey[]));
  if (n.principals.length) {
    rows.push(...(stmt(db, `${select} WHERE identity_arn IN (SELECT value FROM json_each(?))`).all(j(n.principals)) as ActorKey[]));
    rows.push(...(stmt(db, `${select} WHERE session_issuer_arn IN (SELECT value FROM json_each(?))`).all(j(n.principals)) as ActorKey[]));
  }
  if (!n.keys.length && !n.principals.length) {
    if (n.principalIds.length) rows.push(...(stmt(db, `${select} WHERE principal_id IN (SELECT value FROM json_each(?))`).all(j(n.principalIds)) as ActorKey[]));
    if (n.instances.length) rows.push(...(stmt(db, `${select} WHERE instance_id IN (SELECT value FROM json_each(?))`).all(j(n.instances)) as ActorKey[]));
  }
  const keys = new Set(n.keys);
  const arns = new Set(n.principals);
  for (const r of rows) {
    if (r.key) keys.add(r.key);
    else if (r.arn) arns.add(r.arn);
  }
  return { keys: [...keys], arns: [...arns] };
}

/** With no event in the case, the actor of a key or principal it names, when the case knows it. */
function actorOfNames(db: CaseDb, keys: string[], principals: string[]): ResolvedActor | null {
  for (const q of [...keys, ...principals]) {
    const found = findActors(db, q);
    if (found?.rows.length) return toResolvedActor(db, found.rows[0]);
  }
  return null;
}

/** The tactic a detector's type names: GuardDuty's threat purpose (before ':'), ASFF's TTPs/<tactic>/…, else the whole type. */
const TACTICS: [RegExp, FindingCategory][] = [
  [/recon|discovery/i, 'discovery'],
  [/persistence/i, 'persistence'],
  [/privilegeescalation|privilege escalation/i, 'privilege-escalation'],
  [/defenseevasion|defense evasion|stealth/i, 'defense-evasion'],
  [/credentialaccess|credential access/i, 'credential-access'],
  [/exfiltration/i, 'exfiltration'],
  [/impact|cryptocurrency/i, 'impact'],
  [/execution|backdoor|trojan|command and control/i, 'execution'],
  [/unauthorizedaccess/i, 'credential-compromise'],
  [/initialaccess|initial access/i, 'initial-access'],
];

export function categoryOf(type: string | null): FindingCategory {
  if (type === null) return 'initial-access';
  const ttp = /^TTPs\/([^/]+)\//.exec(type);
  const head = ttp ? ttp[1] : type.split(':')[0];
  for (const [re, category] of TACTICS) if (re.test(head)) return category;
  return 'initial-access';
}
