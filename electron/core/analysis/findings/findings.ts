// Compromise, reconnaissance, persistence, escalation, evasion, exfiltration and impact signals over
// the whole case, oldest first. One rule engine (rules/run-rules.ts) runs the built-in rules
// (builtin/*.ts, data) and any Sigma rules loaded from a folder; analyzers over the roll-ups add new
// source addresses, agents and regions per identity, denied-call bursts and discovery sweeps, instance
// credentials used off their instance, root activity and regions that do not exist. Sequences fold
// related findings into one; incidents group them per origin and rank them; blind windows say when
// CloudTrail was not recording.
import type { Finding, FindingKind, FindingsOptions, FindingsResult, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { parseTime, stmt } from '../prepared.ts';
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import { newValueFindings, type ActorScope } from './new-values.ts';
import { burstFindings } from './bursts.ts';
import { sweepFindings } from './sweeps.ts';
import { eventFactsMany, findingOf, MAX_EVENT_IDS } from './finding-events.ts';
import { instanceAddresses, offInstanceFlags } from '../attribution/instance-addresses.ts';
import type { ActorFlag } from '../../../../shared/engine-types.ts';
import { builtinEventRules, builtinRule } from './builtin/builtin-rules.ts';
import { runEventRules } from './rules/run-rules.ts';
import type { EventRule } from './rules/rule-types.ts';
import { unknownRegionFindings } from './unknown-regions.ts';
import { binaryOrder } from '../../text-order.ts';
import { foldSequences } from './sequences.ts';
import { withExposureEnds } from './exposure-ends.ts';
import { withInstancesEnded } from './instances-ended.ts';
import { withAclOpenings } from './acl-openings.ts';
import { signInFailureFindings } from './sign-in-failures.ts';
import { signInFailuresPerUserFindings } from './sign-in-failures-per-user.ts';
import type { StoredWords } from './stored-words.ts';
import { groupIncidents } from './incidents.ts';
import { blindWindows } from './blind-windows.ts';
import { withFindingIds } from './finding-ids.ts';
import { applySuppressions, listSuppressions } from './suppressions.ts';
import { caseSigmaRules } from './sigma/case-sigma.ts';
import { detectorFindingCount, detectorFindings, MAX_DETECTOR_FINDINGS } from './detector-findings.ts';
import { storedFlags } from '../attribution/stored-chain.ts';
import { EVENT_ORDER } from '../event-order.ts';
import { SEVERITY_ORDER } from '../../../../shared/severity-order.ts';
import { openingConnections } from './opening-connections.ts';
import { portScans } from './port-scans.ts';

export const DEFAULT_BASELINE_EVENTS = 5;
export const DEFAULT_BURST_THRESHOLD = 5;
export const DEFAULT_BURST_WINDOW_MINUTES = 10;

/** Rules from outside the built-in catalogue (a Sigma folder), and what loading them reported. */
export type ExtraRules = { rules: EventRule[]; rejected: { file: string; reason: string }[] };

export type CollectOptions = {
  scope?: ActorScope;
  /** 'fast' leaves out the window scans over every event of a credential (bursts, sweeps); only for actor reports. */
  depth?: 'fast' | 'all';
  baselineEvents?: number;
  burstThreshold?: number;
  burstWindowMinutes?: number;
  extra?: ExtraRules;
  /** What the stored run said of a finding (stored-words.ts): a scoped run takes an opening's and a termination's words from it. */
  storedWords?: StoredWords | null;
};

/** The four parts of the case's findings, each stored and recomputed on its own (stored-findings.ts). */
export type FindingsPart = 'builtin' | 'sigma' | 'detector' | 'flows';
export const FINDINGS_PARTS: readonly FindingsPart[] = ['builtin', 'sigma', 'detector', 'flows'];

/**
 * One part's findings (with their rule, without ids): the built-in rules and analyzers, the rules of
 * `o.extra` (Sigma), or the detectors' findings. Rules run apart give what they give together: each
 * rule's hits, caps and merging are its own.
 */
export function collectPart(db: CaseDb, actors: Map<number, ResolvedActor>, part: FindingsPart, o: CollectOptions = {}): { findings: Finding[]; notes: string[] } {
  if (part === 'sigma') {
    const run = runEventRules(db, o.extra?.rules ?? [], actors, o.scope);
    return { findings: run.findings, notes: run.notes };
  }
  if (part === 'flows') {
    // The only part that reads flow records: the connections from outside each opening let in, and scans from inside.
    const runs = [openingConnections(db, actors, o.scope), portScans(db, actors, o.scope)];
    return { findings: runs.flatMap((r) => r.findings).map(withRule), notes: runs.flatMap((r) => r.notes) };
  }
  if (part === 'detector') {
    // AWS detectors' own findings (GuardDuty, Security Hub, Security Lake) imported as evidence.
    const notes: string[] = [];
    if (!o.scope) {
      const stored = detectorFindingCount(db);
      if (stored > MAX_DETECTOR_FINDINGS) notes.push(`${stored.toLocaleString('en-US')} detector findings in the case: the first ${MAX_DETECTOR_FINDINGS.toLocaleString('en-US')} by time are shown`);
    }
    return { findings: detectorFindings(db, actors, o.scope).map(withRule), notes };
  }
  const run = runEventRules(db, builtinEventRules(), actors, o.scope);
  const notes = [...run.notes];
  const all: Finding[] = [
    ...newValueFindings(db, actors, o.baselineEvents ?? DEFAULT_BASELINE_EVENTS, notes, o.scope),
    ...(o.depth === 'fast' ? [] : burstFindings(db, actors, o.burstThreshold ?? DEFAULT_BURST_THRESHOLD, o.burstWindowMinutes ?? DEFAULT_BURST_WINDOW_MINUTES, notes, o.scope)),
    ...(o.depth === 'fast' ? [] : sweepFindings(db, actors, o.burstWindowMinutes ?? DEFAULT_BURST_WINDOW_MINUTES, notes, o.scope)),
    ...run.findings,
    // An actor report shows these as the credential's own flags.
    ...(o.scope ? [] : flagFindings(db, actors)),
    // Per address and per user, not per credential: the whole case's only.
    ...(o.scope ? [] : signInFailureFindings(db, actors, notes)),
    ...(o.scope ? [] : signInFailuresPerUserFindings(db, actors, notes)),
    ...unknownRegionFindings(db, actors, o.scope),
  ].map(withRule);
  return { findings: foldSequences(db, actors, demoteChronicDenials(withInstancesEnded(db, withAclOpenings(db, actors, withExposureEnds(db, actors, all, o.storedWords)), o.storedWords))), notes };
}

/** Findings given their ids and source, counted per rule (by rule id, as the stored list gives them: findings-list.ts). */
export function finishFindings(collected: Finding[]): { findings: Finding[]; byRule: Record<string, number> } {
  const findings = withFindingIds(collected);
  const counts = new Map<string, number>();
  for (const f of findings) {
    if (f.rule) counts.set(f.rule.id, (counts.get(f.rule.id) ?? 0) + 1);
    f.source ??= f.rule?.source === 'sigma' ? 'Sigma' : 'Trailscope';
  }
  return { findings, byRule: Object.fromEntries([...counts].sort(([a], [b]) => binaryOrder(a, b))) };
}

/** Every finding (unfiltered, unsorted) with its rule, for the whole case or some credentials. */
export function collectFindings(db: CaseDb, actors: Map<number, ResolvedActor>, o: CollectOptions = {}): { findings: Finding[]; byRule: Record<string, number>; notes: string[] } {
  const parts = FINDINGS_PARTS.map((part) => collectPart(db, actors, part, o));
  const { findings, byRule } = finishFindings(parts.flatMap((p) => p.findings));
  return { findings, byRule, notes: parts.flatMap((p) => p.notes) };
}

/**
 * The case's findings. Besides the built-in rules it runs the Sigma rules stored in the case and
 * `extra` (a folder given for this run only; its rules win over stored ones of the same id), and
 * applies the investigator's suppressions: suppressed findings join no incident and no count, and are
 * listed only when asked for.
 */
export function findings(db: CaseDb, options: FindingsOptions = {}, extra?: ExtraRules): FindingsResult {
  const actors = new Map<number, ResolvedActor>();
  const sigma = withCaseRules(caseSigmaRules(db), extra);
  const collected = collectFindings(db, actors, { ...options, extra: sigma });
  let all = collected.findings;
  const from = options.from ? parseTime(options.from) : -Infinity;
  const to = options.to ? parseTime(options.to) : Infinity;
  all = all.filter((f) => Date.parse(f.lastTime) >= from && Date.parse(f.firstTime) <= to);
  if (options.actor) {
    const qs = actorQueries(options.actor);
    all = all.filter((f) => actorTerms(f).some((t) => qs.includes(t)));
  }
  if (options.accounts?.length) all = ofAccounts(db, all, options.accounts);
  all.sort((a, b) => a.firstTime.localeCompare(b.firstTime) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  all = applySuppressions(all, listSuppressions(db));
  const shown = all.filter((f) => !f.suppressed);
  const counts: FindingsResult['counts'] = {};
  for (const f of shown) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const incidents = groupIncidents(shown);
  const windows = blindWindows(db, actors).filter((w) => Date.parse(w.to) >= from && Date.parse(w.from) <= to);
  return {
    findings: options.includeSuppressed ? all : shown, counts, incidents, blindWindows: windows, byRule: collected.byRule, ...(collected.notes.length ? { notes: collected.notes } : {}),
    ...(sigma ? { sigma: { loaded: sigma.rules.length, rejected: sigma.rejected } } : {}),
    suppressed: all.length - shown.length,
  };
}

/**
 * Findings of these accounts: the accounts of a finding's events (one look-up per finding through the
 * event_id index), else the account a detector's finding names. A finding without either stays out.
 */
function ofAccounts(db: CaseDb, all: Finding[], accounts: string[]): Finding[] {
  const wanted = new Set(accounts);
  const accountsOf = findingAccounts(db);
  return all.filter((f) => accountsOf(f).some((a) => wanted.has(a)));
}

/** The accounts a finding belongs to: those of its events, and the account a detector's finding names or its flow records were logged in. */
export function findingAccounts(db: CaseDb): (f: Finding) => string[] {
  const accountsOf = stmt(db, `SELECT DISTINCT s.value FROM event_rows e JOIN strings s ON s.id = e.account_id
    WHERE e.event_id IN (SELECT value FROM json_each(?))`).pluck();
  return (f) => {
    const out = f.eventIds.length ? (accountsOf.all(JSON.stringify(f.eventIds)) as string[]) : [];
    for (const named of [f.detector?.accountId, f.flows?.accountId]) if (named && !out.includes(named)) out.push(named);
    return out;
  };
}

/** What an actor filter matches a finding by: its origin, ARN, and each link of its chain (id and key). */
export function actorTerms(f: Finding): string[] {
  if (!f.actor) return [];
  const out = [f.actor.origin.id];
  if (f.actor.arn !== null) out.push(f.actor.arn);
  for (const l of f.actor.chain) {
    out.push(l.id);
    if (l.accessKeyId !== null) out.push(l.accessKeyId);
  }
  return [...new Set(out)];
}

/** An actor filter as given, and its ARN without the IAM path. */
export function actorQueries(actor: string): string[] {
  const q = actor.trim();
  return [...new Set([q, iamArnWithoutPath(q)])];
}

/** The case's stored Sigma rules with this run's: a rule given now replaces a stored one of the same id. */
function withCaseRules(stored: ExtraRules | null, now: ExtraRules | undefined): ExtraRules | undefined {
  if (!stored) return now;
  if (!now) return stored;
  const ids = new Set(now.rules.map((r) => r.meta.id));
  return { rules: [...stored.rules.filter((r) => !ids.has(r.meta.id)), ...now.rules], rejected: [...stored.rejected, ...now.rejected] };
}

/** An identity refused in burst after burst is misconfigured, not probing: from the third burst on, its bursts are low. */
export const CHRONIC_DENIED_BURSTS = 3;

function demoteChronicDenials(all: Finding[]): Finding[] {
  const perOrigin = new Map<string, number>();
  for (const f of all) if (f.kind === 'access-denied-burst' && f.actor) perOrigin.set(f.actor.origin.id, (perOrigin.get(f.actor.origin.id) ?? 0) + 1);
  return all.map((f) => {
    const n = f.kind === 'access-denied-burst' && f.actor ? (perOrigin.get(f.actor.origin.id) ?? 0) : 0;
    if (n < CHRONIC_DENIED_BURSTS || f.severity === 'low') return f;
    return { ...f, severity: 'low', detail: `${f.detail} This identity is refused this way often (${n} bursts in the case): more likely a misconfiguration.` };
  });
}

/** Findings the analyzers raise carry the metadata of their catalogue entry (same id as their kind). */
const ANALYZER_KINDS = new Set<FindingKind>(['new-source-ip', 'new-user-agent', 'new-region', 'access-denied-burst', 'discovery-sweep', 'console-sign-in-failures',
  'console-sign-in-failures-per-user', 'opening-connections', 'port-scan',
  'instance-credentials-off-instance', 'root-activity']);
const EVIDENCE_FIELD: Partial<Record<FindingKind, string>> = { 'new-source-ip': 'sourceIPAddress', 'new-user-agent': 'userAgent', 'new-region': 'awsRegion',
  'instance-credentials-off-instance': 'sourceIPAddress', 'console-sign-in-failures': 'sourceIPAddress' };

function withRule(f: Finding): Finding {
  if (f.rule || !ANALYZER_KINDS.has(f.kind)) return f;
  const fieldName = EVIDENCE_FIELD[f.kind];
  return { ...f, rule: builtinRule(f.kind), evidence: f.evidence ?? (fieldName && f.value ? [{ field: fieldName, value: f.value }] : []) };
}

type OffInstanceFlag = Extract<ActorFlag, { kind: 'instance-credentials-off-instance' }>;
/** Addresses an instance's off-instance finding names with their calls; the rest it counts. */
const NAMED_ADDRESSES = 5;

/**
 * Flags attribution raised: instance keys used off the instance (one finding per instance), root (one
 * per credential).
 */
function flagFindings(db: CaseDb, actors: Map<number, ResolvedActor>): Finding[] {
  const out: Finding[] = [];
  // Credentials with a stored flag: root, or an instance's session flagged when it was resolved.
  const stored = (stmt(db, `SELECT id, origin, flags FROM actor_rows WHERE flags <> '[]' AND (instance_id IS NOT NULL OR flags LIKE '%"root"%') ORDER BY id`)
    .raw().all() as [number, number, string][]).map(([id, origin, flags]) => ({ id, origin, flags: storedFlags(flags) }));
  /** Instance origin → the off-instance flags its sessions stored, by address. */
  const storedOff = new Map<number, Map<string, OffInstanceFlag>>();
  for (const { origin, flags } of stored) {
    for (const f of flags) {
      if (f.kind !== 'instance-credentials-off-instance' || !f.sourceIp) continue;
      let byIp = storedOff.get(origin);
      if (!byIp) storedOff.set(origin, byIp = new Map());
      if (!byIp.has(f.sourceIp)) byIp.set(f.sourceIp, f);
    }
  }
  out.push(...offInstanceFindings(db, actors, storedOff));
  for (const { id, flags } of stored) {
    const root = flags.find((f) => f.kind === 'root');
    if (!root) continue;
    const ids = stmt(db, 'SELECT ea.event FROM event_actors ea JOIN event_rows e ON e.id = ea.event WHERE ea.actor = ? ORDER BY ea.event_time, e.event_id, ea.event').pluck().all(id) as number[];
    if (!ids.length) continue;
    out.push(findingOf(db, actors, {
      kind: 'root-activity', category: 'credential-compromise', severity: 'medium', value: null, count: ids.length,
      title: `Root account activity: ${ids.length} events`, detail: root.detail,
      lastTime: stmt(db, 'SELECT event_time FROM event_rows WHERE id = ?').pluck().get(ids[ids.length - 1]) as number,
    }, eventFactsMany(db, ids.slice(0, MAX_EVENT_IDS))));
  }
  return out;
}

/**
 * One finding per instance whose credentials were used from addresses that are not its own: every
 * session of the instance from any of them, named by the address most used. The check runs now over
 * the addresses of all its sessions (its addresses may have arrived after its keys were first seen),
 * read from the instance's stored roll-ups (origin_facet_rows: every session of an instance has the
 * instance as its origin, a few rows each: a million events with a new key for every call hold 370,000
 * instance sessions, whose addresses were read from their events at every run, 2 s of CPU); the flags
 * its sessions stored when resolved are added. A finding per session and address made a key used
 * through a pool of addresses a finding per call: 59,696 for 60 instances, 30 s to store them.
 */
function offInstanceFindings(db: CaseDb, actors: Map<number, ResolvedActor>, storedOff: Map<number, Map<string, OffInstanceFlag>>): Finding[] {
  const out: Finding[] = [];
  const instances = stmt(db, "SELECT id, ident FROM origins WHERE kind = 'instance' ORDER BY id").raw().all() as [number, string][];
  const addressesOf = stmt(db, `SELECT s.value, f.count, f.first_seen FROM origin_facet_rows f JOIN strings s ON s.id = f.value WHERE f.origin = ? AND f.facet = 'ip'`).raw();
  const fromAddresses = `FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.origin = ? AND e.source_ip IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))`;
  for (const [origin, instance] of instances) {
    const rows = addressesOf.all(origin) as [string, number, number | null][];
    const calls = new Map(rows.map(([ip, n, first]) => [ip, { n, first: first ?? Number.POSITIVE_INFINITY }]));
    const flagged = new Map<string, OffInstanceFlag>(storedOff.get(origin) ?? []);
    // Who else called from an address is read for the one the finding is named by (below), not for all.
    // The instance's own addresses are read once for both asks below (its versions' configurations, parsed).
    let known: string[] | undefined;
    const own = () => (known ??= instanceAddresses(db, instance));
    const now = rows.length ? offInstanceFlags(db, instance, rows.map((r) => r[0]).sort(binaryOrder), { sharers: false, known: own() }) as OffInstanceFlag[] : [];
    for (const f of now) flagged.set(f.sourceIp, f);
    if (!flagged.size) continue;
    // The address most used first, then the one used first.
    const used = (ip: string) => calls.get(ip) ?? { n: 0, first: Number.POSITIVE_INFINITY };
    const ips = [...flagged.keys()].sort((a, b) => used(b).n - used(a).n || used(a).first - used(b).first || binaryOrder(a, b));
    const list = JSON.stringify(ips);
    const ids = stmt(db, `SELECT ea.event ${fromAddresses} ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck().all(origin, list) as number[];
    if (!ids.length) continue;
    const [count, lastTime] = stmt(db, `SELECT count(*), max(ea.event_time) ${fromAddresses}`).raw().get(origin, list) as [number, number];
    const top = now.some((f) => f.sourceIp === ips[0]) ? offInstanceFlags(db, instance, [ips[0]], { known: own() })[0] as OffInstanceFlag : flagged.get(ips[0])!;
    const others = ips.slice(1);
    const named = others.slice(0, NAMED_ADDRESSES).map((ip) => `${ip} (${used(ip).n} calls)`);
    const more = others.length > NAMED_ADDRESSES ? ` and ${others.length - NAMED_ADDRESSES} more` : '';
    out.push(findingOf(db, actors, {
      kind: 'instance-credentials-off-instance', category: 'credential-access', severity: 'high', value: ips[0], count,
      title: `Credentials of ${top.instanceId ?? instance} used from ${ips[0]}${others.length ? ` and ${others.length} other address${others.length > 1 ? 'es' : ''}` : ''}`,
      detail: top.detail + (others.length ? `; also used from ${others.length} other address${others.length > 1 ? 'es' : ''} outside it: ${named.join(', ')}${more}` : ''),
      lastTime,
    }, eventFactsMany(db, ids)));
  }
  return out;
}
