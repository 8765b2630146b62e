// Flow records being read, kept as the columns a block stores (flow-block-codec.ts) rather than an
// object per record: one dictionary for the texts, a typed array per field, and each record's content
// hash (flow-content-hash.ts). The line reader (ingest/parse/flow-parser.ts) writes a line's fields
// straight into the next slot; other sources add whole rows. A full builder is one block
// (flow-block.ts flowBlockOf), so a record's texts are looked up once, here, and nothing per record
// is left for the garbage collector. Records are kept as read, duplicates included: the block drops those.
import { BLOCK_RECORDS, flowRowOf, NUMERIC_FIELDS, TEXT_FIELDS, type NumericField, type TextField } from './flow-block-codec.ts';
import { flowContentHash, HASHED_FIELDS, hashBegin, hashEnd, hashNumber, hashText } from './flow-content-hash.ts';
import type { FlowRow } from './flow-row.ts';

/** Records a builder holds at most: one block (and one message from a reader thread). */
export const FLOW_PART_RECORDS = 20_000;
/** Slots a builder's columns start with. */
const FIRST_ROOM = 1024;

export const TEXT_SLOT = Object.fromEntries(TEXT_FIELDS.map((f, k) => [f, k])) as Record<TextField, number>;
export const NUMBER_SLOT = Object.fromEntries(NUMERIC_FIELDS.map((f, k) => [f, k])) as Record<NumericField, number>;

/**
 * The column whose last value a text column's value most often is when it is not its own last: the
 * packet's addresses are the flow's own but behind a NAT gateway or a load balancer. -1: none.
 */
const SAME_AS = TEXT_FIELDS.map((f) => (f === 'pktSrcaddr' ? TEXT_SLOT.srcaddr : f === 'pktDstaddr' ? TEXT_SLOT.dstaddr : -1));

/** Whether text[p, q) is `value`, compared in place. '' is the last value of a column that has none yet: an empty range never matches it. */
function holds(text: string, p: number, q: number, value: string): boolean {
  return q - p === value.length && q > p && text.startsWith(value, p);
}

// The hashed fields in the hash's order (HASHED_FIELDS) as this builder's columns: whether each is a
// text, and its slot among the texts or the numbers.
const HASHED_TEXT = HASHED_FIELDS.map(([, kind]) => kind === 'text');
const HASHED_SLOTS = HASHED_FIELDS.map(([field, kind]) => (kind === 'text' ? TEXT_SLOT[field as TextField] : NUMBER_SLOT[field as NumericField]));

export class FlowColumnsBuilder {
  /** Records kept so far; the next record is written at this slot. */
  length = 0;
  readonly dict: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Per text field (TEXT_FIELDS order): dictionary id + 1 per record, 0 for null; null until a record has one. */
  readonly text: (Uint32Array | null)[] = TEXT_FIELDS.map(() => null);
  /** Per numeric field (NUMERIC_FIELDS order): the number, NaN for null; null until a record has one. */
  readonly num: (Float64Array | null)[] = NUMERIC_FIELDS.map(() => null);
  hashes: Float64Array;
  /** Slots the columns have now: they grow to `capacity` as records come (a file of a thousand records does not clear room for twenty thousand). */
  private room: number;
  // Most columns repeat the value of the record before (account, interface, action, status): compared in
  // place first, looked up only when it changes.
  private readonly lastText: string[] = TEXT_FIELDS.map(() => '');
  private readonly lastId: number[] = TEXT_FIELDS.map(() => 0);
  // The slot a column was made at: a record given up (a line refused half way) takes back the columns it made.
  private readonly textMadeAt: number[] = TEXT_FIELDS.map(() => -1);
  private readonly numMadeAt: number[] = NUMERIC_FIELDS.map(() => -1);

  constructor(readonly capacity = FLOW_PART_RECORDS) {
    // Ids would run into the next block's, and the block would not decode.
    if (capacity > BLOCK_RECORDS) throw new RangeError(`a flow block holds at most ${BLOCK_RECORDS} records, not ${capacity}`);
    this.room = Math.min(capacity, FIRST_ROOM);
    this.hashes = new Float64Array(this.room);
  }

  /** These rows, as read (no hashes: for packing rows as they are). */
  static of(rows: readonly FlowRow[]): FlowColumnsBuilder {
    const records = new FlowColumnsBuilder(Math.max(1, rows.length));
    for (const r of rows) records.addRow(r, 0);
    return records;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Writes text[p, q) as the next record's value of text field `k`. */
  setTextRange(k: number, text: string, p: number, q: number): void {
    const alias = SAME_AS[k];
    let id: number;
    if (holds(text, p, q, this.lastText[k])) id = this.lastId[k];
    else if (alias >= 0 && holds(text, p, q, this.lastText[alias])) {
      id = this.lastId[alias];
      this.lastText[k] = this.lastText[alias];
      this.lastId[k] = id;
    } else id = this.remember(k, text.slice(p, q));
    this.textColumn(k)[this.length] = id;
  }

  setText(k: number, value: string | null): void {
    if (value === null) return;
    const id = value === this.lastText[k] && value !== '' ? this.lastId[k] : this.remember(k, value);
    this.textColumn(k)[this.length] = id;
  }

  setNumber(k: number, value: number | null): void {
    if (value !== null) this.numberColumn(k)[this.length] = value;
  }

  /** Keeps the record written in the next slot, with its content hash. */
  commit(hash: number): void {
    // A typed array ignores a write past its end: a record written into a full builder would vanish.
    if (this.length >= this.capacity) throw new RangeError(`a flow builder of ${this.capacity} records is full`);
    this.hashes[this.length++] = hash;
    if (this.length === this.room && this.room < this.capacity) this.grow();
  }

  /** Gives up the record written in the next slot: its values go, and the columns it alone made. */
  discard(): void {
    const i = this.length;
    for (let k = 0; k < this.text.length; k++) {
      const col = this.text[k];
      if (col === null) continue;
      if (this.textMadeAt[k] === i) this.text[k] = null;
      else col[i] = 0;
    }
    for (let k = 0; k < this.num.length; k++) {
      const col = this.num[k];
      if (col === null) continue;
      if (this.numMadeAt[k] === i) this.num[k] = null;
      else col[i] = Number.NaN;
    }
  }

  /** A whole record (a CloudWatch Logs message, a live pull's page, a stored block's row). */
  addRow(r: FlowRow, hash = flowContentHash(r)): void {
    this.setNumber(NUMBER_SLOT.version, r.version);
    this.setText(TEXT_SLOT.accountId, r.accountId);
    this.setText(TEXT_SLOT.interfaceId, r.interfaceId);
    this.setText(TEXT_SLOT.srcaddr, r.srcaddr);
    this.setText(TEXT_SLOT.dstaddr, r.dstaddr);
    this.setNumber(NUMBER_SLOT.srcport, r.srcport);
    this.setNumber(NUMBER_SLOT.dstport, r.dstport);
    this.setNumber(NUMBER_SLOT.protocol, r.protocol);
    this.setNumber(NUMBER_SLOT.packets, r.packets);
    this.setNumber(NUMBER_SLOT.bytes, r.bytes);
    this.setNumber(NUMBER_SLOT.startTime, r.startTime);
    this.setNumber(NUMBER_SLOT.endTime, r.endTime);
    this.setText(TEXT_SLOT.action, r.action);
    this.setText(TEXT_SLOT.logStatus, r.logStatus);
    this.setText(TEXT_SLOT.vpcId, r.vpcId);
    this.setText(TEXT_SLOT.subnetId, r.subnetId);
    this.setText(TEXT_SLOT.instanceId, r.instanceId);
    this.setNumber(NUMBER_SLOT.tcpFlags, r.tcpFlags);
    this.setText(TEXT_SLOT.trafficType, r.trafficType);
    this.setText(TEXT_SLOT.pktSrcaddr, r.pktSrcaddr);
    this.setText(TEXT_SLOT.pktDstaddr, r.pktDstaddr);
    this.setText(TEXT_SLOT.region, r.region);
    this.setText(TEXT_SLOT.azId, r.azId);
    this.setText(TEXT_SLOT.sublocationType, r.sublocationType);
    this.setText(TEXT_SLOT.sublocationId, r.sublocationId);
    this.setText(TEXT_SLOT.pktSrcAwsService, r.pktSrcAwsService);
    this.setText(TEXT_SLOT.pktDstAwsService, r.pktDstAwsService);
    this.setText(TEXT_SLOT.flowDirection, r.flowDirection);
    this.setNumber(NUMBER_SLOT.trafficPath, r.trafficPath);
    this.commit(hash);
  }

  /** The content hash of the record written in the next slot, from its values (flowContentHash's). */
  slotHash(): number {
    const i = this.length;
    hashBegin();
    for (let h = 0; h < HASHED_SLOTS.length; h++) {
      if (HASHED_TEXT[h]) hashText(this.textAt(HASHED_SLOTS[h], i));
      else hashNumber(this.numberAt(HASHED_SLOTS[h], i));
    }
    return hashEnd();
  }

  /** Record `i` as a row (for callers that filter or keep rows: a live pull, tests). */
  row(i: number): FlowRow {
    return flowRowOf((f) => this.textAt(TEXT_SLOT[f], i), (f) => this.numberAt(NUMBER_SLOT[f], i));
  }

  /** Record `i`'s value of text field `k`, null for none. */
  private textAt(k: number, i: number): string | null {
    const id = this.text[k]?.[i] ?? 0;
    return id === 0 ? null : this.dict[id - 1];
  }

  /** Record `i`'s value of numeric field `k`, null for none. */
  private numberAt(k: number, i: number): number | null {
    const v = this.num[k]?.[i] ?? Number.NaN;
    return Number.isNaN(v) ? null : v;
  }

  rows(): FlowRow[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  /**
   * Drops the records whose hash an earlier record has (the same record twice: a file that repeats a
   * line), moving the others up; returns how many went.
   */
  dropRepeated(seen: { add(h: number): boolean }): number {
    let kept = 0;
    const n = this.length;
    for (let i = 0; i < n; i++) {
      if (!seen.add(this.hashes[i])) continue;
      if (kept !== i) {
        this.hashes[kept] = this.hashes[i];
        for (const col of this.text) if (col !== null) col[kept] = col[i];
        for (const col of this.num) if (col !== null) col[kept] = col[i];
      }
      kept++;
    }
    this.length = kept;
    return n - kept;
  }

  /** The dictionary id of a text column's new value, kept as the column's last. */
  private remember(k: number, value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.dict.push(value);
      this.ids.set(value, id);
    }
    this.lastText[k] = value;
    this.lastId[k] = id;
    return id;
  }

  /** The next slot always exists: the columns grow when the last one is taken. */
  private grow(): void {
    const room = Math.min(this.capacity, this.room * 2);
    const hashes = new Float64Array(room);
    hashes.set(this.hashes);
    this.hashes = hashes;
    for (let k = 0; k < this.text.length; k++) {
      const col = this.text[k];
      if (col === null) continue;
      const grown = new Uint32Array(room);
      grown.set(col);
      this.text[k] = grown;
    }
    for (let k = 0; k < this.num.length; k++) {
      const col = this.num[k];
      if (col === null) continue;
      const grown = new Float64Array(room).fill(Number.NaN);
      grown.set(col);
      this.num[k] = grown;
    }
    this.room = room;
  }

  private textColumn(k: number): Uint32Array {
    let col = this.text[k];
    if (col === null) {
      col = this.text[k] = new Uint32Array(this.room);
      this.textMadeAt[k] = this.length;
    }
    return col;
  }

  private numberColumn(k: number): Float64Array {
    let col = this.num[k];
    if (col === null) {
      col = this.num[k] = new Float64Array(this.room).fill(Number.NaN);
      this.numMadeAt[k] = this.length;
    }
    return col;
  }
}
