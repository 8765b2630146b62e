// The conversations of one answer while they are counted (conversations.ts): a column of numbers per
// field, one row per conversation, and the texts they name numbered once. A scanned account has
// hundreds of thousands of conversations; an object and its strings each were most of the answer's
// garbage, and only the few answered need to become objects.

/** The number of "no text" (a null field). */
export const NO_TEXT = -1;

/** Texts numbered in the order first met. */
export class TextNumbers {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];

  numberOf(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.numbers.set(text, n);
      this.texts.push(text);
    }
    return n;
  }

  text(n: number): string {
    return this.texts[n];
  }
}

const COLUMNS = ['eni', 'peer', 'port', 'protocol', 'direction', 'window', 'firstStart', 'firstId', 'local', 'last',
  'records', 'packets', 'bytes', 'accepted', 'rejected'] as const;
type Column = (typeof COLUMNS)[number];

export class ConversationTable {
  /** Conversations by their key: texts and numbers of the fields that make one conversation. */
  private readonly rows = new Map<string, number>();
  private size = 0;
  private capacity = 1024;
  private columns = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(1024)])) as Record<Column, Float64Array>;

  /** Every row's fields, a column each (replaced as the table grows: read it once counting is done). */
  get fields(): Readonly<Record<Column, Float64Array>> {
    return this.columns;
  }

  /** The row of a conversation, added with nothing counted when new. Texts as TextNumbers' numbers, NaN for a missing number. */
  conversation(eni: number, peer: number, port: number, protocol: number, direction: number, window: number): number {
    const key = `${eni},${peer},${port},${protocol},${direction},${window}`;
    let row = this.rows.get(key);
    if (row !== undefined) return row;
    row = this.size++;
    if (row === this.capacity) this.grow();
    const c = this.columns;
    c.eni[row] = eni;
    c.peer[row] = peer;
    c.port[row] = port;
    c.protocol[row] = protocol;
    c.direction[row] = direction;
    c.window[row] = window;
    c.firstStart[row] = Infinity;
    c.firstId[row] = Infinity;
    c.local[row] = NO_TEXT;
    c.last[row] = -Infinity;
    this.rows.set(key, row);
    return row;
  }

  /** Counts one record (its local side's text number, end or else start, and NaN for a missing count). */
  count(row: number, start: number, id: number, local: number, last: number, packets: number, bytes: number, accepted: boolean, rejected: boolean): void {
    const c = this.columns;
    // The earliest record names the local side, as the first of a time-ordered read would.
    if (start < c.firstStart[row] || (start === c.firstStart[row] && id < c.firstId[row])) {
      c.firstStart[row] = start;
      c.firstId[row] = id;
      c.local[row] = local;
    }
    if (last > c.last[row]) c.last[row] = last;
    c.records[row]++;
    if (!Number.isNaN(packets)) c.packets[row] += packets;
    if (!Number.isNaN(bytes)) c.bytes[row] += bytes;
    if (accepted) c.accepted[row]++;
    if (rejected) c.rejected[row]++;
  }

  /** Row numbers in the order of each conversation's earliest record (start, then id). */
  inOrderOfFirstRecord(): number[] {
    const { firstStart, firstId } = this.columns;
    return Array.from({ length: this.size }, (_, i) => i).sort((a, b) => firstStart[a] - firstStart[b] || firstId[a] - firstId[b]);
  }

  private grow(): void {
    this.capacity *= 2;
    for (const name of COLUMNS) {
      const grown = new Float64Array(this.capacity);
      grown.set(this.columns[name]);
      this.columns[name] = grown;
    }
  }
}
