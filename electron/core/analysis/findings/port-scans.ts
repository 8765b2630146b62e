// Port scans as findings (QUESTIONS.md "Is someone scanning us?"; GuardDuty's Recon:EC2/Portscan and
// Recon:EC2/PortProbeUnprotectedPort, Panther's AWS.VPC.PortScanning): the scans the flow records hold
// (flows/port-scan-windows.ts), each named by the host it tried the most ports of, or a sweep by its
// ports and number of hosts. From inside (an address of the account's own networks, or one an interface
// logged the records as leaving) it is medium: an instance scanning its neighbours is what an intruder
// does after getting in, and no CloudTrail event says so; it carries the scanning instance's actor, so
// it joins that instance's incident. From outside it is low, since the internet's scanners try every
// public address, and high when the scanner then got in: accepted records of more than a handshake from
// it to a host and port it had probed.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { clipStrings, FLOW_FINDING_INTERFACES } from '../../../../shared/api/bounds.ts';
import { scanFlowRecords } from '../flows/flow-records.ts';
import { instanceOfInterface, interfaceAddresses } from '../flows/interface-groups.ts';
import { findScans, targetsOf, type Scan, type Target } from '../flows/port-scan-windows.ts';
import { IN, OUT } from '../flows/probe-reader.ts';
import { AddressOwners } from '../flows/address-owners.ts';
import { isPrivate } from '../attribution/instance-addresses.ts';
import { findActors, toResolvedActor } from '../attribution/actor-report.ts';
import { iso } from '../prepared.ts';
import { binaryOrder } from '../../text-order.ts';
import { withName } from './instances-in-words.ts';
import { FLOW_RECORDS_PER_RUN } from './outside-flows.ts';
import { builtinRule } from './builtin/builtin-rules.ts';
import type { ActorScope } from './new-values.ts';

export const PORT_SCAN_RULE = 'port-scan';
export const OUTSIDE_SCAN_RULE = 'port-scan-from-outside';
/** Packets of one record past which a connection is more than a scanner's handshake and banner grab. */
const SESSION_PACKETS = 20;
/** Connections into probed ports a scanner's later records are counted for. */
const CONNECTIONS_KEPT = 1_000;
/** Findings of one run from each side, the sources with the most ports first. */
const SOURCES_REPORTED = 200;
const TARGETS_NAMED = 3;
const PORTS_NAMED = 12;
/** Ports a title lists one by one (a sweep's), where more are counted. */
const PORTS_LISTED_IN_TITLE = 3;
/** Characters of an address or interface id from a record in the words (data: cut, with the clipped note). */
const TEXT_CHARS = 64;

/** The findings of port scans, and what the run could not read. A scope (an actor report) has none: flows carry no credential. */
export function portScans(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: ActorScope): { findings: Finding[]; notes: string[] } {
  if (scope) return { findings: [], notes: [] };
  const notes: string[] = [];
  const owners = new AddressOwners(db);
  // A public IPv6 address an instance holds is the account's: its sweeps are counted as inside ones. (An
  // interface logs its own private IPv4 address, never the public one, so only IPv6 is looked up: the
  // owners are read only when a case has such a source.)
  const scans = findScans(db, FLOW_RECORDS_PER_RUN, notes, (address) => address.includes(':') && owners.instanceOf(address) !== null).map(placed);
  const byInstance = new Map<string, ResolvedActor | null>();
  const budget = { flowRecords: FLOW_RECORDS_PER_RUN };
  const findings: Finding[] = [];
  // Scans from inside first: the internet's can be many, and are held to the same count on their own.
  for (const [from, list] of [['inside', scans.filter((s) => s.inside)], ['outside', scans.filter((s) => !s.inside)]] as const) {
    if (list.length > SOURCES_REPORTED) notes.push(`${list.length.toLocaleString('en-US')} port scans from ${from}: the ${SOURCES_REPORTED} that tried the most ports are findings`);
    for (const s of list.slice(0, SOURCES_REPORTED)) findings.push(scanFinding(db, s, (instance) => instanceActor(db, actors, byInstance, instance), owners, budget));
  }
  return { findings, notes };
}

/**
 * A scan from a public IPv6 address that the records do not place (version 2 says no direction): from
 * inside when one interface logged its probes of several hosts, as only the scanner's own can (a
 * target's logs its own). Told from the records alone, so a crafted case of thousands of such scans asks
 * nothing of the case; an address an instance holds was placed by the first pass. An IPv4 source inside
 * is a private address: an interface logs its own private address, not the public one the internet sees.
 */
function placed(s: Scan): Scan {
  if (s.inside || !s.source.includes(':')) return s;
  for (const { side, hosts } of interfaceSides(targetsOf(s)).values()) if ((side & (IN | OUT)) === 0 && hosts >= 2) return { ...s, inside: true };
  return s;
}

/** The actor of an instance's sessions, when the scanning interface belongs to one the case knows: the scan joins its incident. */
function instanceActor(db: CaseDb, actors: Map<number, ResolvedActor>, cache: Map<string, ResolvedActor | null>, instance: string): ResolvedActor | null {
  if (cache.has(instance)) return cache.get(instance)!;
  const found = findActors(db, instance);
  const row = found?.matchedBy === 'origin' ? found.rows[0] : undefined;
  let actor: ResolvedActor | null = null;
  if (row) {
    actor = actors.get(row.id) ?? toResolvedActor(db, row);
    actors.set(row.id, actor);
  }
  cache.set(instance, actor);
  return actor;
}

function scanFinding(db: CaseDb, s: Scan, actorOf: (instance: string) => ResolvedActor | null, owners: AddressOwners, budget: { flowRecords: number }): Finding {
  const targets = targetsOf(s);
  const ports = new Set<number>();
  const through = new Set<number>();
  let records = 0;
  let rejected = 0;
  for (const t of targets) {
    for (const p of t.ports) ports.add(p);
    for (const p of t.through) through.add(p);
    records += t.records;
    rejected += t.rejected;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  const source = clipStrings(s.source, TEXT_CHARS);
  const top = targets[0];
  const interfaces = [...new Set(targets.flatMap((t) => [...t.interfaces.keys()]))].sort(binaryOrder).slice(0, FLOW_FINDING_INTERFACES);
  // From inside the scanner may be an instance of the case; the host it tried most may be one too.
  // A public address inside, where no interface of the scanner says whose it is, by the instance that held it.
  const scanner = s.inside ? scannerOf(db, s.source, targets) ?? ownerSide(owners, s.source, s.first) : null;
  const targetInstance = targetInstanceOf(db, top, scanner, s.inside) ?? owners.instanceOf(top.address, s.first);
  const who = scanner?.instance ? ` (${withName(db, scanner.instance)})` : '';
  const topName = `${clipStrings(top.address, TEXT_CHARS)}${targetInstance ? ` (${withName(db, targetInstance)})` : ''}`;
  const onWhat = targets.length === 1 ? topName : `${n(targets.length)} hosts`;
  const portList = (set: Set<number>) => {
    const sorted = [...set].sort((a, b) => a - b);
    return `${sorted.slice(0, PORTS_NAMED).join(', ')}${sorted.length > PORTS_NAMED ? `, … ${n(sorted.length - PORTS_NAMED)} more` : ''}`;
  };
  const portsWord = (k: number) => `${n(k)} ${k === 1 ? 'port' : 'ports'}`;
  // A sweep tries a port or two of many hosts: named by its ports, where a scan of a host is by their number.
  const whatPorts = ports.size <= PORTS_LISTED_IN_TITLE ? `${ports.size === 1 ? 'port' : 'ports'} ${[...ports].sort((a, b) => a - b).join(', ')}` : portsWord(ports.size);
  const named = targets.slice(0, TARGETS_NAMED).map((t, i) => `${i === 0 ? topName : clipStrings(t.address, TEXT_CHARS)} (${portsWord(t.ports.size)})`);
  const more = targets.length - named.length;
  const gotIn = s.inside ? null : laterSession(db, s, targets, budget);
  const detail = `${source}${who} tried ${n(ports.size)} destination ${ports.size === 1 ? 'port' : 'ports'} (${portList(ports)}) of ${named.join(', ')}${more > 0 ? ` and ${n(more)} more hosts` : ''}, ` +
    `${iso(s.first)} to ${iso(s.last)}: ${n(records)} flow records, ${n(rejected)} rejected. ` +
    (through.size ? `Let through by the security groups and network ACLs: ${portList(through)}. ` : 'Every probe was rejected. ') +
    (gotIn ? `Then it got in: ${clipStrings(gotIn.target, TEXT_CHARS)} port ${gotIn.port} accepted ${n(gotIn.records)} records of more than a handshake (${n(gotIn.packets)} packets) from ${iso(gotIn.first)}. ` : '') +
    (interfaces.length ? `Logged on ${interfaces.map((e) => clipStrings(e, TEXT_CHARS)).join(', ')}.` : '');
  const title = s.inside ? `Port scan from ${source}${who}: ${whatPorts} of ${onWhat}`
    : `Port scan from outside: ${source} tried ${whatPorts} of ${onWhat}${gotIn ? `, then got in on port ${gotIn.port}` : ''}`;
  return {
    kind: 'port-scan', category: gotIn ? 'initial-access' : 'discovery', severity: s.inside ? 'medium' : gotIn ? 'high' : 'low',
    title, detail: detail.trim(),
    firstTime: iso(s.first)!, lastTime: iso(Math.max(s.last, gotIn?.first ?? s.last))!, count: records,
    eventIds: [], eventNames: [], sourceIPAddress: s.source, value: s.source, errorCode: null,
    actor: scanner?.instance ? actorOf(scanner.instance) : null,
    ...(s.inside ? {} : { rule: builtinRule(OUTSIDE_SCAN_RULE) }),
    evidence: [
      { field: 'srcaddr', value: source },
      { field: 'dstaddr', value: targets.length === 1 ? topName : `${named.join(', ')}${more > 0 ? `, ${n(more)} more` : ''}` },
      { field: 'dstport', value: `${n(ports.size)} distinct: ${portList(ports)}` },
      { field: 'action', value: `${n(rejected)} of ${n(records)} REJECT` },
    ],
    flows: { source: s.source, accountId: s.account, interfaces, instanceId: s.inside ? scanner?.instance ?? null : targetInstance, records, rejected },
  };
}

type Session = { target: string; port: number; first: number; records: number; packets: number };

/**
 * Whether a scanner from outside got in after its scan: accepted records from it of more than a
 * handshake (SESSION_PACKETS) to a host and port it had probed: the earliest such connection, with its
 * records and packets. Reads the scanner's blocks from its first probe on, charged
 * to the run's `budget`; null when none (or none within the budget).
 */
function laterSession(db: CaseDb, s: Scan, targets: Target[], budget: { flowRecords: number }): Session | null {
  if (budget.flowRecords <= 0) return null;
  const probed = new Map(targets.map((t) => [t.address, t.ports]));
  // Per host and port it got into: the first time, records and packets (at most CONNECTIONS_KEPT of them).
  const connections = new Map<string, Session>();
  scanFlowRecords(db, { srcaddr: s.source, action: 'ACCEPT', from: s.first }, (cols, i) => {
    const dst = cols.textOf(cols.ids.dstaddr?.[i] ?? 0);
    const port = cols.num.dstport?.[i];
    const packets = cols.num.packets?.[i] ?? 0;
    const t = cols.num.startTime?.[i];
    if (dst === null || port === undefined || t === undefined || !(packets > SESSION_PACKETS) || !probed.get(dst)?.has(port)) return;
    const key = `${port} ${dst}`;
    const c = connections.get(key);
    if (c) {
      c.records++;
      c.packets += packets;
      c.first = Math.min(c.first, t);
    } else if (connections.size < CONNECTIONS_KEPT) connections.set(key, { target: dst, port, first: t, records: 1, packets });
  }, { decoded: (records) => (budget.flowRecords -= records) > 0 });
  return [...connections.values()].sort((a, b) => a.first - b.first || a.port - b.port || binaryOrder(a.target, b.target))[0] ?? null;
}

/** An interface that logged a scan's records and the instance it belongs to (null when the case does not say). */
type Side = { eni: string | null; instance: string | null };

/**
 * The instance that held a public source address when the scan began (no interface known). A private one
 * is not looked up: it may belong to what the case never saw launched (a task, a function, an instance
 * of before its window), and naming the wrong instance would put the scan into its sessions' incident.
 */
function ownerSide(owners: AddressOwners, source: string, at: number): Side | null {
  const instance = isPrivate(source) ? null : owners.instanceOf(source, at);
  return instance === null ? null : { eni: null, instance };
}

/**
 * The scanner's interface, among those that logged the scan's records: one that logged them as leaving
 * it; else, where the records do not say (before version 5), one the case gives the source's address
 * (interfaceAddresses), or one that logged the probes of several hosts (a target's interface logs only
 * its own). Its instance is the interface's, as snapshots and calls record it.
 */
function scannerOf(db: CaseDb, source: string, targets: Target[]): Side | null {
  const sides = interfaceSides(targets);
  for (const eni of [...sides.keys()].sort(binaryOrder)) {
    const { side, hosts } = sides.get(eni)!;
    if ((side & IN) !== 0) continue;
    const instance = instanceOfInterface(db, eni);
    if ((side & OUT) === 0 && hosts < 2 && !interfaceAddresses(db, eni, instance).includes(source)) continue;
    return { eni, instance };
  }
  return null;
}

/** The `eni-` interfaces that logged a scan's probes: the sides they logged them as (OUT, IN, UNSAID), and of how many hosts. */
function interfaceSides(targets: Target[]): Map<string, { side: number; hosts: number }> {
  const sides = new Map<string, { side: number; hosts: number }>();
  for (const t of targets) {
    for (const [eni, side] of t.interfaces) {
      if (!eni.startsWith('eni-')) continue;
      const s = sides.get(eni) ?? { side: 0, hosts: 0 };
      s.side |= side;
      s.hosts++;
      sides.set(eni, s);
    }
  }
  return sides;
}

/**
 * The instance of a scanned host, by the interfaces that logged its probes, the scanner's left out: one
 * that logged them as entering it, or, where the records do not say, one the case gives the host's
 * address, or any when the scanner is outside (then every interface that logged them is a target's).
 */
function targetInstanceOf(db: CaseDb, target: Target, scanner: Side | null, inside: boolean): string | null {
  for (const [eni, side] of [...target.interfaces].sort(([a], [b]) => binaryOrder(a, b))) {
    if (!eni.startsWith('eni-') || eni === scanner?.eni || (side & OUT) !== 0) continue;
    const instance = instanceOfInterface(db, eni);
    if (instance === null || ((side & IN) === 0 && inside && !interfaceAddresses(db, eni, instance).includes(target.address))) continue;
    return instance;
  }
  return null;
}
