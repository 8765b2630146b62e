// The rule engine's first-pass candidates (run-rules.ts), kept as numbers until the second pass reads
// their records block by block. A Sigma rule that names no event makes nearly every event a candidate:
// 95,000 of 100,000 events with the SigmaHQ CloudTrail rules loaded; as objects (the row with all its
// columns, its rules, its routine flags) that was about 600 bytes each, 600 MB at a million events.
// Here a candidate is six numbers, and its rules one of the few combinations the rules make.
import type { EventRule } from './rule-types.ts';

export type Candidate = { id: number; time: number; actor: number | null; block: number; index: number; rules: EventRule[]; routine: boolean[] };

type Place = { id: number; time: number; actor: number | null; block: number; index: number };

const FIELDS = 6;

export class CandidateList {
  private fields = new Float64Array(FIELDS * 1024);
  private count = 0;
  private readonly choices: { rules: EventRule[]; routine: boolean[] }[] = [];
  private readonly choiceOf = new Map<string, number>();
  private readonly ruleNumbers = new Map<EventRule, number>();

  get size(): number {
    return this.count;
  }

  add(row: Place, rules: EventRule[], routine: boolean[]): void {
    let key = '';
    for (let k = 0; k < rules.length; k++) {
      let n = this.ruleNumbers.get(rules[k]);
      if (n === undefined) this.ruleNumbers.set(rules[k], (n = this.ruleNumbers.size));
      key += `${n}${routine[k] ? 'r' : ''},`;
    }
    let choice = this.choiceOf.get(key);
    if (choice === undefined) {
      this.choiceOf.set(key, (choice = this.choices.length));
      this.choices.push({ rules, routine });
    }
    if ((this.count + 1) * FIELDS > this.fields.length) {
      const grown = new Float64Array(this.fields.length * 2);
      grown.set(this.fields);
      this.fields = grown;
    }
    const o = this.count++ * FIELDS;
    const f = this.fields;
    f[o] = row.id;
    f[o + 1] = row.time;
    f[o + 2] = row.actor ?? Number.NaN;
    f[o + 3] = row.block;
    f[o + 4] = row.index;
    f[o + 5] = choice;
  }

  /** In the order of their raw blocks and their places in them (each block inflated once); ties in the order added. */
  *byBlock(): Generator<Candidate> {
    const f = this.fields;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => f[a * FIELDS + 3] - f[b * FIELDS + 3] || f[a * FIELDS + 4] - f[b * FIELDS + 4] || a - b);
    for (const i of order) {
      const o = i * FIELDS;
      const { rules, routine } = this.choices[f[o + 5]];
      yield { id: f[o], time: f[o + 1], actor: Number.isNaN(f[o + 2]) ? null : f[o + 2], block: f[o + 3], index: f[o + 4], rules, routine };
    }
  }
}
