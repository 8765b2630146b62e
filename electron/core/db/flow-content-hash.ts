// A 53-bit hash of a flow record's fields, kept with its block (migration 0129) so that the same
// record arriving from two files (a .log and its .gz, an S3 copy and a CloudWatch export) is stored
// once. cyrb53's two 32-bit lanes, fed each field as it is (the characters of a text, the two 32-bit
// halves of a number, a marker for null) rather than a joined text of the record: building that text
// cost more than the rest of a record's storing. 53 bits keep it an exact JS number; for a million
// records the chance that two distinct records collide is about 1 in 18,000. The sublocation and
// aws-service fields are left out, as the row-per-record store's hash left them out.
import type { FlowRow } from './flow-row.ts';

let h1 = 0;
let h2 = 0;

function text(s: string | null): void {
  if (s === null) {
    mix(0x6e756c6c);
    return;
  }
  for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
  mix(0x1f); // the end of a text: "ab","c" and "a","bc" differ
}

function num(v: number | null): void {
  if (v === null) {
    mix(0x6e756c6c);
    mix(0x6e756c6c);
    return;
  }
  mix(v >>> 0);
  mix(Math.floor(v / 4294967296) >>> 0);
}

function mix(x: number): void {
  h1 = Math.imul(h1 ^ x, 2654435761);
  h2 = Math.imul(h2 ^ x, 1597334677);
}

export function flowContentHash(f: FlowRow): number {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  num(f.version);
  text(f.accountId);
  text(f.interfaceId);
  text(f.srcaddr);
  text(f.dstaddr);
  num(f.srcport);
  num(f.dstport);
  num(f.protocol);
  num(f.packets);
  num(f.bytes);
  num(f.startTime);
  num(f.endTime);
  text(f.action);
  text(f.logStatus);
  text(f.vpcId);
  text(f.subnetId);
  text(f.instanceId);
  num(f.tcpFlags);
  text(f.trafficType);
  text(f.pktSrcaddr);
  text(f.pktDstaddr);
  text(f.region);
  text(f.azId);
  text(f.flowDirection);
  num(f.trafficPath);
  return finish();
}

function finish(): number {
  let a = h1;
  let b = h2;
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

export function cyrb53(s: string, seed = 0): number {
  h1 = 0xdeadbeef ^ seed;
  h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
  return finish();
}
