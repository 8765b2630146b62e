// A 53-bit hash of a flow record's fields, kept with its block (migration 0129) so that the same
// record arriving from two files (a .log and its .gz, an S3 copy and a CloudWatch export) is stored
// once. cyrb53's two 32-bit lanes, fed each field as it is (the characters of a text, the two 32-bit
// halves of a number, a marker for null) rather than a joined text of the record: building that text
// cost more than the rest of a record's storing. 53 bits keep it an exact JS number; for a million
// records the chance that two distinct records collide is about 1 in 18,000. The sublocation and
// aws-service fields are left out, as the row-per-record store's hash left them out.
import type { FlowRow } from './flow-row.ts';

/**
 * The fields a record's hash covers, in the order it mixes them, with their kind: a record read from a
 * line is hashed from its columns in this order (flow-columns-builder.ts slotHash), whatever the line's.
 */
export const HASHED_FIELDS = [
  ['version', 'number'], ['accountId', 'text'], ['interfaceId', 'text'], ['srcaddr', 'text'], ['dstaddr', 'text'],
  ['srcport', 'number'], ['dstport', 'number'], ['protocol', 'number'], ['packets', 'number'], ['bytes', 'number'],
  ['startTime', 'number'], ['endTime', 'number'], ['action', 'text'], ['logStatus', 'text'], ['vpcId', 'text'],
  ['subnetId', 'text'], ['instanceId', 'text'], ['tcpFlags', 'number'], ['trafficType', 'text'], ['pktSrcaddr', 'text'],
  ['pktDstaddr', 'text'], ['region', 'text'], ['azId', 'text'], ['flowDirection', 'text'], ['trafficPath', 'number'],
] as const satisfies readonly (readonly [keyof FlowRow, 'text' | 'number'])[];

let h1 = 0;
let h2 = 0;

// One record's hash is made by hashBegin, then per field in HASHED_FIELDS order hashText or
// hashNumber of its value, then hashEnd. A text is its characters then a mark that ends it, so that
// "ab","c" and "a","bc" differ; a number its two 32-bit halves; null a marker (once for a text, twice
// for a number). One record at a time (the state is this module's).

export function hashBegin(): void {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
}

function hashChar(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}

const NULL_MARK = 0x6e756c6c;

/**
 * A text's characters, then the mark that ends it. In one loop over locals: the lanes are this
 * module's variables, a context slot read and written per character otherwise, and the line reader's
 * records hash most of every line this way.
 */
export function hashText(s: string | null): void {
  if (s === null) return hashChar(NULL_MARK);
  let a = h1;
  let b = h2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  h1 = Math.imul(a ^ 0x1f, 2654435761);
  h2 = Math.imul(b ^ 0x1f, 1597334677);
}

export function hashNumber(v: number | null): void {
  if (v === null) {
    hashChar(NULL_MARK);
    hashChar(NULL_MARK);
    return;
  }
  hashChar(v >>> 0);
  hashChar(Math.floor(v / 4294967296) >>> 0);
}

/** A record's hash, its fields in HASHED_FIELDS order (the one place that order is written). */
export function flowContentHash(f: FlowRow): number {
  hashBegin();
  for (const [field, kind] of HASHED_FIELDS) {
    if (kind === 'text') hashText(f[field] as string | null);
    else hashNumber(f[field] as number | null);
  }
  return hashEnd();
}

export function hashEnd(): number {
  let a = h1;
  let b = h2;
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

export function cyrb53(s: string, seed = 0): number {
  h1 = 0xdeadbeef ^ seed;
  h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) hashChar(s.charCodeAt(i));
  return hashEnd();
}
