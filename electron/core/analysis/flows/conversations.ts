// Flows rolled up into conversations (interface, peer, service port, protocol, direction, time window)
// over the earliest records that match (a bound: a question about the whole case of a busy account
// reads at most that many). Read from the blocks' columns (flow-records.ts): each block's texts are
// classified once per dictionary id, its records grouped on ids, and every conversation counted in
// numbers; only those answered become objects. A record object per record, its ISO times and a
// conversation object for each of the hundreds of thousands a scanned account has cost most of the
// answer on a million records (and as much again in garbage collection).
import type { FlowConversation } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowColumns } from '../../db/flow-block-codec.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { iso } from '../prepared.ts';
import { flowConversationKey } from '../../../../shared/flow-key.ts';
import { scanFlowRecords, type FlowRecordFilter } from './flow-records.ts';
import { EarliestRecords, type RecordOrder } from './earliest-records.ts';
import { ConversationTable, TextNumbers, NO_TEXT } from './conversation-table.ts';
import { BlockTexts } from './block-texts.ts';

export type RollUp = { windowMs: number; limit: number; maxScan: number };

const DIRECTIONS: FlowConversation['direction'][] = ['inbound', 'outbound', 'unknown'];

/**
 * The conversations of the earliest `maxScan` matching records (by start, records without one first,
 * then by id), in the order of each one's earliest record, at most `limit`.
 */
export function rollUpConversations(db: CaseDb, filter: FlowRecordFilter, r: RollUp): FlowConversation[] {
  const earliest = new EarliestRecords(r.maxScan);
  let counted = countConversations(db, filter, r.windowMs, null, earliest);
  // More matched than the bound: count again, only the earliest.
  if (earliest.seen > r.maxScan) counted = countConversations(db, filter, r.windowMs, earliest.cutoff(), null);
  const { table, texts } = counted;
  const f = table.fields;
  const text = (n: number) => (n === NO_TEXT ? null : texts.text(n));
  const number = (v: number) => (Number.isNaN(v) ? null : v);
  return table.inOrderOfFirstRecord().slice(0, r.limit).map((c): FlowConversation => {
    const interfaceId = text(f.eni[c]);
    const peer = text(f.peer[c]);
    const direction = DIRECTIONS[f.direction[c]];
    const port = number(f.port[c]);
    const protocol = number(f.protocol[c]);
    const w = f.window[c];
    return {
      key: flowConversationKey({ interfaceId, direction, peerAddress: peer, port, protocol }),
      interfaceId, localAddress: text(f.local[c]), peerAddress: peer, direction, port, protocol,
      windowStart: iso(w)!, windowEnd: iso(w + r.windowMs)!, firstSeen: iso(f.firstStart[c]), lastSeen: iso(f.last[c]),
      records: f.records[c], packets: f.packets[c], bytes: f.bytes[c], accepted: f.accepted[c], rejected: f.rejected[c],
      peerIsPublic: isPublicAddress(peer),
    };
  });
}

/**
 * One pass: every matching record with a start counted into its conversation, those after `cutoff`
 * left out; `earliest` sees every matching record.
 */
function countConversations(db: CaseDb, f: FlowRecordFilter, windowMs: number, cutoff: RecordOrder | null, earliest: EarliestRecords | null) {
  const texts = new TextNumbers();
  const table = new ConversationTable();
  let block: BlockConversations | null = null;
  scanFlowRecords(db, f, (cols, i, id) => {
    const start = cols.num.startTime?.[i] ?? NaN;
    earliest?.add(start, id);
    if (cutoff && !cutoff.includes(start, id)) return;
    if (Number.isNaN(start)) return;
    if (block?.cols !== cols) block = new BlockConversations(cols, windowMs, texts, table);
    block.add(i, start, id);
  }, { beforeBlock: (first) => {
    // Blocks with records without a start come first, the rest by first start: past the cutoff (or
    // past the earliest records once enough are seen), no later record can count.
    const bound = cutoff ?? earliest?.boundSoFar() ?? null;
    return first === null || bound === null || first <= bound.start;
  } });
  return { table, texts };
}

/** One block's records counted into the table, each distinct group of ids looked up once. */
class BlockConversations {
  private readonly texts: BlockTexts;
  /** The block's text ids as numbers of the whole answer. */
  private readonly answerNumbers = new Map<number, number>();
  private readonly groups = new Map<string, number>();
  private readonly src: Uint32Array;
  private readonly dst: Uint32Array;
  private readonly dir: Uint32Array;
  private readonly eni: Uint32Array;
  private readonly action: Uint32Array;
  private readonly srcport: Float64Array;
  private readonly dstport: Float64Array;
  private readonly protocol: Float64Array;
  private readonly end: Float64Array;
  private readonly packets: Float64Array;
  private readonly bytes: Float64Array;

  constructor(readonly cols: FlowColumns, private readonly windowMs: number, private readonly numbers: TextNumbers, private readonly table: ConversationTable) {
    const texts = (this.texts = new BlockTexts(cols));
    this.src = texts.text('srcaddr');
    this.dst = texts.text('dstaddr');
    this.dir = texts.text('flowDirection');
    this.eni = texts.text('interfaceId');
    this.action = texts.text('action');
    this.srcport = texts.number('srcport');
    this.dstport = texts.number('dstport');
    this.protocol = texts.number('protocol');
    this.end = texts.number('endTime');
    this.packets = texts.number('packets');
    this.bytes = texts.number('bytes');
  }

  private numberOf(id: number): number {
    if (id === 0) return NO_TEXT;
    let n = this.answerNumbers.get(id);
    if (n === undefined) this.answerNumbers.set(id, (n = this.numbers.numberOf(this.cols.textOf(id)!)));
    return n;
  }

  add(i: number, start: number, id: number): void {
    const src = this.src[i];
    const dst = this.dst[i];
    const dir = this.dir[i];
    const srcport = this.srcport[i];
    const dstport = this.dstport[i];
    // Which side is ours: flow-direction when logged, else the private side, else unknown.
    const texts = this.texts;
    let inbound: boolean | null = null;
    if (BlockTexts.is(dir, texts.ingress)) inbound = true;
    else if (BlockTexts.is(dir, texts.egress)) inbound = false;
    else if (texts.isPublic(src) && !texts.isPublic(dst)) inbound = true;
    else if (!texts.isPublic(src) && texts.isPublic(dst)) inbound = false;
    // A reply from our service port to the peer's ephemeral port belongs to the same conversation.
    const reply = srcport < dstport && srcport < 1024;
    let direction = 0; // DIRECTIONS' index
    let local = dst;
    let peer = src;
    let port = dstport;
    if (inbound === null) direction = 2;
    else if (!inbound) [direction, local, peer, port] = reply ? [0, src, dst, srcport] : [1, src, dst, dstport];
    const eni = this.eni[i];
    const protocol = this.protocol[i];
    const w = Math.floor(start / this.windowMs) * this.windowMs;
    const groupKey = `${eni},${peer},${port},${protocol},${direction},${w}`;
    let c = this.groups.get(groupKey);
    if (c === undefined) {
      c = this.table.conversation(this.numberOf(eni), this.numberOf(peer), port, protocol, direction, w);
      this.groups.set(groupKey, c);
    }
    const end = this.end[i];
    const action = this.action[i];
    this.table.count(c, start, id, this.numberOf(local), Number.isNaN(end) ? start : end, this.packets[i], this.bytes[i],
      BlockTexts.is(action, texts.accept), BlockTexts.is(action, texts.reject));
  }
}
