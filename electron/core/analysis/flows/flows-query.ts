// Flows rolled up into conversations (interface, peer, service port, time window), and for each
// accepted inbound flow from a public address to a remote-access or database port, the chain from
// traffic to person: the rule that allowed it at that moment, the call that added the rule, its actor.
import type { FlowConversation, FlowFilter, FlowRecordRef, FlowsResult, RemoteAccessChain, SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { sameRule } from '../history/sg-rules.ts';
import { sgVersions } from '../history/sg-versions.ts';
import { interfaceGroupsAt, vpcOf } from './interface-groups.ts';
import { SubnetsByAddress } from './subnets-by-address.ts';
import { interfacesTakingConnections } from './taken-before.ts';
import { ruleAllows } from './rule-allows.ts';
import { flowRecords, loggedText, type FlowRecord, type FlowRecordFilter } from './flow-records.ts';
import { rollUpConversations } from './conversations.ts';

export const REMOTE_ACCESS_PORTS = [22, 3389, 5432, 3306, 1433, 27017, 6379, 9200];
const MAX_SCAN = 500_000;

/** The engine's filter as the record scan takes it (flow-records.ts). */
function recordFilter(f: FlowFilter): FlowRecordFilter {
  return {
    eni: f.eni || undefined,
    accounts: f.accounts?.length ? f.accounts : undefined,
    ip: f.ip || undefined,
    port: f.port,
    from: f.from ? parseTime(f.from) : undefined,
    to: f.to ? parseTime(f.to) : undefined,
  };
}

/** Conversations over the earliest MAX_SCAN records that match (conversations.ts). */
export function flowConversations(db: CaseDb, filter: FlowFilter): FlowConversation[] {
  const windowMs = Math.max(1, filter.windowMinutes ?? 60) * 60_000;
  return rollUpConversations(db, recordFilter(filter), { windowMs, limit: filter.limit ?? 10_000, maxScan: MAX_SCAN });
}

/** Accepted inbound remote-access flows from public addresses, one per (interface, peer, port): the first of each. */
export function remoteAccessChains(db: CaseDb, filter: FlowFilter): RemoteAccessChain[] {
  const ports = filter.port !== undefined ? [filter.port] : REMOTE_ACCESS_PORTS;
  const rows = flowRecords(db, { ...recordFilter(filter), port: undefined, action: 'ACCEPT', dstPorts: ports }, MAX_SCAN).records;
  const seen = new Set<string>();
  const byAddress = new SubnetsByAddress(db);
  const before = takenBeforeChecks(db);
  const out: RemoteAccessChain[] = [];
  for (const r of rows) {
    if (!isPublicAddress(r.srcaddr) || r.flowDirection === 'egress' || r.startTime === null) continue;
    const key = `${r.interfaceId}|${r.srcaddr}|${r.dstport}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(chainFor(db, r, byAddress, before));
    if (out.length >= (filter.limit ?? 1000)) break;
  }
  return out;
}

function chainFor(db: CaseDb, r: FlowRecord, byAddress: SubnetsByAddress, before: TakenBeforeChecks): RemoteAccessChain {
  const flow: FlowRecordRef = { id: r.id, interfaceId: r.interfaceId, srcaddr: r.srcaddr, dstaddr: r.dstaddr, srcport: r.srcport, dstport: r.dstport, protocol: r.protocol, start: iso(r.startTime), end: iso(r.endTime), action: r.action };
  const gaps: string[] = [];
  const at = r.startTime!;
  const instanceHint = loggedText(r.instanceId);
  const found = r.interfaceId ? interfaceGroupsAt(db, r.interfaceId, at, instanceHint) : null;
  let groups: string[] = found?.groups ?? [];
  const guessed = groups.length === 0;
  let eventRef: NonNullable<RemoteAccessChain['interfaceGroups']>['event'] = null;
  if (found?.eventRow) {
    const e = stmt(db, `SELECT event_id AS eventId, event_time AS t, event_name AS eventName FROM events WHERE id = ?`).get(found.eventRow) as { eventId: string; t: number; eventName: string };
    eventRef = { eventId: e.eventId, eventTime: iso(e.t)!, eventName: e.eventName };
  }
  const interfaceGroups: RemoteAccessChain['interfaceGroups'] = {
    interfaceId: r.interfaceId, instanceId: found?.instanceId ?? instanceHint, groups: groups.map((g) => ({ groupId: g, name: groupName(db, g) })),
    basis: found?.basis ?? 'none', recordedOn: found?.via ?? null, event: eventRef,
  };
  if (!groups.length) {
    // Not recorded: the rules that could have allowed it are those of the groups in the interface's VPC,
    // which a version 2 record of an interface the snapshots no longer hold gives by its address's subnet.
    const vpc = loggedText(r.vpcId) ?? vpcOf(db, r.interfaceId, interfaceGroups.instanceId) ?? byAddress.of(r.dstaddr, loggedText(r.accountId))?.vpc ?? null;
    const inVpc = vpc ? stmt(db, `SELECT src FROM edges WHERE dst = ? AND kind = 'security-group-vpc'`).pluck().all(vpc) as string[] : [];
    const what = `the groups of ${r.interfaceId ?? 'the interface'}${interfaceGroups.instanceId ? ` (${interfaceGroups.instanceId})` : ''} at ${iso(at)} are not recorded in the case`;
    if (inVpc.length) {
      groups = inVpc;
      gaps.push(`${what}; the rule is the best match among the ${inVpc.length} group${inVpc.length === 1 ? '' : 's'} of ${vpc}`);
    } else {
      gaps.push(`${what}; every group with a matching rule was considered`);
      groups = stmt(db, `SELECT DISTINCT resource_id FROM event_resources WHERE resource_type = 'security-group'
        UNION SELECT id FROM resources WHERE type = 'security-group'`).pluck().all() as string[];
    }
  }
  let best: { groupId: string; rule: SecurityGroupRule; eventRow: number | null; prefix: number; basis: 'snapshot' | 'event' } | null = null;
  for (const g of groups) {
    const versions = sgVersions(db, g);
    let state = null as null | { rules: SecurityGroupRule[] };
    let idx = -1;
    versions.forEach((v, i) => {
      if (v.time <= at) {
        state = v.after;
        idx = i;
      }
    });
    if (!state && versions.length) state = versions[0].before ?? versions[0].after;
    if (!state) continue;
    for (const rule of (state as { rules: SecurityGroupRule[] }).rules) {
      const prefix = ruleAllows(rule, r);
      if (prefix < 0 || (best && best.prefix >= prefix)) continue;
      // The call that added this rule: the latest version before the flow whose change introduced it.
      let eventRow: number | null = null;
      let basis: 'snapshot' | 'event' = 'snapshot';
      for (let i = idx; i >= 0; i--) {
        const v = versions[i];
        const had = v.before?.rules.some((x) => sameRule(x, rule)) ?? false;
        if (v.origin === 'event' && !had && v.after.rules.some((x) => sameRule(x, rule))) {
          eventRow = v.eventRow;
          basis = 'event';
          break;
        }
      }
      best = { groupId: g, rule, eventRow, prefix, basis };
    }
  }
  if (!best) {
    gaps.push('no known rule of the interface\'s groups allowed this flow at that time (rules may predate the case)');
    return { flow, rule: null, ruleEvent: null, actor: null, gaps, interfaceGroups };
  }
  let ruleEvent: RemoteAccessChain['ruleEvent'] = null;
  let actor = null;
  if (best.eventRow !== null) {
    const e = stmt(db, `SELECT event_id AS eventId, event_time AS t, event_name AS eventName, source_ip AS ip, user_agent AS ua FROM events WHERE id = ?`)
      .get(best.eventRow) as { eventId: string; t: number; eventName: string; ip: string | null; ua: string | null };
    // A rule guessed for an interface of unrecorded groups is not the one that let the flow in when the
    // interface took such connections before the rule was added: something else did.
    const earlier = guessed && r.interfaceId ? before.took(r.interfaceId, best.rule, r.dstport, e.t) : false;
    if (earlier === null) gaps.push(`whether ${r.interfaceId} took connections on port ${r.dstport} from outside before that rule was added was not read: this question's budget of flow records was spent`);
    if (earlier === true) {
      gaps.push(`${r.interfaceId} took connections on port ${r.dstport} from outside before ${best.groupId}'s rule was added at ${iso(e.t)}: something else let them in, so the rule is not named`);
      return { flow, rule: null, ruleEvent: null, actor: null, gaps, interfaceGroups };
    }
    ruleEvent = { eventId: e.eventId, eventTime: iso(e.t)!, eventName: e.eventName, sourceIPAddress: e.ip, userAgent: e.ua };
    actor = actorOfEvent(db, best.eventRow);
  } else gaps.push(`rule of ${best.groupId} was already present in the configuration snapshot; the call that added it is not in the case`);
  return { flow, rule: { groupId: best.groupId, rule: best.rule, basis: best.basis, groupName: groupName(db, best.groupId) }, ruleEvent, actor, gaps, interfaceGroups };
}

/** Flow records the remote-access chains read, in all, to tell whether an interface took connections before a rule. */
const TAKEN_BEFORE_RECORDS = 2_000_000;

type TakenBeforeChecks = ReturnType<typeof takenBeforeChecks>;

/**
 * Whether an interface took connections from outside on a port that a rule allows before a time
 * (taken-before.ts), each question asked once; null once the budget of records is spent.
 */
function takenBeforeChecks(db: CaseDb) {
  const budget = { records: TAKEN_BEFORE_RECORDS };
  const answers = new Map<string, boolean | null>();
  return {
    took(eni: string, rule: SecurityGroupRule, port: number | null, until: number): boolean | null {
      if (port === null) return false;
      // The rule by what it allows (not its description: a crafted one of megabytes in a key per chain), its texts cut.
      const key = JSON.stringify([eni, port, until, rule.protocol, rule.fromPort, rule.toPort, rule.cidr, rule.ipv6Cidr, rule.prefixListId, rule.peerGroupId]
        .map((v) => (typeof v === 'string' ? v.slice(0, 200) : v)));
      let answer = answers.get(key);
      if (answer === undefined) {
        const taking = budget.records <= 0 ? null : interfacesTakingConnections(db, [rule], [port], until, (n) => (budget.records -= n) >= 0, eni);
        answers.set(key, (answer = taking === null ? null : taking.has(eni)));
      }
      return answer;
    },
  };
}

function groupName(db: CaseDb, groupId: string): string | null {
  return (stmt(db, `SELECT name FROM resources WHERE id = ?`).pluck().get(groupId) as string | null | undefined) ?? null;
}

export function flows(db: CaseDb, filter: FlowFilter): FlowsResult {
  return { conversations: flowConversations(db, filter), remoteAccess: remoteAccessChains(db, filter) };
}
