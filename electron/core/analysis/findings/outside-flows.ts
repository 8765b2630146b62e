// Which connections from outside an opening let in while it was open (QUESTIONS.md: "Was it revoked
// later? Did accepted flows from outside use it meanwhile?"): the accepted flow records from a public
// address that one of the opened rules (or network ACL entries) allows, to an interface behind the
// opening, from the opening to its closing (or the end of the evidence). Told by address, the most data
// first: an intruder's session moves data, the internet's scanners only knock (a handshake of a few packets).
// Behind a security group: an interface whose groups at its first such record include the group
// (flows/interface-groups.ts, as the remote-access chains read them); one whose groups the case does not
// record when it is in the group's VPC, and the words say so (an instance the intruder terminated is gone
// from the snapshots taken after, and it is the one the investigator is after). Behind a network ACL: an
// interface in one of the subnets it guards.
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { formatBytes } from '../../ingest/parse/format-bytes.ts';
import { normProto } from '../history/sg-rules.ts';
import { loggedText, scanFlowRecords } from '../flows/flow-records.ts';
import { instanceOfInterface, interfaceGroupsAt, vpcOf } from '../flows/interface-groups.ts';
import { iso, stmt } from '../prepared.ts';
import { withName } from './instances-in-words.ts';
import { SubnetsByAddress } from '../flows/subnets-by-address.ts';
import { fromOutside, interfacesTakingConnections } from '../flows/taken-before.ts';

/**
 * Flow records read (their blocks decoded, every record of each counted) for all the openings of one
 * findings run: about 0.7 µs a record here (docs/benchmarks.md "Stored findings"), so a case of five
 * million read for one opening is three to four seconds, and a crafted case of a thousand openings over
 * them stays that. Said in the words when reached.
 */
export const FLOW_RECORDS_PER_RUN = 5_000_000;
/**
 * Addresses counted per opening. The internet's scanners are many and knock before an intruder comes in:
 * when the count is full, the half that moved the least data is let go (the words then say "more than"), so the
 * addresses that moved the most stay whatever came first.
 */
const ADDRESSES_COUNTED = 10_000;
const ADDRESSES_NAMED = 3;
const INTERFACES_CHECKED = 200;
const TARGETS_NAMED = 3;
/** Ports of a rule listed one by one for the scan; a wider rule is checked record by record. */
const PORTS_LISTED = 64;

type Peer = { address: string; records: number; bytes: number; first: number; last: number; targets: Set<string> };

/** The opened rules' inbound ports one by one, or undefined when one of them is wider than a list. */
function portsOf(rules: SecurityGroupRule[]): number[] | undefined {
  const ports = new Set<number>();
  for (const r of rules) {
    const proto = normProto(r.protocol);
    if (proto === '-1' || r.fromPort === null || r.fromPort < 0) return undefined;
    const to = r.toPort === null || r.toPort < 0 ? r.fromPort : r.toPort;
    if (to - r.fromPort >= PORTS_LISTED) return undefined;
    for (let p = r.fromPort; p <= to; p++) ports.add(p);
  }
  return [...ports];
}

/**
 * A record's interface in words when it is behind the opening (asked once per interface, at its first
 * record), null when it is not, or `unplaced` when the case cannot say: its groups unrecorded, and its
 * network or the group's unknown (an account without snapshots, an instance gone before them).
 */
export type Behind = (r: FlowRow) => string | null | { unplaced: string };

/**
 * Behind a security group: an interface carrying it then, or in its VPC with groups the case does not
 * record: the record's VPC, else its interface's or instance's, else (a version 2 record of an interface
 * the snapshots no longer hold) the VPC of the subnet its address lies in (`byAddress`).
 */
export function behindGroup(db: CaseDb, groupId: string, byAddress = new SubnetsByAddress(db)): Behind {
  const groupVpc = stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind = 'security-group-vpc' LIMIT 1`).pluck().get(groupId) as string | undefined;
  return (r) => {
    const of = interfaceGroupsAt(db, r.interfaceId!, r.startTime!, loggedText(r.instanceId));
    if (of.groups.includes(groupId)) return withName(db, of.instanceId ?? r.interfaceId!);
    if (of.basis !== 'none') return null;
    const vpc = loggedText(r.vpcId) ?? vpcOf(db, r.interfaceId, of.instanceId);
    const byItsAddress = vpc === null ? byAddress.of(r.dstaddr, loggedText(r.accountId)) : null;
    const network = vpc ?? byItsAddress?.vpc ?? null;
    if (network !== null && groupVpc !== undefined && network !== groupVpc) return null;
    const name = withName(db, of.instanceId ?? r.interfaceId!);
    if (network === null || groupVpc === undefined) return { unplaced: `${name}, whose groups${network === null ? ' and network' : ''} the case does not record` };
    return `${name}, whose groups the case does not record, in the group's ${groupVpc}${byItsAddress ? ` (its address ${r.dstaddr} lies in ${byItsAddress.subnet})` : ''}`;
  };
}

/**
 * Behind a network ACL: an interface in one of the `subnets` it guards (the record's own subnet, else
 * the snapshots', else the one its address lies in: `byAddress`).
 */
export function behindSubnets(db: CaseDb, subnets: string[], byAddress = new SubnetsByAddress(db)): Behind {
  const guarded = new Set(subnets);
  const subnetOf = stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind IN ('eni-subnet', 'instance-subnet') LIMIT 1`).pluck();
  return (r) => {
    const instance = loggedText(r.instanceId) ?? instanceOfInterface(db, r.interfaceId!);
    const subnet = loggedText(r.subnetId) ?? (subnetOf.get(r.interfaceId) as string | undefined) ?? (instance ? subnetOf.get(instance) as string | undefined : undefined)
      ?? byAddress.of(r.dstaddr, loggedText(r.accountId))?.subnet;
    return subnet !== undefined && guarded.has(subnet) ? `${withName(db, instance ?? r.interfaceId!)} in ${subnet}` : null;
  };
}

/** The connections from outside an opening let in: by address, the most data first. */
export type OutsideFlows = {
  peers: Peer[];
  /** Times an address was let go to keep the count (ADDRESSES_COUNTED): how many there were is then known only as more than it. */
  letGo: number;
  /** The run's budget ran out before every block was read. */
  cut: boolean;
  /** The first and the last connection's start. */
  first: number;
  last: number;
};

/**
 * The addresses from outside whose connections these `rules` let in to an interface `behind` the opening
 * between `from` and `to` (null: the end of the evidence): null when the case's flow records hold none,
 * 'unread' when the run's budget (FLOW_RECORDS_PER_RUN, `budget`) was spent before any was found.
 */
export function outsideFlows(db: CaseDb, rules: SecurityGroupRule[], behind: Behind, from: number, to: number | null, budget: { flowRecords: number }): OutsideFlows | 'unread' | null {
  if (rules.length === 0) return null;
  if (budget.flowRecords <= 0) return 'unread';
  const dstPorts = portsOf(rules);
  const said = new Map<string, string | null>(); // interface → behind's answer
  let peers = new Map<string, Peer>();
  let letGo = 0;
  let cut = false;
  const charge = (records: number) => {
    // Charged by what each block held, matching or not: what an opening costs is reading the blocks.
    budget.flowRecords -= records;
    if (budget.flowRecords >= 0) return true;
    cut = true;
    return false;
  };
  /** The interfaces reachable from outside before the opening; null when the run could not read them all (then none unplaced is counted). */
  let takenBefore: Set<string> | null | undefined;
  const target = (r: FlowRow): string | null => {
    const eni = r.interfaceId!;
    if (!said.has(eni)) {
      if (said.size >= INTERFACES_CHECKED) return null;
      const answer = behind(r);
      if (answer === null || typeof answer === 'string') said.set(eni, answer);
      else {
        // An interface the case cannot place is counted only when nothing from outside came in on these
        // ports before the opening: the opening is then what made it reachable, not some other rule.
        if (takenBefore === undefined) takenBefore = interfacesTakingConnections(db, rules, dstPorts, from, charge);
        said.set(eni, takenBefore === null || takenBefore.has(eni) ? null : `${answer.unplaced}, which took no connection on these ports from outside before the opening`);
      }
    }
    return said.get(eni)!;
  };
  scanFlowRecords(db, { action: 'ACCEPT', from, to: to ?? undefined, dstPorts }, (cols, i) => {
    const r = cols.row(i);
    if (!fromOutside(r, rules, dstPorts)) return;
    const where = target(r);
    if (where === null) return;
    let peer = peers.get(r.srcaddr!);
    if (!peer) {
      if (peers.size >= ADDRESSES_COUNTED) {
        const kept = [...peers.values()].sort(mostData).slice(0, ADDRESSES_COUNTED / 2);
        letGo += peers.size - kept.length;
        peers = new Map(kept.map((p) => [p.address, p]));
      }
      peers.set(r.srcaddr!, (peer = { address: r.srcaddr!, records: 0, bytes: 0, first: r.startTime, last: r.startTime, targets: new Set() }));
    }
    peer.records++;
    peer.bytes += r.bytes ?? 0;
    peer.first = Math.min(peer.first, r.startTime);
    peer.last = Math.max(peer.last, r.startTime);
    if (peer.targets.size < TARGETS_NAMED) peer.targets.add(where);
  }, { decoded: charge });
  if (peers.size === 0) return cut ? 'unread' : null;
  const all = [...peers.values()].sort(mostData);
  return {
    peers: all, letGo, cut,
    first: all.reduce((t, p) => Math.min(t, p.first), Infinity), last: all.reduce((t, p) => Math.max(t, p.last), -Infinity),
  };
}

function mostData(a: Peer, b: Peer): number {
  return b.bytes - a.bytes || b.records - a.records || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
}

/** How many addresses came in, in words: "4", or "more than 10,000" once some were let go. */
export function addressCount(seen: OutsideFlows): string {
  return seen.letGo ? `more than ${ADDRESSES_COUNTED.toLocaleString('en-US')}` : seen.peers.length.toLocaleString('en-US');
}

/** The connections in words, the most data first. */
export function outsideFlowsWords(seen: OutsideFlows): string {
  const { peers, letGo, cut } = seen;
  // Where they came in is said once when it is one place for all, else per address.
  const places = new Set(peers.flatMap((p) => [...p.targets]));
  const one = places.size === 1 ? [...places][0] : null;
  const named = peers.slice(0, ADDRESSES_NAMED).map((p) =>
    `${p.address} (${p.records.toLocaleString('en-US')} record${p.records === 1 ? '' : 's'}, ${formatBytes(p.bytes)}, from ${iso(p.first)}${one ? '' : `, to ${[...p.targets].join(', ')}`})`);
  const more = letGo ? `more than ${(ADDRESSES_COUNTED - named.length).toLocaleString('en-US')}` : (peers.length - named.length).toLocaleString('en-US');
  return `Accepted flows from ${addressCount(seen)} address${peers.length === 1 && !letGo ? '' : 'es'} outside came in through the opening while it was open${one ? `, to ${one}` : ''}, the most data first: ` +
    `${named.join('; ')}${more !== '0' ? `; and ${more} more` : ''}${cut ? ` (the flow records read only in part: this run reached its ${FLOW_RECORDS_PER_RUN.toLocaleString('en-US')})` : ''}.`;
}
