// Port scans in the flow records (QUESTIONS.md "Is someone scanning us?"; GuardDuty's Recon:EC2/Portscan
// and Recon:EC2/PortProbeUnprotectedPort, Panther's AWS.VPC.PortScanning): an address that tried many
// ports of one host within the hour. From inside (an address of the account's own networks, or one an
// interface logged the records as leaving) it is medium: an instance scanning its neighbours is what an
// intruder does after getting in, and no CloudTrail event says so. From outside it is low, since the
// internet's scanners try every public address, and high when the scanner then got in: accepted
// records of more than a handshake from it to a host and port it had probed.
//
// A probe is a connection attempt: a TCP record whose flags show the initiator's SYN without the answer's
// SYN-ACK, or, without flags (version 2 records, UDP), one whose destination port is below its source
// port; and refused, or accepted with at most three packets. A server's answers to its clients go from
// its one service port to their ephemeral ports, and would otherwise read as one client probed on
// hundreds of ports; a load balancer's health checks of a node's ports are whole connections.
//
// Two passes over the records, each a scan of the column blocks without building records:
//   1. distinct ports per (account, source, target) over the whole case, capped at the threshold: a
//      client and its service never reach it, so in a case without a scan this is the only pass;
//   2. for the pairs that did, the ports per window of an hour, on two grids half an hour apart (any
//      half hour lies within one of them), with the records, refusals and interfaces of each window.
// A pair's windows that reach the threshold are its scan; a source's scans less than an hour apart are
// one finding, named by the host it tried the most ports of.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowColumns } from '../../db/flow-block-codec.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';
import { scanFlowRecords } from '../flows/flow-records.ts';
import { instanceOfInterface, interfaceAddresses } from '../flows/interface-groups.ts';
import { isPrivate } from '../attribution/instance-addresses.ts';
import { findActors, toResolvedActor } from '../attribution/actor-report.ts';
import { iso } from '../prepared.ts';
import { binaryOrder } from '../../text-order.ts';
import { withName } from './instances-in-words.ts';
import { EPHEMERAL_PORTS_FROM, FLOW_RECORDS_PER_RUN } from './outside-flows.ts';
import { builtinRule } from './builtin/builtin-rules.ts';
import type { ActorScope } from './new-values.ts';

export const PORT_SCAN_RULE = 'port-scan';
export const OUTSIDE_SCAN_RULE = 'port-scan-from-outside';
/** Packets of one record past which a connection is more than a scanner's handshake and banner grab. */
const SESSION_PACKETS = 20;
/** Distinct destination ports of one host, of those counted, that make a scan (Panther's rule: 10 within the hour). */
export const PORTS_TO_FLAG = 10;
/** Ports every client reaches on many hosts: they do not count toward a scan (they are still listed). */
const COMMON_PORTS = new Set([53, 80, 123, 443]);
/**
 * Whether a destination port counts toward a scan: not a common one, and below the ephemeral range,
 * where Windows' RPC and passive FTP put the ports a client is told to use (a domain member talking to
 * its controller reaches dozens of them an hour) and traceroute sends to (33434 on). Scanners try the
 * low ports first.
 */
const counts = (port: number) => port < EPHEMERAL_PORTS_FROM && !COMMON_PORTS.has(port);
const WINDOW_MS = 3_600_000;
/** Scans of one source at most this far apart are one finding. */
const EPISODE_GAP_MS = 3_600_000;
/** Pairs tallied in the first pass: past it, new pairs are not checked and the run says so. */
const PAIRS_TALLIED = 1_000_000;
/** Pairs whose windows the second pass counts: a case with more is a network of scanners, said in a note. */
const PAIRS_WINDOWED = 10_000;
/** Findings of one run, the sources with the most ports first. */
const SOURCES_REPORTED = 200;
const TARGETS_NAMED = 3;
const PORTS_NAMED = 12;
const INTERFACES_KEPT = 5;
/** Characters of an address or interface id from a record in the words (data: cut, with the clipped note). */
const TEXT_CHARS = 64;
/** Sources and targets numbered in a run (2^26 each way keeps a pair's number exact). */
const MAX_NUMBERED = 2 ** 26;
const UNREAD = -2;
/**
 * Packets of an accepted record that can still be a probe: a SYN and its retry, or a connect scan's
 * SYN, ACK and RST. A load balancer's health check sends four or more (handshake, close), so one
 * checking a dozen NodePorts of a node is no scan.
 */
const KNOCK_PACKETS = 3;
const OUT = 1;
const IN = 2;
const UNSAID = 4;
const TCP = 6;
const UDP = 17;
const SYN = 2;
const ACK = 16;

type Window = {
  ports: Set<number>;
  /** Ports that count (`counts`): what the threshold is of. */
  counted: number;
  records: number;
  rejected: number;
  /** Ports some record of which was accepted: the security groups and ACLs let them through. */
  through: Set<number>;
  first: number;
  last: number;
  /** Interfaces that logged the window's records, each with the sides it logged them as (OUT, IN, UNSAID). */
  interfaces: Map<string, number>;
};
type Pair = { source: string; account: string | null; inside: boolean; target: string; windows: Map<number, Window> };
/** One source's scan: the hours of each host it scanned, first to last. */
type Scan = { source: string; account: string | null; inside: boolean; hours: { target: string; w: Window }[]; first: number; last: number };

/** The findings of port scans, and what the run could not read. A scope (an actor report) has none: flows carry no credential. */
export function portScans(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: ActorScope): { findings: Finding[]; notes: string[] } {
  if (scope) return { findings: [], notes: [] };
  const notes: string[] = [];
  const reader = new ProbeReader(new Numbering());
  const over = pairsOverThreshold(db, reader, notes);
  if (over.size === 0) return { findings: [], notes };
  const scans = scansOf(windowedPairs(db, reader, over, notes));
  const byInstance = new Map<string, ResolvedActor | null>();
  const budget = { flowRecords: FLOW_RECORDS_PER_RUN };
  const findings: Finding[] = [];
  // Scans from inside first: the internet's can be many, and are held to the same count on their own.
  for (const [from, list] of [['inside', scans.filter((s) => s.inside)], ['outside', scans.filter((s) => !s.inside)]] as const) {
    if (list.length > SOURCES_REPORTED) notes.push(`${list.length.toLocaleString('en-US')} port scans from ${from}: the ${SOURCES_REPORTED} that tried the most ports are findings`);
    for (const s of list.slice(0, SOURCES_REPORTED)) findings.push(scanFinding(db, s, (instance) => instanceActor(db, actors, byInstance, instance), budget));
  }
  return { findings, notes };
}

/**
 * Sources (`account\0address`) and targets numbered as met, shared by both passes, so a pair is one
 * number: a million pairs held as texts took about 200 MB.
 */
class Numbering {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();

  /** The text's number, or -1 once MAX_NUMBERED texts are numbered. */
  numberOf(text: string): number {
    let n = this.index.get(text);
    if (n === undefined) {
      if (this.texts.length >= MAX_NUMBERED) return -1;
      n = this.texts.length;
      this.index.set(text, n);
      this.texts.push(text);
    }
    return n;
  }
}

/** What a record is to a scan: its source and target by number, and its port, when it is a probe. */
class ProbeReader {
  private cols: FlowColumns | null = null;
  private sourceOf = new Map<number, number>();
  private targetOf = new Int32Array(0);
  private egress = 0;
  private ingress = 0;
  private reject = 0;
  private text: (id: number) => string | null = () => null;
  /** Sources some record shows inside: an address of private networks, or one the record was logged as leaving. */
  readonly inside = new Set<number>();

  constructor(readonly numbering: Numbering) {}

  /** Readies the per-block caches when a new block begins. */
  block(cols: FlowColumns): void {
    if (cols === this.cols) return;
    this.cols = cols;
    this.sourceOf = new Map();
    this.targetOf = new Int32Array(cols.texts + 1).fill(UNREAD);
    this.egress = cols.idOf('egress');
    this.ingress = cols.idOf('ingress');
    this.reject = cols.idOf('REJECT');
    const cache = new Map<number, string | null>();
    this.text = (id) => {
      if (id === 0) return null;
      let t = cache.get(id);
      if (t === undefined) cache.set(id, (t = cols.textOf(id)));
      return t;
    };
  }

  /** The record's source number, or -1 when it is no probe. */
  source(i: number): number {
    const c = this.cols!;
    const proto = c.num.protocol?.[i];
    if (proto !== TCP && proto !== UDP) return -1;
    const sport = c.num.srcport?.[i];
    const dport = c.num.dstport?.[i];
    if (!(sport! >= 0 && dport! >= 0) || !Number.isFinite(c.num.startTime?.[i])) return -1;
    const flags = proto === TCP ? c.num.tcpFlags?.[i] : undefined;
    if (flags !== undefined && Number.isFinite(flags) && flags > 0) {
      if ((flags & SYN) === 0 || (flags & ACK) !== 0) return -1;
    } else if (dport! >= sport!) return -1;
    // More than a knock: a connection made (a health check's handshake and close are four packets).
    const packets = c.num.packets?.[i];
    if (packets! > KNOCK_PACKETS && !this.rejected(i)) return -1;
    const pkt = c.ids.pktSrcaddr?.[i] ?? 0;
    const src = pkt > 0 && this.text(pkt) !== '-' ? pkt : (c.ids.srcaddr?.[i] ?? 0);
    if (src === 0) return -1;
    const account = c.ids.accountId?.[i] ?? 0;
    const outbound = this.egress > 0 && c.ids.flowDirection?.[i] === this.egress;
    const key = account * 4_294_967_296 + src * 2 + (outbound ? 1 : 0);
    let n = this.sourceOf.get(key);
    if (n === undefined) {
      const address = this.text(src)!;
      n = address === '-' ? -1 : this.numbering.numberOf(`${this.text(account) ?? ''}\u0000${address}`);
      if (n >= 0 && (outbound || isPrivate(address)) && this.inside.size < MAX_NUMBERED) this.inside.add(n);
      this.sourceOf.set(key, n);
    }
    return n;
  }

  /** The record's target number, or -1. */
  target(i: number): number {
    const id = this.cols!.ids.dstaddr?.[i] ?? 0;
    let n = this.targetOf[id];
    if (n === UNREAD) {
      const t = this.text(id);
      n = this.targetOf[id] = t === null || t === '-' ? -1 : this.numbering.numberOf(t);
    }
    return n;
  }

  port(i: number): number {
    return this.cols!.num.dstport![i];
  }

  start(i: number): number {
    return this.cols!.num.startTime![i];
  }

  rejected(i: number): boolean {
    return this.reject > 0 && this.cols!.ids.action?.[i] === this.reject;
  }

  interfaceOf(i: number): string | null {
    return this.text(this.cols!.ids.interfaceId?.[i] ?? 0);
  }

  /** The side the record's interface logged it as: leaving it (the scanner's), entering it (a target's), or not said (before version 5). */
  side(i: number): number {
    const d = this.cols!.ids.flowDirection?.[i] ?? 0;
    return d > 0 && d === this.egress ? OUT : d > 0 && d === this.ingress ? IN : UNSAID;
  }
}

const pairOf = (source: number, target: number) => source * MAX_NUMBERED + target;

/**
 * Pass 1: the (source, target) pairs with at least PORTS_TO_FLAG distinct ports that count in the whole
 * case, by number. A pair's ports are one number until it has a second (most pairs never do).
 */
function pairsOverThreshold(db: CaseDb, reader: ProbeReader, notes: string[]): Set<number> {
  const ports = new Map<number, number | number[]>();
  const over = new Set<number>();
  let untallied = 0;
  let read = 0;
  scanFlowRecords(db, {}, (cols, i) => {
    reader.block(cols);
    const source = reader.source(i);
    if (source < 0) return;
    const port = reader.port(i);
    if (!counts(port)) return;
    const target = reader.target(i);
    if (target < 0) return;
    const key = pairOf(source, target);
    if (over.has(key)) return;
    const had = ports.get(key);
    if (had === undefined) {
      if (ports.size >= PAIRS_TALLIED) untallied++;
      else ports.set(key, port);
      return;
    }
    if (had === port || (typeof had !== 'number' && had.includes(port))) return;
    const list = typeof had === 'number' ? [had, port] : (had.push(port), had);
    if (list.length >= PORTS_TO_FLAG) {
      over.add(key);
      ports.delete(key);
    } else ports.set(key, list);
  }, { decoded: (n) => (read += n) <= FLOW_RECORDS_PER_RUN });
  if (read > FLOW_RECORDS_PER_RUN) notes.push(`Port scans looked for in the first ${FLOW_RECORDS_PER_RUN.toLocaleString('en-US')} flow records only`);
  if (untallied) notes.push(`Port scans not looked for between more than ${PAIRS_TALLIED.toLocaleString('en-US')} pairs of addresses: ${untallied.toLocaleString('en-US')} records of others were not counted`);
  return over;
}

/** Pass 2: the windows of the candidate pairs (at most PAIRS_WINDOWED, the first met). */
function windowedPairs(db: CaseDb, reader: ProbeReader, candidates: Set<number>, notes: string[]): Pair[] {
  if (candidates.size > PAIRS_WINDOWED) notes.push(`${candidates.size.toLocaleString('en-US')} pairs of addresses with many ports: the first ${PAIRS_WINDOWED.toLocaleString('en-US')} were checked for scans`);
  const texts = reader.numbering.texts;
  const pairs = new Map<number, Pair>();
  for (const key of [...candidates].slice(0, PAIRS_WINDOWED)) {
    const source = Math.floor(key / MAX_NUMBERED);
    const [account, address] = texts[source].split('\u0000');
    pairs.set(key, { source: address, account: account || null, inside: reader.inside.has(source), target: texts[key % MAX_NUMBERED], windows: new Map() });
  }
  let read = 0;
  scanFlowRecords(db, {}, (cols, i) => {
    reader.block(cols);
    const source = reader.source(i);
    if (source < 0) return;
    const target = reader.target(i);
    const pair = target < 0 ? undefined : pairs.get(pairOf(source, target));
    if (!pair) return;
    const t = reader.start(i);
    const port = reader.port(i);
    // Window keys: grid 0 at the hour, grid 1 half an hour later.
    for (const key of [Math.floor(t / WINDOW_MS) * 2, Math.floor((t + WINDOW_MS / 2) / WINDOW_MS) * 2 + 1]) {
      let w = pair.windows.get(key);
      if (!w) pair.windows.set(key, (w = { ports: new Set(), counted: 0, records: 0, rejected: 0, through: new Set(), first: t, last: t, interfaces: new Map() }));
      if (!w.ports.has(port)) {
        w.ports.add(port);
        if (counts(port)) w.counted++;
      }
      w.records++;
      if (reader.rejected(i)) w.rejected++;
      else w.through.add(port);
      w.first = Math.min(w.first, t);
      w.last = Math.max(w.last, t);
      const eni = reader.interfaceOf(i);
      if (eni !== null && eni !== '-' && (w.interfaces.has(eni) || w.interfaces.size < INTERFACES_KEPT)) w.interfaces.set(eni, (w.interfaces.get(eni) ?? 0) | reader.side(i));
    }
  }, { decoded: (n) => (read += n) <= FLOW_RECORDS_PER_RUN });
  return [...pairs.values()];
}

/**
 * Each source's scans: the hours (grid 0, which does not overlap itself) that a window of a pair
 * reaching the threshold meets, on either grid, then a source's hours less than EPISODE_GAP_MS apart
 * joined. Most ports first.
 */
function scansOf(pairs: Pair[]): Scan[] {
  type Hour = { source: string; account: string | null; inside: boolean; target: string; w: Window };
  const hours: Hour[] = [];
  for (const p of pairs) {
    const marked = new Set<number>();
    for (const [key, w] of p.windows) {
      if (w.counted < PORTS_TO_FLAG) continue;
      const index = Math.floor(key / 2);
      // A grid-1 window runs from half past the hour before `index` to half past `index`.
      for (const h of key % 2 === 0 ? [index] : [index - 1, index]) if (p.windows.has(h * 2)) marked.add(h * 2);
    }
    for (const key of marked) hours.push({ source: p.source, account: p.account, inside: p.inside, target: p.target, w: p.windows.get(key)! });
  }
  const bySource = new Map<string, Hour[]>();
  for (const h of hours) {
    const k = `${h.account ?? ''}\u0000${h.source}`;
    const list = bySource.get(k);
    if (list) list.push(h);
    else bySource.set(k, [h]);
  }
  const scans: Scan[] = [];
  for (const list of bySource.values()) {
    list.sort((a, b) => a.w.first - b.w.first || binaryOrder(a.target, b.target));
    let scan: Scan | null = null;
    for (const h of list) {
      if (scan && h.w.first - scan.last <= EPISODE_GAP_MS) {
        scan.hours.push({ target: h.target, w: h.w });
        scan.last = Math.max(scan.last, h.w.last);
        continue;
      }
      if (scan) scans.push(scan);
      scan = { source: h.source, account: h.account, inside: h.inside, hours: [{ target: h.target, w: h.w }], first: h.w.first, last: h.w.last };
    }
    if (scan) scans.push(scan);
  }
  const tried = new Map(scans.map((s) => [s, targetsOf(s).reduce((n, t) => n + t.ports.size, 0)]));
  return scans.sort((a, b) => tried.get(b)! - tried.get(a)! || a.first - b.first || binaryOrder(a.source, b.source));
}

type Target = { address: string; ports: Set<number>; through: Set<number>; records: number; rejected: number; interfaces: Map<string, number> };

/** A scan's hours summed per host, the host of the most ports first. */
function targetsOf(s: Scan): Target[] {
  const by = new Map<string, Target>();
  for (const { target, w } of s.hours) {
    let t = by.get(target);
    if (!t) by.set(target, (t = { address: target, ports: new Set(), through: new Set(), records: 0, rejected: 0, interfaces: new Map() }));
    for (const p of w.ports) t.ports.add(p);
    for (const p of w.through) t.through.add(p);
    for (const [e, side] of w.interfaces) if (t.interfaces.has(e) || t.interfaces.size < INTERFACES_KEPT) t.interfaces.set(e, (t.interfaces.get(e) ?? 0) | side);
    t.records += w.records;
    t.rejected += w.rejected;
  }
  return [...by.values()].sort((a, b) => b.ports.size - a.ports.size || binaryOrder(a.address, b.address));
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

function scanFinding(db: CaseDb, s: Scan, actorOf: (instance: string) => ResolvedActor | null, budget: { flowRecords: number }): Finding {
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
  const interfaces = [...new Set(targets.flatMap((t) => [...t.interfaces.keys()]))].sort(binaryOrder).slice(0, INTERFACES_KEPT);
  // From inside the scanner is an instance of the case; from outside, the host it tried most may be.
  const scanner = s.inside ? scannerOf(db, s.source, targets) : null;
  const targetInstance = s.inside ? null : [...top.interfaces.keys()].sort(binaryOrder).map((eni) => (eni.startsWith('eni-') ? instanceOfInterface(db, eni) : null)).find((i) => i !== null) ?? null;
  const who = scanner ? ` (${withName(db, scanner)})` : '';
  const topName = `${clipStrings(top.address, TEXT_CHARS)}${targetInstance ? ` (${withName(db, targetInstance)})` : ''}`;
  const onWhat = targets.length === 1 ? topName : `${n(targets.length)} hosts`;
  const portList = (set: Set<number>) => {
    const sorted = [...set].sort((a, b) => a - b);
    return `${sorted.slice(0, PORTS_NAMED).join(', ')}${sorted.length > PORTS_NAMED ? `, … ${n(sorted.length - PORTS_NAMED)} more` : ''}`;
  };
  const named = targets.slice(0, TARGETS_NAMED).map((t, i) => `${i === 0 ? topName : clipStrings(t.address, TEXT_CHARS)} (${n(t.ports.size)} ports)`);
  const more = targets.length - named.length;
  const inside = s.inside ? null : laterSession(db, s, targets, budget);
  const detail = `${source}${who} tried ${n(ports.size)} destination ports (${portList(ports)}) of ${named.join(', ')}${more > 0 ? ` and ${n(more)} more hosts` : ''}, ` +
    `${iso(s.first)} to ${iso(s.last)}: ${n(records)} flow records, ${n(rejected)} rejected. ` +
    (through.size ? `Let through by the security groups and network ACLs: ${portList(through)}. ` : 'Every probe was rejected. ') +
    (inside ? `Then it got in: ${clipStrings(inside.target, TEXT_CHARS)} port ${inside.port} accepted ${n(inside.records)} records of more than a handshake (${n(inside.packets)} packets) from ${iso(inside.first)}. ` : '') +
    (interfaces.length ? `Logged on ${interfaces.map((e) => clipStrings(e, TEXT_CHARS)).join(', ')}.` : '');
  const title = s.inside ? `Port scan from ${source}${who}: ${n(ports.size)} ports of ${onWhat}`
    : `Port scan from outside: ${source} tried ${n(ports.size)} ports of ${onWhat}${inside ? `, then got in on port ${inside.port}` : ''}`;
  return {
    kind: 'port-scan', category: inside ? 'initial-access' : 'discovery', severity: s.inside ? 'medium' : inside ? 'high' : 'low',
    title, detail: detail.trim(),
    firstTime: iso(s.first)!, lastTime: iso(Math.max(s.last, inside?.first ?? s.last))!, count: records,
    eventIds: [], eventNames: [], sourceIPAddress: s.source, value: s.source, errorCode: null,
    actor: scanner ? actorOf(scanner) : null,
    ...(s.inside ? {} : { rule: builtinRule(OUTSIDE_SCAN_RULE) }),
    evidence: [
      { field: 'srcaddr', value: source },
      { field: 'dstaddr', value: targets.length === 1 ? topName : `${named.join(', ')}${more > 0 ? `, ${n(more)} more` : ''}` },
      { field: 'dstport', value: `${n(ports.size)} distinct: ${portList(ports)}` },
      { field: 'action', value: `${n(rejected)} of ${n(records)} REJECT` },
    ],
    flows: { source: s.source, accountId: s.account, interfaces, instanceId: scanner ?? targetInstance, records, rejected },
  };
}

type Session = { target: string; port: number; first: number; records: number; packets: number };

/**
 * Whether a scanner from outside got in after its scan: accepted records from it of more than a
 * handshake (SESSION_PACKETS) to a host and port it had probed, the earliest one's host and port with
 * the records of that connection counted. Reads the scanner's blocks from its first probe on, charged
 * to the run's `budget`; null when none (or none within the budget).
 */
function laterSession(db: CaseDb, s: Scan, targets: Target[], budget: { flowRecords: number }): Session | null {
  if (budget.flowRecords <= 0) return null;
  const probed = new Map(targets.map((t) => [t.address, t.ports]));
  let found: Session | null = null;
  scanFlowRecords(db, { srcaddr: s.source, action: 'ACCEPT', from: s.first }, (cols, i) => {
    const dst = cols.textOf(cols.ids.dstaddr?.[i] ?? 0);
    const port = cols.num.dstport?.[i];
    const packets = cols.num.packets?.[i] ?? 0;
    const t = cols.num.startTime?.[i];
    if (dst === null || port === undefined || t === undefined || !(packets > SESSION_PACKETS) || !probed.get(dst)?.has(port)) return;
    if (found && found.target === dst && found.port === port) {
      found.records++;
      found.packets += packets;
      found.first = Math.min(found.first, t);
    } else if (!found || t < found.first) found = { target: dst, port, first: t, records: 1, packets };
  }, { decoded: (records) => (budget.flowRecords -= records) > 0 });
  return found;
}

/**
 * The scanner's instance, by the interfaces that logged the scan's records: the instance of one that
 * logged them as leaving it; else, where the records do not say (before version 5), one the case gives
 * the source's address (interfaceAddresses), or one that logged the probes of several hosts (a target's
 * interface logs only its own). The instance is the interface's, as snapshots and calls record it.
 */
function scannerOf(db: CaseDb, source: string, targets: Target[]): string | null {
  const sides = new Map<string, { side: number; hosts: number }>();
  for (const t of targets) {
    for (const [eni, side] of t.interfaces) {
      const s = sides.get(eni) ?? { side: 0, hosts: 0 };
      s.side |= side;
      s.hosts++;
      sides.set(eni, s);
    }
  }
  for (const eni of [...sides.keys()].sort(binaryOrder)) {
    const { side, hosts } = sides.get(eni)!;
    if (!eni.startsWith('eni-') || (side & IN) !== 0) continue;
    if ((side & OUT) === 0 && hosts < 2 && !interfaceAddresses(db, eni).includes(source)) continue;
    return instanceOfInterface(db, eni);
  }
  return null;
}
