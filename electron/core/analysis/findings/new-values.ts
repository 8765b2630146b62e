// First-seen values per resolved origin (the person, instance or role behind every key and session):
// a source address, user agent or region that identity had not used before in the case, once it has
// a baseline of earlier events. Per origin, not per key, so a fresh session of a known user from its
// usual place is not "new", while a leaked key used from elsewhere is. A new address in a network the
// origin used before (the same /24, or /64 for IPv6) is reported as low: no registry of networks is at
// hand offline, and those are the addresses a person's provider or device rotates through; so is a new
// address of a web identity (OIDC: CI runners). A new region others in the case acted in before is low
// too; one no one had used is medium.
import type { Finding, FindingSeverity, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { isServiceGeneratedAgent } from '../attribution/user-agent.ts';
import { stmt } from '../prepared.ts';
import { eventFacts, findingOf } from './finding-events.ts';
import { originRollups, type OriginRollup } from './origin-rollups.ts';
import { countBelow } from '../count-below.ts';
import { networkOf } from '../flows/cidr.ts';
import { mostSevere } from './analyzer-caps.ts';

const IP_SHAPE = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]*:[0-9a-f:.]*$/i;
const OFFENSIVE_AGENT = /kali|parrot|pentoo|blackarch|pacu|cloudfox|scoutsuite|prowler|stratus|nmap|sqlmap/i;
const COLUMN = { ip: 'source_ip', ua: 'user_agent', region: 'aws_region' } as const;
/**
 * An origin that already met VARIETY_MIN_VALUES values of a facet, at one a day or more or at more than
 * one per 50 of its events, varies by nature: one more new value is no signal.
 */
export const VARIETY_MIN_VALUES = 5;
export const VARIETY_PER_DAY = 1;
export const VARIETY_MAX_RATE = 1 / 50;

// Agents differ in versions and per-command suffixes on every call; what is new is the family
// (product names: "aws-cli python linux", "aws-sdk-go-v2 terraform"), not the exact string.
const AGENT_NOISE = new Set(['md', 'api', 'command', 'prompt', 'exec-env', 'ua', 'cfg', 'm', 'lang', 'os', 'exe', 'sid', 'file', 'app', 'apn', 'cfg/retry-mode', 'installer']);

export function agentFamily(ua: string): string {
  const words = ua.replace(/\([^)]*\)/g, ' ').split(/\s+/).map((t) => t.split('/')[0].toLowerCase()).filter((t) => t && !AGENT_NOISE.has(t) && !/[#=]/.test(t) && !/^[\d.]+$/.test(t));
  return [...new Set(words)].join(' ') || ua;
}

type Row = OriginRollup;

/** Narrows the findings to some credentials (an actor report): their origins' values, first used by one of them. */
export type ActorScope = { actorIds: number[] };

/** New addresses, agents and regions per origin; what was left out over the analyzers' bounds goes to `notes`. */
export function newValueFindings(db: CaseDb, actors: Map<number, ResolvedActor>, baselineEvents: number, notes: string[], scope?: ActorScope): Finding[] {
  // An actor report weighs its credentials' origins alone, from the same stored roll-ups as the findings
  // list (through the credentials' per-key roll-ups instead, an instance role's 122,260 sessions of one
  // call each cost 1.4 s on a million events).
  const origins = scope ? stmt(db, 'SELECT DISTINCT origin FROM actor_rows WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(scope.actorIds)) as number[] : undefined;
  let rows: Row[] = originRollups(db, origins);
  const inScope = scope ? new Set(scope.actorIds) : null;
  const before = stmt(db, 'SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE origin = ? AND event_time < ? LIMIT ?)').pluck();
  const out: Finding[] = [];
  // A console session's background calls carry "AWS Internal": written by AWS, not a new client.
  rows = rows.filter((r) => r.facet !== 'ua' || !isServiceGeneratedAgent(r.value));
  // Per origin, the first time each agent family appears: only that agent is a candidate. A busy case
  // has a few thousand distinct agents over many origins: each is reduced to its family once.
  const families = new Map<string, string>();
  const familyOf = (ua: string) => {
    let f = families.get(ua);
    if (f === undefined) families.set(ua, (f = agentFamily(ua)));
    return f;
  };
  const familyFirst = new Map<string, number>();
  for (const r of rows) {
    if (r.facet !== 'ua') continue;
    const k = `${r.origin}\u0000${familyOf(r.value)}`;
    familyFirst.set(k, Math.min(familyFirst.get(k) ?? Infinity, r.first));
  }
  // How often each origin meets new values of a facet: the first-seen times of its values (agents: of their families).
  const firsts = new Map<string, number[]>();
  for (const r of rows) {
    if (r.facet === 'ua' && familyFirst.get(`${r.origin}\u0000${familyOf(r.value)}`) !== r.first) continue;
    if (r.facet === 'ip' && !IP_SHAPE.test(r.value)) continue;
    const k = `${r.origin}\u0000${r.facet}`;
    const list = firsts.get(k);
    if (list) list.push(r.first);
    else firsts.set(k, [r.first]);
  }
  // The first use of each network per origin: a new address in a network the origin called from
  // before (its provider's pool, an IPv6 privacy address of the same link) is a weak signal.
  const networkFirst = new Map<string, number>();
  for (const r of rows) {
    const net = r.facet === 'ip' ? networkOf(r.value) : null;
    if (net === null) continue;
    const k = `${r.origin}\u0000${net}`;
    networkFirst.set(k, Math.min(networkFirst.get(k) ?? Infinity, r.first));
  }
  // The first use of each region by anyone in the case: a region the account already works in is a weak
  // signal for one more identity (a multi-region service's roles each reach the second region some day);
  // one no one had used (where an attacker starts instances nobody watches) is not.
  const regionFirst = new Map<string, number>();
  for (const r of rows) if (r.facet === 'region') regionFirst.set(r.value, Math.min(regionFirst.get(r.value) ?? Infinity, r.first));
  // Sorted, so the values an origin met before a time are counted by a binary search: an origin with a
  // fresh address per call has tens of thousands, and counting them per value was quadratic.
  for (const list of firsts.values()) list.sort((a, b) => a - b);
  const eventsBefore = stmt(db, 'SELECT count(*) FROM event_actors WHERE origin = ? AND event_time < ?').pluck();
  for (const r of rows) {
    if (r.facet === 'ua' && familyFirst.get(`${r.origin}\u0000${familyOf(r.value)}`) !== r.first) continue;
    if (r.facet === 'ip' && !IP_SHAPE.test(r.value)) continue; // service names ("ec2.amazonaws.com", "AWS Internal")
    if ((before.get(r.origin, r.first, baselineEvents) as number) < baselineEvents) continue;
    // Rarity weighed against variety: an identity that meets a new value every few dozen calls (CI
    // runners with a fresh address per job, federated web identities) says nothing with one more.
    const known = firsts.get(`${r.origin}\u0000${r.facet}`)!;
    const seen = countBelow(known, r.first);
    if (seen >= VARIETY_MIN_VALUES) {
      const days = Math.max(1, (r.first - known[0]) / 86_400_000);
      if (seen / days >= VARIETY_PER_DAY || seen / (eventsBefore.get(r.origin, r.first) as number) > VARIETY_MAX_RATE) continue;
    }
    const firstId = stmt(db, `SELECT ea.event FROM event_actors ea JOIN event_rows e ON e.id = ea.event
      WHERE ea.origin = ? AND ea.event_time = ? AND e.${COLUMN[r.facet]} = (SELECT id FROM strings WHERE value = ?) ORDER BY e.event_id LIMIT 1`)
      .pluck().get(r.origin, r.first, r.value) as number | undefined;
    if (firstId === undefined) continue;
    // A value is new for the origin; the report of one key shows it only when that key brought it.
    if (inScope && !inScope.has(stmt(db, 'SELECT actor FROM event_actors WHERE event = ?').pluck().get(firstId) as number)) continue;
    const e = eventFacts(db, firstId);
    let severity: FindingSeverity;
    let detail: string;
    if (r.facet === 'ip') {
      const net = networkOf(r.value);
      const knownNetwork = net !== null && networkFirst.get(`${r.origin}\u0000${net}`)! < r.first;
      // A web identity is a CI job's or an app's OIDC token: hosted runners call from a fresh address at each job.
      const runner = r.kind === 'web-identity-user' && e.name !== 'GetCallerIdentity';
      severity = isPublicAddress(r.value) && !knownNetwork && !runner ? (e.name === 'GetCallerIdentity' ? 'high' : 'medium') : 'low';
      detail = `${r.label} first called from ${r.value} (${r.n} events from it)${knownNetwork ? `, in ${net}, a network it called from before` : ''}${
        runner && !knownNetwork ? ', a web identity (a CI job or an app signing in with OIDC), whose hosted runners call from a new address at each job' : ''}${
        e.name === 'GetCallerIdentity' ? '; the first call was GetCallerIdentity, the usual first step with a stolen key' : ''}.`;
    } else if (r.facet === 'ua') {
      severity = OFFENSIVE_AGENT.test(r.value) ? 'high' : 'low';
      detail = `${r.label} first used the user agent ${r.value} (${r.n} events)${severity === 'high' ? '; it names an offensive toolkit or distribution' : ''}.`;
    } else {
      const inUse = regionFirst.get(r.value)! < r.first;
      severity = inUse ? 'low' : 'medium';
      detail = `${r.label} first acted in ${r.value} (${r.n} events)${inUse ? ', a region others in the case acted in before' : ', a region no one in the case had acted in before'}.`;
    }
    const what = r.facet === 'ip' ? 'source address' : r.facet === 'ua' ? 'user agent' : 'region';
    out.push(findingOf(db, actors, {
      kind: r.facet === 'ip' ? 'new-source-ip' : r.facet === 'ua' ? 'new-user-agent' : 'new-region', category: 'credential-compromise', severity,
      value: r.value, count: r.n, title: `New ${what} for ${r.label}: ${r.value}`, detail,
    }, [e]));
  }
  return (['new-source-ip', 'new-user-agent', 'new-region'] as const).flatMap((kind) => mostSevere(out.filter((f) => f.kind === kind), kind, notes));
}
