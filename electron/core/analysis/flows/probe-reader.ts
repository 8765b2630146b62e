// What a flow record is to a port scan, read from a block's columns without building the record: its
// source and target by number (sources per account), its destination port and time, whether it was
// refused, and which side of the interface that logged it it was. A probe is a connection attempt: a TCP
// record whose flags hold the initiator's SYN without the answer's SYN-ACK, or, without flags (version 2
// records, UDP), one whose destination port is below its source port; and refused, or accepted with at
// most three packets. A server's answers to its clients go from its one service port to their ephemeral
// ports, and would otherwise read as one client probed on hundreds of ports; a load balancer's health
// checks of a node's ports are whole connections.
import type { FlowColumns } from '../../db/flow-block-codec.ts';
import { isPrivate } from '../attribution/instance-addresses.ts';

/** Where the ephemeral ports clients connect from begin (Linux's default range; Windows' starts higher). */
export const EPHEMERAL_PORTS_FROM = 32_768;
/** A pair's number is its source's times this plus its target's (2^26 each way keeps it exact). */
export const MAX_NUMBERED = 2 ** 26;
/**
 * Sources and targets numbered in a run: about 100 bytes each, so a crafted log of millions of records
 * each between two addresses of its own holds about 100 MB of them, not a gigabyte. Past it, records of
 * new addresses are not read, and the run says so (`full`).
 */
export const MAX_ADDRESSES = 1_000_000;
const UNREAD = -2;
/**
 * Packets of an accepted record that can still be a probe: a SYN and its retry, or a connect scan's
 * SYN, ACK and RST. A load balancer's health check sends four or more (handshake, close), so one
 * checking a dozen NodePorts of a node is no scan.
 */
const KNOCK_PACKETS = 3;
/** The sides an interface logs a record as (`side`): leaving it, entering it, not said (before version 5). */
export const OUT = 1;
export const IN = 2;
export const UNSAID = 4;
const TCP = 6;
const UDP = 17;
const SYN = 2;
const ACK = 16;

/** A source's text: its account, length first, then its address (neither can be mistaken for the other, whatever a record holds). */
export function sourceKey(account: string | null, address: string): string {
  return `${(account ?? '').length}:${account ?? ''}${address}`;
}

/** The account and address of a source's text. */
export function sourceOfKey(key: string): { account: string | null; address: string } {
  const colon = key.indexOf(':');
  const end = colon + 1 + Number(key.slice(0, colon));
  return { account: end > colon + 1 ? key.slice(colon + 1, end) : null, address: key.slice(end) };
}

/**
 * Sources (`sourceKey`) and targets numbered as met, shared by both passes, so a pair is one
 * number: a million pairs held as texts took about 200 MB.
 */
export class Numbering {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  /** Whether a text was refused a number. */
  full = false;

  /** The text's number, or -1 once MAX_ADDRESSES texts are numbered. */
  numberOf(text: string): number {
    let n = this.index.get(text);
    if (n === undefined) {
      if (this.texts.length >= MAX_ADDRESSES) {
        this.full = true;
        return -1;
      }
      n = this.texts.length;
      this.index.set(text, n);
      this.texts.push(text);
    }
    return n;
  }
}

/** What a record is to a scan: its source and target by number and its port when it opens a connection, and whether it is a probe. */
export class ProbeReader {
  private cols: FlowColumns | null = null;
  private sourceOf = new Map<number, number>();
  private targetOf = new Int32Array(0);
  private egress = 0;
  private ingress = 0;
  private reject = 0;
  private text: (id: number) => string | null = () => null;
  /**
   * Sources some record shows inside: an address of private networks, one the record was logged as
   * leaving, or one `own` says is the account's (a public IPv6 address of an instance, which a version 2
   * record, saying no direction, cannot tell from the internet's).
   */
  readonly inside = new Set<number>();
  /** `only`'s addresses as this block's dictionary ids. */
  private onlyIds: Set<number> | null = null;
  /** When set, `from` answers whether a record's source address is one of these (a pass over a few sources). */
  only: Set<string> | null = null;

  constructor(readonly numbering: Numbering, private readonly own: (address: string) => boolean = () => false) {}

  /** Readies the per-block caches when a new block begins. */
  block(cols: FlowColumns): void {
    if (cols === this.cols) return;
    this.cols = cols;
    this.sourceOf = new Map();
    this.targetOf = new Int32Array(cols.texts + 1).fill(UNREAD);
    this.egress = cols.idOf('egress');
    this.ingress = cols.idOf('ingress');
    this.reject = cols.idOf('REJECT');
    this.onlyIds = this.only ? new Set([...this.only].map((a) => cols.idOf(a)).filter((id) => id > 0)) : null;
    const cache = new Map<number, string | null>();
    this.text = (id) => {
      if (id === 0) return null;
      let t = cache.get(id);
      if (t === undefined) cache.set(id, (t = cols.textOf(id)));
      return t;
    };
  }

  /** Whether the record opens a connection: a SYN without its answer, or without flags a destination port below the source port. */
  opens(i: number): boolean {
    const c = this.cols!;
    const proto = c.num.protocol?.[i];
    if (proto !== TCP && proto !== UDP) return false;
    const sport = c.num.srcport?.[i];
    const dport = c.num.dstport?.[i];
    if (!(sport! >= 0 && dport! >= 0) || !Number.isFinite(c.num.startTime?.[i])) return false;
    const flags = proto === TCP ? c.num.tcpFlags?.[i] : undefined;
    if (flags !== undefined && Number.isFinite(flags) && flags > 0) return (flags & SYN) !== 0 && (flags & ACK) === 0;
    return dport! < sport!;
  }

  /** Whether the record's source address is one of `only` (always, when it is not set): a test of dictionary ids, no text read. */
  from(i: number): boolean {
    if (!this.onlyIds) return true;
    const c = this.cols!;
    const pkt = c.ids.pktSrcaddr?.[i] ?? 0;
    return this.onlyIds.has(pkt > 0 ? pkt : (c.ids.srcaddr?.[i] ?? 0)) || (pkt > 0 && this.onlyIds.has(c.ids.srcaddr?.[i] ?? 0));
  }

  /** The source number of a record that `opens` a connection, -1 when it has none. */
  source(i: number): number {
    const c = this.cols!;
    const pkt = c.ids.pktSrcaddr?.[i] ?? 0;
    const src = pkt > 0 && this.text(pkt) !== '-' ? pkt : (c.ids.srcaddr?.[i] ?? 0);
    if (src === 0) return -1;
    const account = c.ids.accountId?.[i] ?? 0;
    const outbound = this.egress > 0 && c.ids.flowDirection?.[i] === this.egress;
    const key = account * 4_294_967_296 + src * 2 + (outbound ? 1 : 0);
    let n = this.sourceOf.get(key);
    if (n === undefined) {
      const address = this.text(src)!;
      n = address === '-' ? -1 : this.numbering.numberOf(sourceKey(this.text(account), address));
      if (n >= 0 && (outbound || isPrivate(address) || this.own(address))) this.inside.add(n);
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

  /** Whether a connection's record is a probe: refused, or of at most KNOCK_PACKETS (a health check's handshake and close are four). */
  knock(i: number): boolean {
    const packets = this.cols!.num.packets?.[i];
    return this.rejected(i) || packets === undefined || !(packets > KNOCK_PACKETS);
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
