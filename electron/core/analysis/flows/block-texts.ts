// What a scan needs to know of one block's texts, by dictionary id, each worked out once: whether an
// address is public, and the ids of the flow-direction and action words (0 when no record of the
// block holds one). Counting on ids (peer-counts.ts, conversations.ts) compares numbers per record.
import type { FlowColumns } from '../../db/flow-block-codec.ts';
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

  /** Whether an id is this word's (0, a missing value, never is). */
  static is(id: number, word: number): boolean {
    return id !== 0 && id === word;
  }
}
