// A 53-bit hash of a flow record's fields (cyrb53: two 32-bit lanes), stored with a UNIQUE index so
// the same record arriving from two files (a .log and its .gz, an S3 copy and a CloudWatch export) is
// stored once. 53 bits keep it an exact JS number; for a million records the chance that two distinct
// records collide is about 1 in 18,000.
import type { FlowRow } from './types.ts';

export function flowContentHash(f: FlowRow): number {
  return cyrb53(
    `${f.version}|${f.accountId}|${f.interfaceId}|${f.srcaddr}|${f.dstaddr}|${f.srcport}|${f.dstport}|${f.protocol}|` +
      `${f.packets}|${f.bytes}|${f.startTime}|${f.endTime}|${f.action}|${f.logStatus}|${f.vpcId}|${f.subnetId}|` +
      `${f.instanceId}|${f.tcpFlags}|${f.trafficType}|${f.pktSrcaddr}|${f.pktDstaddr}|${f.region}|${f.azId}|` +
      `${f.flowDirection}|${f.trafficPath}`,
  );
}

export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
