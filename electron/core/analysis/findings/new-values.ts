// First-seen values per resolved origin (the person, instance or role behind every key and session):
// a source address, user agent or region that identity had not used before in the case, once it has
// a baseline of earlier events. Per origin, not per key, so a fresh session of a known user from its
// usual place is not "new", while a leaked key used from elsewhere is. A new address in a network the
// origin used before (the same /24, or /64 for IPv6) is reported as low: no registry of networks is at
// hand offline, and those are the addresses a person's provider or device rotates through; so is a new
// address of a web identity (OIDC: CI runners). A new region others in the case acted in before is low
// too; one no one had used is medium. What many identities do is routine and no finding: a region most
// of them work in, an address several started from. A role session the case cannot follow to whoever
// assumed it is weighed with its role's other such sessions (session-peers.ts): a run of the same
// automation is no new identity.
import type { Finding, FindingSeverity, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { isServiceGeneratedAgent } from '../attribution/user-agent.ts';
import { stmt } from '../prepared.ts';
import { eventFacts, findingOf } from './finding-events.ts';
import { addressFirsts, originRollups, regionFirsts, type OriginRollup } from './origin-rollups.ts';
import { countBelow } from '../count-below.ts';
import { networkOf } from '../flows/cidr.ts';
import { mostSevere } from './analyzer-caps.ts';
import { peerEventsBefore, sessionPeers, withSessionPeers, type Peers } from './session-peers.ts';
import { shownOriginLabels } from '../attribution/origin-label.ts';

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
/**
 * A region at least ROUTINE_REGION_USERS identities had acted in, and at least ROUTINE_REGION_SHARE of
 * those who had acted at all, is where the account works: one more identity reaching it is no finding.
 */
export const ROUTINE_REGION_USERS = 5;
export const ROUTINE_REGION_SHARE = 1 / 4;
/**
 * A web identity (OIDC: a CI pipeline's jobs) that had called from RUNNER_NETWORKS networks or more runs on
 * hosted runners: a further new address is no finding unless its first call is who-am-I (a job's key
 * taken and checked elsewhere). Before that, its new address is low.
 */
export const RUNNER_NETWORKS = 2;
/**
 * An address ROUTINE_ADDRESS_USERS other origins had first acted from (an office's, a VPN's, a NAT
 * gateway's) is no new address.
 */
export const ROUTINE_ADDRESS_USERS = 5;

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
  const scoped = scope ? stmt(db, 'SELECT DISTINCT origin FROM actor_rows WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(scope.actorIds)) as number[] : undefined;
  let rows: Row[] = originRollups(db, scoped && withSessionPeers(db, scoped));
  const inScope = scope ? new Set(scope.actorIds) : null;
  const out: Finding[] = [];
  // A console session's background calls carry "AWS Internal": written by AWS, not a new client.
  rows = rows.filter((r) => r.facet !== 'ua' || !isServiceGeneratedAgent(r.value));
  const peers = sessionPeers(db, rows);
  const peersOf = (r: Row) => peers.get(r.origin)!;
  // A busy case has a few thousand distinct agents over many origins: each is reduced to its family once.
  const families = new Map<string, string>();
  const familyOf = (ua: string) => {
    let f = families.get(ua);
    if (f === undefined) families.set(ua, (f = agentFamily(ua)));
    return f;
  };
  // Per peers, the row that first used each value (an agent: each family) is the only candidate: a value
  // a peer used before is not new. Equal times go to the earlier origin.
  const candidates = new Map<string, Row>();
  const valueKey = (r: Row) => `${peersOf(r).index}\u0000${r.facet}\u0000${r.facet === 'ua' ? familyOf(r.value) : r.value}`;
  for (const r of rows) {
    if (r.facet === 'ip' && !IP_SHAPE.test(r.value)) continue; // service names ("ec2.amazonaws.com", "AWS Internal")
    const k = valueKey(r);
    const held = candidates.get(k);
    if (!held || r.first < held.first || (r.first === held.first && r.origin < held.origin)) candidates.set(k, r);
  }
  const isCandidate = (r: Row) => candidates.get(valueKey(r)) === r;
  // The first use of each network by the peers: a new address in a network they called from before
  // (a provider's pool, an IPv6 privacy address of the same link) is a weak signal.
  const networkFirst = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const net = r.facet === 'ip' ? networkOf(r.value) : null;
    if (net === null) continue;
    const index = peersOf(r).index;
    let nets = networkFirst.get(index);
    if (!nets) networkFirst.set(index, (nets = new Map()));
    nets.set(net, Math.min(nets.get(net) ?? Infinity, r.first));
  }
  // How often the peers meet new values of a facet: the first-seen times of their values (agents: of
  // their families; addresses: of their networks, so a pool of one provider's addresses, however many,
  // is one, and an address outside it still new).
  const firsts = new Map<string, number[]>();
  const met = (k: string, first: number) => {
    const list = firsts.get(k);
    if (list) list.push(first);
    else firsts.set(k, [first]);
  };
  for (const r of candidates.values()) {
    if (r.facet !== 'ip') met(`${peersOf(r).index}\u0000${r.facet}`, r.first);
    else if (networkOf(r.value) === null) met(`${peersOf(r).index}\u0000ip`, r.first);
  }
  for (const [index, nets] of networkFirst) for (const first of nets.values()) met(`${index}\u0000ip`, first);
  // When each identity of the case first acted, and first acted in each region (the whole case's, in an
  // actor report too). A region the account already works in is a weak signal for one more identity (a
  // multi-region service's roles each reach the second region some day), one no one had used (where an
  // attacker starts instances nobody watches) is not; and a region most of a busy account's people and
  // roles work in, as a second region often is, is routine there. A day's case otherwise lists a "new
  // region" for each of them, none of it a signal.
  const regionUse = regionFirsts(db);
  const routineRegion = (region: string, t: number) => {
    const users = countBelow(regionUse.byRegion.get(region) ?? [], t);
    return users >= ROUTINE_REGION_USERS && users >= countBelow(regionUse.identities, t) * ROUTINE_REGION_SHARE;
  };
  // Sorted, so the values the peers met before a time are counted by a binary search: an origin with a
  // fresh address per call has tens of thousands, and counting them per value was quadratic.
  for (const list of firsts.values()) list.sort((a, b) => a - b);
  const weighed = rows.filter((r) => {
    if (!isCandidate(r) || (r.facet === 'region' && routineRegion(r.value, r.first))) return false;
    const group: Peers = peersOf(r);
    if (peerEventsBefore(db, group, r.first, baselineEvents) < baselineEvents) return false;
    // Rarity weighed against variety: an identity that meets a new value every few dozen calls (CI
    // runners with a fresh address per job, federated web identities) says nothing with one more.
    const known = firsts.get(`${group.index}\u0000${r.facet}`)!;
    const seen = countBelow(known, r.first);
    if (seen < VARIETY_MIN_VALUES) return true;
    const days = Math.max(1, (r.first - known[0]) / 86_400_000);
    // The events before are counted only as far as the rate can tell (one past seen / VARIETY_MAX_RATE).
    return seen / days < VARIETY_PER_DAY && seen / peerEventsBefore(db, group, r.first, Math.ceil(seen / VARIETY_MAX_RATE) + 1) <= VARIETY_MAX_RATE;
  });
  // Likewise an address several other origins started from: a user's first call through the office's or
  // the VPN's address, an instance's through the NAT gateway's (origin-rollups.ts addressFirsts). Asked
  // of the addresses still new by the rest: a churned account's runners called from a couple of hundred
  // thousand.
  const addressUse = addressFirsts(db, weighed.flatMap((r) => (r.facet === 'ip' ? [r.value] : [])));
  const shown = shownOriginLabels(db);
  for (const r of weighed) {
    if (r.facet === 'ip' && countBelow(addressUse.get(r.value) ?? [], r.first) >= ROUTINE_ADDRESS_USERS) continue;
    const group: Peers = peersOf(r);
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
      const knownNetwork = net !== null && networkFirst.get(group.index)!.get(net)! < r.first;
      // A web identity is a CI job's or an app's OIDC token: hosted runners call from a fresh address at each job.
      const runner = r.kind === 'web-identity-user' && e.name !== 'GetCallerIdentity';
      // Once its jobs came from RUNNER_NETWORKS networks they rotate: one more runner is no finding.
      if (runner && countBelow(firsts.get(`${group.index}\u0000ip`)!, r.first) >= RUNNER_NETWORKS) continue;
      severity = isPublicAddress(r.value) && !knownNetwork && !runner ? (e.name === 'GetCallerIdentity' ? 'high' : 'medium') : 'low';
      detail = `${shown(r.origin)} first called from ${r.value} (${r.n} events from it)${knownNetwork ? `, in ${net}, a network it called from before` : ''}${
        runner && !knownNetwork ? ', a web identity (a CI job or an app signing in with OIDC), whose hosted runners call from a new address at each job' : ''}${
        e.name === 'GetCallerIdentity' ? '; the first call was GetCallerIdentity, the usual first step with a stolen key' : ''}.`;
    } else if (r.facet === 'ua') {
      severity = OFFENSIVE_AGENT.test(r.value) ? 'high' : 'low';
      detail = `${shown(r.origin)} first used the user agent ${r.value} (${r.n} events)${severity === 'high' ? '; it names an offensive toolkit or distribution' : ''}.`;
    } else {
      const inUse = (regionUse.byRegion.get(r.value)?.[0] ?? Infinity) < r.first;
      severity = inUse ? 'low' : 'medium';
      detail = `${shown(r.origin)} first acted in ${r.value} (${r.n} events)${inUse ? ', a region others in the case acted in before' : ', a region no one in the case had acted in before'}.`;
    }
    if (group.role !== null) {
      const others = group.members.length - 1;
      detail += ` Weighed with the ${others} other session${others === 1 ? '' : 's'} of ${group.role} the case cannot trace to whoever assumed them.`;
    }
    const what = r.facet === 'ip' ? 'source address' : r.facet === 'ua' ? 'user agent' : 'region';
    out.push(findingOf(db, actors, {
      kind: r.facet === 'ip' ? 'new-source-ip' : r.facet === 'ua' ? 'new-user-agent' : 'new-region', category: 'credential-compromise', severity,
      value: r.value, count: r.n, title: `New ${what} for ${shown(r.origin)}: ${r.value}`, detail,
    }, [e]));
  }
  return (['new-source-ip', 'new-user-agent', 'new-region'] as const).flatMap((kind) => mostSevere(out.filter((f) => f.kind === kind), kind, notes));
}
