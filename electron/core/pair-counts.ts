// Counts of (a, b) pairs of interned ids, such as who called which service: a map per first id, since
// two ids of a large case do not fit one exact number key. Calls per owner and service are counted with
// it each hour (db/call-hours.ts), and the graph overview counts an hour's calls per identity and service.
export class PairCounts {
  private readonly byFirst = new Map<number, Map<number, number>>();

  add(a: number, b: number, n = 1): void {
    let bySecond = this.byFirst.get(a);
    if (!bySecond) this.byFirst.set(a, (bySecond = new Map()));
    bySecond.set(b, (bySecond.get(b) ?? 0) + n);
  }

  /** Every pair with its count, by first id then second id, ascending. */
  forEach(visit: (a: number, b: number, n: number) => void): void {
    for (const a of [...this.byFirst.keys()].sort((x, y) => x - y)) {
      const bySecond = this.byFirst.get(a)!;
      for (const b of [...bySecond.keys()].sort((x, y) => x - y)) visit(a, b, bySecond.get(b)!);
    }
  }
}
