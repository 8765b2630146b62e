// VPC flow records are stored as column blocks (migration 0129), not a row each: a row of 31 values
// and five index entries per record capped ingest near 50,000 records/s and took 400 bytes a record.
// A block holds up to BLOCK_RECORDS records of one source: one dictionary for its texts, one typed
// array per column, zstd-compressed whole. Columns whose every value is null are left out, so the
// default 14-field format pays nothing for the v3-v5 fields it lacks.
//
// Layout before compression: u32 header length, the header as JSON ({ v, n, dict, text, num }), zero
// padding to a multiple of 8, then the Uint32 text columns (dictionary index + 1, 0 for null) and the
// Float64 numeric columns (NaN for null), in the order the header lists them.
import { constants } from 'node:zlib';
import { zstdFrameCompressor, zstdFrameDecompressor } from './zstd-frames.ts';
import type { FlowRow } from './flow-row.ts';
import type { FlowColumnsBuilder } from './flow-columns-builder.ts';

export const FLOW_BLOCK_VERSION = 1;
/** Records of one block at most: a record's id is its block's id times this, plus its position. */
export const BLOCK_RECORDS = 65_536;
/** Decompressed size a block may claim: 29 columns of 8 bytes a record, and its dictionary. */
const MAX_BLOCK_BYTES = 64 * 1024 * 1024;
/** Stored sizes past these are not a block Trailscope wrote (a crafted case): such a block is not read at all. */
export const MAX_STORED_COLUMNS_BYTES = MAX_BLOCK_BYTES;
export const MAX_STORED_HASHES_BYTES = 8 * BLOCK_RECORDS;
/** This thread's zstd contexts for flow blocks, kept between them (zstd-frames.ts). */
const compressBlock = zstdFrameCompressor({ params: { [constants.ZSTD_c_compressionLevel]: 1 } });
const decompressBlock = zstdFrameDecompressor({});

export const TEXT_FIELDS = [
  'accountId', 'interfaceId', 'srcaddr', 'dstaddr', 'action', 'logStatus', 'vpcId', 'subnetId', 'instanceId',
  'trafficType', 'pktSrcaddr', 'pktDstaddr', 'region', 'azId', 'sublocationType', 'sublocationId',
  'pktSrcAwsService', 'pktDstAwsService', 'flowDirection',
] as const satisfies readonly (keyof FlowRow)[];
export const NUMERIC_FIELDS = [
  'version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'startTime', 'endTime', 'tcpFlags', 'trafficPath',
] as const satisfies readonly (keyof FlowRow)[];

export type TextField = (typeof TEXT_FIELDS)[number];
export type NumericField = (typeof NUMERIC_FIELDS)[number];
type Header = { v: number; n: number; dict: string[]; text: TextField[]; num: NumericField[] };

/**
 * The records of a block, column by column. A text column holds dictionary ids (0: null): a scan for
 * one interface or address compares numbers, and skips a block whose dictionary lacks the value.
 */
export type FlowColumns = {
  n: number;
  /** Texts in the dictionary: every id is at most this. */
  texts: number;
  ids: Partial<Record<TextField, Uint32Array>>;
  num: Partial<Record<NumericField, Float64Array>>;
  /** The dictionary id of a text in this block, 0 when no record holds it. */
  idOf(value: string): number;
  /** The text of a dictionary id (null for 0). */
  textOf(id: number): string | null;
  /** One whole record. */
  row(i: number): FlowRow;
};

export class FlowBlockError extends Error {}

/** The block as stored: its header, its columns, zstd-compressed. */
export function packFlowColumns({ length: n, dict, text: textIds, num: numbers }: Pick<FlowColumnsBuilder, 'length' | 'dict' | 'text' | 'num'>): Buffer {
  const text = TEXT_FIELDS.filter((_, k) => textIds[k] !== null);
  const textCols = textIds.filter((c) => c !== null);
  const num = NUMERIC_FIELDS.filter((_, k) => numbers[k] !== null);
  const numCols = numbers.filter((c) => c !== null);
  const header = Buffer.from(JSON.stringify({ v: FLOW_BLOCK_VERSION, n, dict, text, num } satisfies Header), 'utf8');
  const start = align8(4 + header.length);
  const out = Buffer.alloc(start + textCols.length * 4 * n + numCols.length * 8 * n);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = start;
  // Float64 columns go first so that they stay 8-byte aligned whatever n is.
  for (const c of numCols) at += Buffer.from(c.buffer, c.byteOffset, 8 * n).copy(out, at);
  for (const c of textCols) at += Buffer.from(c.buffer, c.byteOffset, 4 * n).copy(out, at);
  return compressBlock(out);
}

/** Decodes a stored block; a block this build cannot read (or a crafted one) is a FlowBlockError. */
export function decodeFlowColumns(data: Uint8Array): FlowColumns {
  let raw: Buffer;
  try {
    raw = decompressBlock(data, MAX_BLOCK_BYTES);
  } catch (err) {
    throw new FlowBlockError(`a flow block that does not decompress (${(err as Error).message})`);
  }
  // Typed arrays need an aligned offset: a pooled Buffer may not have one.
  const bytes = raw.byteOffset % 8 === 0 ? raw : Buffer.from(raw);
  if (bytes.length < 4) throw new FlowBlockError('a flow block shorter than its header');
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) throw new FlowBlockError('a flow block whose header runs past its end');
  const header = parseHeader(bytes.toString('utf8', 4, 4 + headerLength));
  const n = header.n;
  let at = bytes.byteOffset + align8(4 + headerLength);
  const end = bytes.byteOffset + bytes.length;
  if (at + header.num.length * 8 * n + header.text.length * 4 * n > end) throw new FlowBlockError('a flow block shorter than its columns');
  const num: FlowColumns['num'] = {};
  for (const field of header.num) {
    num[field] = new Float64Array(bytes.buffer, at, n);
    at += 8 * n;
  }
  const dict = header.dict;
  const ids: FlowColumns['ids'] = {};
  for (const field of header.text) {
    const col = new Uint32Array(bytes.buffer, at, n);
    at += 4 * n;
    // Checked once here, so that a read of any id below is a dictionary entry or 0.
    for (let i = 0; i < n; i++) if (col[i] > dict.length) throw new FlowBlockError('a flow block whose column names a text its dictionary lacks');
    ids[field] = col;
  }
  const textOf = (id: number): string | null => (id === 0 ? null : dict[id - 1]);
  const t = (col: Uint32Array | undefined, i: number) => (col === undefined ? null : textOf(col[i]));
  const v = (col: Float64Array | undefined, i: number) => (col === undefined || Number.isNaN(col[i]) ? null : col[i]);
  return {
    n, ids, num, texts: dict.length,
    // A scan asks for a few texts a block (its filter's): a search of the dictionary costs less than indexing it.
    idOf: (value) => dict.indexOf(value) + 1,
    textOf,
    row: (i) => flowRowOf((f) => t(ids[f], i), (f) => v(num[f], i)),
  };
}

/** A record from its fields' values: every field named in the literal, one object shape for every record. */
export function flowRowOf(t: (field: TextField) => string | null, v: (field: NumericField) => number | null): FlowRow {
  return {
    version: v('version'), accountId: t('accountId'), interfaceId: t('interfaceId'), srcaddr: t('srcaddr'), dstaddr: t('dstaddr'),
    srcport: v('srcport'), dstport: v('dstport'), protocol: v('protocol'), packets: v('packets'), bytes: v('bytes'),
    startTime: v('startTime'), endTime: v('endTime'), action: t('action'), logStatus: t('logStatus'), vpcId: t('vpcId'),
    subnetId: t('subnetId'), instanceId: t('instanceId'), tcpFlags: v('tcpFlags'), trafficType: t('trafficType'),
    pktSrcaddr: t('pktSrcaddr'), pktDstaddr: t('pktDstaddr'), region: t('region'), azId: t('azId'),
    sublocationType: t('sublocationType'), sublocationId: t('sublocationId'), pktSrcAwsService: t('pktSrcAwsService'),
    pktDstAwsService: t('pktDstAwsService'), flowDirection: t('flowDirection'), trafficPath: v('trafficPath'),
  };
}

function parseHeader(json: string): Header {
  let h: unknown;
  try {
    h = JSON.parse(json);
  } catch {
    throw new FlowBlockError('a flow block whose header is not JSON');
  }
  const o = h as Partial<Header> | null;
  if (typeof o !== 'object' || o === null || o.v !== FLOW_BLOCK_VERSION) throw new FlowBlockError('a flow block of a format this build does not read');
  const fieldsOk = (list: unknown, known: readonly string[]) => Array.isArray(list) && list.every((f) => known.includes(f)) && new Set(list).size === list.length;
  if (!Number.isSafeInteger(o.n) || o.n! < 0 || o.n! > BLOCK_RECORDS || !Array.isArray(o.dict) || !o.dict.every((s) => typeof s === 'string') ||
    !fieldsOk(o.text, TEXT_FIELDS) || !fieldsOk(o.num, NUMERIC_FIELDS)) {
    throw new FlowBlockError('a flow block whose header is not one Trailscope writes');
  }
  return o as Header;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
