// VPC flow log records (version 5, custom field order) and the everyday traffic between and to instances.
import type { Rng } from './prng.ts';
import type { Account, Instance } from './types.ts';
import { intToIp } from './time-ip.ts';

export const FLOW_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end',
  'action', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr', 'region', 'az-id',
  'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path',
] as const;

/** Fields of AWS's default format (version 2): the first 14 of ours, in the same order. */
const DEFAULT_FIELDS = 14;
/** The fields a flow log of `version` writes: ours (5), or AWS's default format (2). */
const fieldsOf = (version: 2 | 5) => (version === 2 ? FLOW_FIELDS.slice(0, DEFAULT_FIELDS) : FLOW_FIELDS);
export const flowHeader = (version: 2 | 5) => fieldsOf(version).join(' ');
export const flowLogFormat = (version: 2 | 5) => fieldsOf(version).map((f) => '${' + f + '}').join(' ');

/** A record line as a flow log of `version` writes it: ours, or the default format's first 14 fields, version 2. */
export function asVersion(line: string, version: 2 | 5): string {
  if (version === 5) return line;
  const fields = line.split(' ', DEFAULT_FIELDS);
  fields[0] = '2';
  return fields.join(' ');
}

export type FlowLine = { start: number; vpcId: string; line: string };

export type Flow = {
  inst: Instance;
  azId: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  packets: number;
  bytes: number;
  start: number; // seconds
  end: number;
  action: 'ACCEPT' | 'REJECT';
  tcpFlags: number;
  direction: 'ingress' | 'egress';
  trafficPath?: number;
  dstService?: string;
  /** IPv6 for a record between IPv6 addresses; IPv4 otherwise. */
  family?: 'IPv6';
};

export function flowLine(account: string, f: Flow): FlowLine {
  const i = f.inst;
  const line = `5 ${account} ${i.eniId} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} OK ${i.vpcId} ${i.subnetId} ${i.id} ${f.protocol === 6 ? f.tcpFlags : 0} ${f.family ?? 'IPv4'} ${f.src} ${f.dst} ${i.region} ${f.azId} - - - ${f.dstService ?? '-'} ${f.direction} ${f.direction === 'egress' ? (f.trafficPath ?? 8) : '-'}`;
  return { start: f.start * 1000, vpcId: i.vpcId, line };
}

/** A record of an interface with no traffic in the window. */
export function noDataLine(account: string, i: Instance, azId: string, start: number, end: number): FlowLine {
  return { start: start * 1000, vpcId: i.vpcId, line: `5 ${account} ${i.eniId} - - - - - - - ${start} ${end} - NODATA ${i.vpcId} ${i.subnetId} ${i.id} - - - - ${i.region} ${azId} - - - - - -` };
}

// Public client ranges for inbound web traffic and the noise of the internet.
const CLIENT_NETS = [73, 98, 24, 86, 92, 109, 176, 189, 201, 82, 95, 151, 177, 187, 190];
/** Providers' IPv6 blocks the clients' addresses are drawn from. */
const CLIENT_NETS6 = ['2a02:8108', '2601:644', '2a01:e0a', '2409:8a1e', '2804:14d'];
const S3_NET = 0x34d80000; // 52.216.0.0/16
const AWS_API_NET = 0x36ef0000; // 54.239.0.0/16

export class FlowTraffic {
  private readonly rng: Rng;
  private readonly account: Account;
  private readonly azOf = new Map<string, string>();
  private readonly byApp = new Map<string, Instance[]>();

  constructor(rng: Rng, account: Account) {
    this.rng = rng;
    this.account = account;
    for (const s of account.subnets) this.azOf.set(s.id, s.azId);
    for (const i of account.instances) {
      const key = `${i.vpcId}/${i.app}`;
      const list = this.byApp.get(key) ?? [];
      list.push(i);
      this.byApp.set(key, list);
    }
  }

  private alive(i: Instance, ms: number): boolean {
    return (i.launchMs === undefined || i.launchMs <= ms) && (i.terminatedAt === undefined || i.terminatedAt > ms);
  }

  private anyAlive(list: Instance[] | undefined, ms: number): Instance | undefined {
    if (!list) return undefined;
    for (let n = 0; n < 4; n++) {
      const i = this.rng.pick(list);
      if (this.alive(i, ms)) return i;
    }
    return list.find((i) => this.alive(i, ms));
  }

  private clientIp(): string {
    const r = this.rng;
    return `${r.pick(CLIENT_NETS)}.${r.int(1, 254)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }

  /** A client's IPv6 address in one of a few providers' blocks. */
  private clientIp6(): string {
    const r = this.rng;
    return `${r.pick(CLIENT_NETS6)}:${r.int(1, 0xffff).toString(16)}:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}`;
  }

  /**
   * The remote address and the instance's own for the internet's traffic to a public instance: over IPv6
   * for a share of it when the account has IPv6 (no random draw otherwise, so such an account draws what it always did).
   */
  private internetPeer(inst: Instance): { remote: string; local: string; family?: 'IPv6' } {
    const share = this.account.ipv6Share;
    if (share > 0 && inst.ipv6 !== null && this.rng.chance(share)) return { remote: this.clientIp6(), local: inst.ipv6, family: 'IPv6' };
    return { remote: this.clientIp(), local: inst.privateIp };
  }

  /** One everyday flow record whose capture window starts near ms. */
  next(ms: number): FlowLine {
    const rng = this.rng;
    const acct = this.account.id;
    const start = Math.floor(ms / 1000);
    const end = start + rng.int(30, 60);
    const r = rng.next();
    for (let attempt = 0; attempt < 8; attempt++) {
      const inst = this.anyAlive(this.account.instances, ms);
      if (!inst) break;
      const azId = this.azOf.get(inst.subnetId)!;
      const eph = rng.int(32768, 60999);
      if (r < 0.0015) return noDataLine(acct, inst, azId, start, end);
      if (inst.publicIp && r < 0.35) {
        // Client traffic to public services, and the replies.
        if (inst.app !== 'web' && inst.app !== 'bastion') continue;
        const peer = inst.app === 'bastion' ? { remote: rng.pick(this.account.officeIps), local: inst.privateIp } : this.internetPeer(inst);
        const port = inst.app === 'bastion' ? 22 : rng.chance(0.9) ? 443 : 80;
        const packets = rng.int(4, 60);
        const inbound = rng.chance(0.5);
        return flowLine(acct, inbound
          ? { inst, azId, src: peer.remote, dst: peer.local, srcPort: eph, dstPort: port, protocol: 6, packets, bytes: packets * rng.int(60, 400), start, end, action: 'ACCEPT', tcpFlags: rng.pick([2, 3, 19, 27, 18]), direction: 'ingress', family: peer.family }
          : { inst, azId, src: peer.local, dst: peer.remote, srcPort: port, dstPort: eph, protocol: 6, packets, bytes: packets * rng.int(200, 1400), start, end, action: 'ACCEPT', tcpFlags: rng.pick([18, 19, 27]), direction: 'egress', trafficPath: 8, family: peer.family });
      }
      if (inst.publicIp && r < 0.42) {
        // Background noise of the internet: single probes to closed ports.
        const port = rng.pick([23, 445, 3389, 5900, 1433, 8080, 6379, 25]);
        const peer = this.internetPeer(inst);
        return flowLine(acct, { inst, azId, src: peer.remote, dst: peer.local, srcPort: rng.int(1024, 65000), dstPort: port, protocol: 6, packets: 1, bytes: 40 + 4 * rng.int(0, 5), start, end, action: 'REJECT', tcpFlags: 2, direction: 'ingress', family: peer.family });
      }
      if (r < 0.72) {
        // Tier-to-tier traffic inside the VPC.
        const upstream = inst.app === 'api' || inst.app === 'worker' ? 'web' : inst.app === 'db' ? 'api' : undefined;
        const peer = upstream ? this.anyAlive(this.byApp.get(`${inst.vpcId}/${upstream}`), ms) : undefined;
        if (!peer) continue;
        const port = inst.app === 'db' ? 5432 : 8080;
        const packets = rng.int(2, 200);
        return flowLine(acct, { inst, azId, src: peer.privateIp, dst: inst.privateIp, srcPort: eph, dstPort: port, protocol: 6, packets, bytes: packets * rng.int(80, 1200), start, end, action: 'ACCEPT', tcpFlags: rng.pick([2, 3, 19, 27]), direction: 'ingress' });
      }
      // Egress to AWS APIs and S3 (through the NAT gateway for private subnets).
      const toS3 = rng.chance(0.4);
      const dst = intToIp((toS3 ? S3_NET : AWS_API_NET) + rng.int(1, 65000));
      const packets = rng.int(4, 90);
      return flowLine(acct, { inst, azId, src: inst.privateIp, dst, srcPort: eph, dstPort: 443, protocol: 6, packets, bytes: packets * rng.int(90, 1400), start, end, action: 'ACCEPT', tcpFlags: rng.pick([19, 27, 3]), direction: 'egress', trafficPath: inst.publicIp ? 8 : 1, dstService: toS3 ? 'S3' : 'AMAZON' });
    }
    const inst = this.account.instances.find((i) => this.alive(i, ms))!;
    return noDataLine(acct, inst, this.azOf.get(inst.subnetId)!, start, end);
  }
}
