// What a scan needs to know of one block's texts, by dictionary id, each worked out once: whether an
// address is public, and the ids of the flow-direction and action words (0 when no record of the
// block holds one); and its columns, a column the block does not store (all nulls) read as nulls.
// Counting on ids (peer-counts.ts, conversations.ts) compares numbers per record.
import type { FlowColumns, NUMERIC_FIELDS, TEXT_FIELDS } from '../../db/flow-block-codec.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';

export class BlockTexts {
  private readonly publicIds = new Map<number, boolean>();
  readonly ingress: number;
  readonly egress: number;
  readonly accept: number;
  readonly reject: number;

  constructor(private readonly cols: FlowColumns) {
    this.ingress = cols.idOf('ingress');
    this.egress = cols.idOf('egress');
    this.accept = cols.idOf('ACCEPT');
    this.reject = cols.idOf('REJECT');
  }

  /** Whether the address of this id is public (id 0, no address, is not). */
  isPublic(id: number): boolean {
    let p = this.publicIds.get(id);
    if (p === undefined) this.publicIds.set(id, (p = isPublicAddress(this.cols.textOf(id))));
    return p;
  }

  /** A text column's ids, 0 (null) throughout when the block stores none. */
  text(field: (typeof TEXT_FIELDS)[number]): Uint32Array {
    return this.cols.ids[field] ?? nullIds(this.cols.n);
  }

  /** A numeric column, NaN (null) throughout when the block stores none. */
  number(field: (typeof NUMERIC_FIELDS)[number]): Float64Array {
    return this.cols.num[field] ?? nullNumbers(this.cols.n);
  }

  /** Whether an id is this word's (0, a missing value, never is). */
  static is(id: number, word: number): boolean {
    return id !== 0 && id === word;
  }
}

// Columns of nulls, shared and only read: long enough for the largest block asked about so far.
let noIds = new Uint32Array(0);
let noNumbers = new Float64Array(0);

function nullIds(n: number): Uint32Array {
  if (noIds.length < n) noIds = new Uint32Array(n);
  return noIds;
}

function nullNumbers(n: number): Float64Array {
  if (noNumbers.length < n) noNumbers = new Float64Array(n).fill(Number.NaN);
  return noNumbers;
}
