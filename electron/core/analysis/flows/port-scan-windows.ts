// Port scans found in the flow records (QUESTIONS.md "Is someone scanning us?"): an address that tried
// many ports of one host within the hour or, from inside, one port of many hosts. Two passes over the
// records, each a scan of the column blocks without building records (probe-reader.ts):
//   1. distinct ports per (account, source, target) over the whole case, and from inside distinct hosts
//      per (source, port), each capped at its threshold: a client and its services never reach it, so in
//      a case without a scan this is the only pass;
//   2. for the pairs that did, the ports per window of an hour, on two grids half an hour apart (any
//      half hour lies within one of them), with the records, refusals and interfaces of each window.
// A pair's windows of many ports, and from inside a source's windows of many hosts on one port (a sweep),
// are its scan; a source's scans less than an hour apart are one scan, its hosts the most ports first.
// What the findings say of them: findings/port-scans.ts.
import type { CaseDb } from '../../db/open-case.ts';
import { binaryOrder } from '../../text-order.ts';
import { scanFlowRecords } from './flow-records.ts';
import { EPHEMERAL_PORTS_FROM, MAX_ADDRESSES, MAX_NUMBERED, Numbering, ProbeReader, sourceOfKey } from './probe-reader.ts';

/** Distinct destination ports of one host, of those counted, that make a scan (Panther's rule: 10 within the hour). */
export const PORTS_TO_FLAG = 10;
/**
 * Distinct hosts probed on one port within the hour that make a sweep, from inside only: an intruder
 * looking for SSH or SMB on every neighbour. From outside, sweeps of one port over every public address
 * are what the internet's scanners do all day.
 */
export const HOSTS_TO_FLAG = 20;
/** Ports every client reaches on many hosts: they do not count toward a scan (they are still listed). */
const COMMON_PORTS = new Set([53, 80, 123, 443]);
/**
 * Whether a destination port counts toward a scan: not a common one, and below the ephemeral range,
 * where Windows' RPC and passive FTP put the ports a client is told to use (a domain member talking to
 * its controller reaches dozens of them an hour) and traceroute sends to (33434 on). Scanners try the
 * low ports first.
 */
const counts = (port: number) => port < EPHEMERAL_PORTS_FROM && !COMMON_PORTS.has(port);
/**
 * A window's ports that count toward a scan: probed, `counts`, and not one the source also connected to
 * there. A client whose connections to a service are sometimes refused or cut short is not scanning it;
 * a scanner that finds an open port and talks to it still probed the others.
 */
const countedPorts = (w: Window) => [...w.ports].filter((port) => counts(port) && !w.connected.has(port));
const WINDOW_MS = 3_600_000;
/** Scans of one source at most this far apart are one scan. */
const EPISODE_GAP_MS = 3_600_000;
/** Pairs tallied in the first pass: past it, new pairs are not checked and the run says so. */
const PAIRS_TALLIED = 1_000_000;
/** Pairs whose windows the second pass counts: a case with more is a network of scanners, said in a note. */
const PAIRS_WINDOWED = 10_000;
/** Interfaces kept per window and host. */
const INTERFACES_KEPT = 5;

export type Window = {
  /** Ports probed. */
  ports: Set<number>;
  /** Ports the source also connected to (accepted, more than a knock): a client's, which no scan counts. */
  connected: Set<number>;
  /** The probes' records, refusals, and first and last start (the connections' are not counted). */
  records: number;
  rejected: number;
  /** Ports some record of which was accepted: the security groups and ACLs let them through. */
  through: Set<number>;
  first: number;
  last: number;
  /** Interfaces that logged the window's records, each with the sides it logged them as (OUT, IN, UNSAID). */
  interfaces: Map<string, number>;
};
type Pair = { sourceNumber: number; source: string; account: string | null; inside: boolean; target: string; windows: Map<number, Window> };
/** One source's scan: the hours of each host it scanned, first to last. */
export type Scan = { source: string; account: string | null; inside: boolean; hours: { target: string; w: Window }[]; first: number; last: number };
/** A scan's records of one host, its hours summed. */
export type Target = { address: string; ports: Set<number>; through: Set<number>; records: number; rejected: number; interfaces: Map<string, number> };

/**
 * The case's port scans, most ports first, each pass reading at most `recordsPerPass`; in `notes` what
 * the passes could not read. `own`: whether a public address is the account's (an instance's, by the
 * configuration), so its scans and sweeps are from inside.
 */
export function findScans(db: CaseDb, recordsPerPass: number, notes: string[], own?: (address: string) => boolean): Scan[] {
  const reader = new ProbeReader(new Numbering(), own);
  const over = pairsOverThreshold(db, reader, recordsPerPass, notes);
  return over.pairs.size === 0 && over.sweepers.size === 0 ? [] : scansOf(windowedPairs(db, reader, over, recordsPerPass, notes));
}

const pairOf = (source: number, target: number) => source * MAX_NUMBERED + target;
const sourcePortOf = (source: number, port: number) => source * 65_536 + port;
/**
 * What pass 1 found: pairs over PORTS_TO_FLAG, sources inside that probed HOSTS_TO_FLAG hosts on one
 * port, and when their probes began and ended, by source number.
 */
type Candidates = { pairs: Set<number>; sweepers: Set<number>; probed: ProbeTimes };

/** Each source's first and last probe, by number: two growing arrays, not an object per source. */
class ProbeTimes {
  private first = new Float64Array(1024).fill(Infinity);
  private last = new Float64Array(1024).fill(-Infinity);

  add(source: number, t: number): void {
    if (source >= this.first.length) {
      const size = Math.max(source + 1, this.first.length * 2);
      const first = new Float64Array(size).fill(Infinity);
      const last = new Float64Array(size).fill(-Infinity);
      first.set(this.first);
      last.set(this.last);
      this.first = first;
      this.last = last;
    }
    if (t < this.first[source]) this.first[source] = t;
    if (t > this.last[source]) this.last[source] = t;
  }

  /** The span from the first probe of any of `sources` to the last. */
  spanOf(sources: Iterable<number>): { from: number; to: number } {
    let from = Infinity;
    let to = -Infinity;
    for (const s of sources) {
      from = Math.min(from, this.first[s] ?? Infinity);
      to = Math.max(to, this.last[s] ?? -Infinity);
    }
    return { from, to };
  }
}

/** Adds `value` to the distinct values of `key` (one number until a second) and says how many it has; 0 when the map is full. */
function tally(map: Map<number, number | number[]>, key: number, value: number): number {
  const had = map.get(key);
  if (had === undefined) {
    if (map.size >= PAIRS_TALLIED) return 0;
    map.set(key, value);
    return 1;
  }
  if (had === value) return 1;
  if (typeof had === 'number') {
    map.set(key, [had, value]);
    return 2;
  }
  if (!had.includes(value)) had.push(value);
  return had.length;
}

/**
 * Pass 1: the (source, target) pairs with at least PORTS_TO_FLAG distinct ports that count in the whole
 * case, and the sources inside with HOSTS_TO_FLAG hosts on one port, by number. A pair's ports (a
 * source and port's hosts) are one number until a second: most never have one.
 */
function pairsOverThreshold(db: CaseDb, reader: ProbeReader, recordsPerPass: number, notes: string[]): Candidates {
  const ports = new Map<number, number | number[]>();
  const hosts = new Map<number, number | number[]>();
  const over = new Set<number>();
  const sweepers = new Set<number>();
  const probed = new ProbeTimes();
  let untallied = 0;
  let read = 0;
  scanFlowRecords(db, {}, (cols, i) => {
    reader.block(cols);
    // The cheap numeric tests first: most records open nothing, or are whole connections.
    if (!reader.opens(i) || !reader.knock(i) || !counts(reader.port(i))) return;
    const source = reader.source(i);
    if (source < 0) return;
    const port = reader.port(i);
    const target = reader.target(i);
    if (target < 0) return;
    probed.add(source, reader.start(i));
    const key = pairOf(source, target);
    if (!over.has(key)) {
      const n = tally(ports, key, port);
      if (n === 0) untallied++;
      if (n >= PORTS_TO_FLAG) {
        over.add(key);
        ports.delete(key);
      }
    }
    if (!reader.inside.has(source) || sweepers.has(source)) return;
    const swept = sourcePortOf(source, port);
    const n = tally(hosts, swept, target);
    if (n === 0) untallied++;
    if (n >= HOSTS_TO_FLAG) {
      sweepers.add(source);
      hosts.delete(swept);
    }
  }, { decoded: (n) => (read += n) <= recordsPerPass });
  if (read > recordsPerPass) notes.push(`Port scans looked for in the first ${recordsPerPass.toLocaleString('en-US')} flow records only`);
  if (untallied) notes.push(`Port scans not looked for between more than ${PAIRS_TALLIED.toLocaleString('en-US')} pairs of addresses: ${untallied.toLocaleString('en-US')} records of others were not counted`);
  if (reader.numbering.full) notes.push(`Port scans looked for among the first ${MAX_ADDRESSES.toLocaleString('en-US')} addresses only: the records of others were not counted`);
  return { pairs: over, sweepers, probed };
}

/**
 * Pass 2: the windows of the candidate pairs, and of every pair of a sweeping source, at most
 * PAIRS_WINDOWED (the first met; past it a note).
 */
function windowedPairs(db: CaseDb, reader: ProbeReader, candidates: Candidates, recordsPerPass: number, notes: string[]): Pair[] {
  const texts = reader.numbering.texts;
  const pairs = new Map<number, Pair>();
  let unwindowed = 0;
  // A sweeper's pair is made by a probe: its connections alone (a monitoring host's) make none.
  const pairFor = (key: number, knocked: boolean): Pair | undefined => {
    let pair = pairs.get(key);
    if (pair) return pair;
    const source = Math.floor(key / MAX_NUMBERED);
    if (!candidates.pairs.has(key) && !(knocked && candidates.sweepers.has(source))) return undefined;
    if (pairs.size >= PAIRS_WINDOWED) {
      unwindowed++;
      return undefined;
    }
    const { account, address } = sourceOfKey(texts[source]);
    pairs.set(key, (pair = { sourceNumber: source, source: address, account, inside: reader.inside.has(source), target: texts[key % MAX_NUMBERED], windows: new Map() }));
    return pair;
  };
  // Only the candidates' sources are read (their addresses as each block's dictionary ids), and only
  // the blocks of the hour around their probes: a window their probes are in holds nothing from further.
  const sources = new Set([...candidates.pairs].map((key) => Math.floor(key / MAX_NUMBERED)).concat([...candidates.sweepers]));
  reader.only = new Set([...sources].map((n) => sourceOfKey(texts[n]).address));
  const span = candidates.probed.spanOf(sources);
  let read = 0;
  scanFlowRecords(db, { from: span.from - WINDOW_MS, to: span.to + WINDOW_MS }, (cols, i) => {
    reader.block(cols);
    if (!reader.opens(i) || !reader.from(i)) return;
    const source = reader.source(i);
    if (source < 0) return;
    const target = reader.target(i);
    const knocked = reader.knock(i);
    const pair = target < 0 ? undefined : pairFor(pairOf(source, target), knocked);
    if (!pair) return;
    const t = reader.start(i);
    const port = reader.port(i);
    // Window keys: grid 0 at the hour, grid 1 half an hour later.
    for (const key of [Math.floor(t / WINDOW_MS) * 2, Math.floor((t + WINDOW_MS / 2) / WINDOW_MS) * 2 + 1]) {
      let w = pair.windows.get(key);
      if (!w) pair.windows.set(key, (w = { ports: new Set(), connected: new Set(), records: 0, rejected: 0, through: new Set(), first: Infinity, last: -Infinity, interfaces: new Map() }));
      if (!knocked) {
        w.connected.add(port);
        continue;
      }
      w.ports.add(port);
      w.records++;
      if (reader.rejected(i)) w.rejected++;
      else w.through.add(port);
      w.first = Math.min(w.first, t);
      w.last = Math.max(w.last, t);
      const eni = reader.interfaceOf(i);
      if (eni !== null && eni !== '-' && (w.interfaces.has(eni) || w.interfaces.size < INTERFACES_KEPT)) w.interfaces.set(eni, (w.interfaces.get(eni) ?? 0) | reader.side(i));
    }
  }, { decoded: (n) => (read += n) <= recordsPerPass });
  if (unwindowed) notes.push(`More than ${PAIRS_WINDOWED.toLocaleString('en-US')} pairs of addresses with many ports or hosts: ${unwindowed.toLocaleString('en-US')} records of others were not checked for scans`);
  return [...pairs.values()];
}

/**
 * Each source's scans: the hours (grid 0, which does not overlap itself) that a window reaching a
 * threshold meets, on either grid (a pair's of PORTS_TO_FLAG ports, or, from inside, the windows of
 * HOSTS_TO_FLAG hosts probed on one port), then a source's hours less than EPISODE_GAP_MS apart joined.
 * Most ports first.
 */
function scansOf(pairs: Pair[]): Scan[] {
  type Hour = { sourceNumber: number; source: string; account: string | null; inside: boolean; target: string; w: Window };
  const hours: Hour[] = [];
  const swept = sweptWindows(pairs);
  for (const p of pairs) {
    const marked = new Set<number>();
    for (const [key, w] of p.windows) {
      const sweep = swept.get(p.sourceNumber)?.get(key);
      const counted = countedPorts(w);
      if (counted.length < PORTS_TO_FLAG && !(sweep && counted.some((port) => sweep.has(port)))) continue;
      const index = Math.floor(key / 2);
      // A grid-1 window runs from half past the hour before `index` to half past `index`.
      for (const h of key % 2 === 0 ? [index] : [index - 1, index]) if ((p.windows.get(h * 2)?.records ?? 0) > 0) marked.add(h * 2);
    }
    for (const key of marked) hours.push({ sourceNumber: p.sourceNumber, source: p.source, account: p.account, inside: p.inside, target: p.target, w: p.windows.get(key)! });
  }
  const bySource = new Map<number, Hour[]>();
  for (const h of hours) {
    const list = bySource.get(h.sourceNumber);
    if (list) list.push(h);
    else bySource.set(h.sourceNumber, [h]);
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

/** Per source inside, the windows in which it probed HOSTS_TO_FLAG hosts or more on one port, with those ports. */
function sweptWindows(pairs: Pair[]): Map<number, Map<number, Set<number>>> {
  const hostsOf = new Map<number, Map<number, Map<number, number>>>(); // source → window → port → hosts
  for (const p of pairs) {
    if (!p.inside) continue;
    let windows = hostsOf.get(p.sourceNumber);
    if (!windows) hostsOf.set(p.sourceNumber, (windows = new Map()));
    for (const [key, w] of p.windows) {
      let ports = windows.get(key);
      if (!ports) windows.set(key, (ports = new Map()));
      for (const port of countedPorts(w)) ports.set(port, (ports.get(port) ?? 0) + 1);
    }
  }
  const out = new Map<number, Map<number, Set<number>>>();
  for (const [k, windows] of hostsOf) {
    for (const [key, ports] of windows) {
      const wide = [...ports].filter(([, n]) => n >= HOSTS_TO_FLAG).map(([port]) => port);
      if (!wide.length) continue;
      let mine = out.get(k);
      if (!mine) out.set(k, (mine = new Map()));
      mine.set(key, new Set(wide));
    }
  }
  return out;
}

/** A scan's hours summed per host, the host of the most ports first. */
export function targetsOf(s: Scan): Target[] {
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
