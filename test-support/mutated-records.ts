// Real CloudTrail records mutated the way hostile or broken exports are: a field's type changed, a
// member dropped, a value replaced by one no AWS service writes (a number past any date, a lone
// surrogate, markup, a formula, a far date, a deep array), and real flow log lines with fields replaced
// or dropped. Seeded, so a failure is reproduced by its seed. Mutating the real samples found three ingest failures that stopped whole ingests
// (hostile-inputs.test.ts names them); mutated-inputs.test.ts keeps running them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allStratusRecords, readJson, REAL } from './real-samples.ts';

/** A seeded generator of numbers in [0, 1) (a linear congruential generator: enough to pick with). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const ODD_VALUES: unknown[] = [
  null, 0, -1, 1.5, 1e308, -1e308, 99999999999999999999, '', ' ', 'x\ud800', '\udfffy', '\u0000', 'x'.repeat(20_000),
  [], {}, [[[]]], [null, 1, 'a'], { items: null }, { items: [null, {}] }, { a: { b: { c: {} } } }, true,
  '<img src=x onerror=alert(1)>', '=HYPERLINK("http://example.com")', "'; DROP TABLE event_rows; --", '../../etc/passwd',
  '2024-13-45T99:99:99Z', '9999-12-31T23:59:59Z', '0050-01-01T00:00:00Z', '1e308', 'NaN', '0.0.0.0/0', '::/0',
  'arn:aws:iam::123456789012:role/' + 'a/'.repeat(100), 'ASIA' + 'Z'.repeat(200), '__proto__', { __proto__: { polluted: 1 } },
];
/** Members a mutation may add beside the record's own. */
const ODD_MEMBERS = ['__proto__', 'constructor', 'toString', 'eventTime', 'userIdentity', 'Records', 'sessionContext', 'items'];

export function mutatedRecords(seed: number, count: number): Record<string, unknown>[] {
  const rnd = seeded(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const odd = () => structuredClone(pick(ODD_VALUES));
  const mutate = (v: unknown): unknown => {
    if (rnd() < 0.04) return odd();
    if (Array.isArray(v)) return v.map(mutate);
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (rnd() >= 0.03) o[k] = mutate(x);
      if (rnd() < 0.02) Object.defineProperty(o, pick(ODD_MEMBERS), { value: odd(), enumerable: true, configurable: true, writable: true });
      return o;
    }
    return v;
  };
  const base = [
    ...allStratusRecords().map((s) => s.record),
    ...(readJson('trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json') as { Records: unknown[] }).Records,
  ];
  return Array.from({ length: count }, (_, i) => {
    const r = { ...(structuredClone(pick(base)) as Record<string, unknown>), eventID: `mutated-${seed}-${i}` };
    // A fifth kept whole: the good records beside the bad, in every file. A record stays an object
    // (its members are mutated): a file of non-objects is another test's (an unrecognized file).
    if (rnd() < 0.2) return r;
    return Object.fromEntries(Object.entries(r).filter(() => rnd() >= 0.03).map(([k, v]) => [k, mutate(v)]));
  });
}

/** Flow log fields no delivery writes: past 2^53, past any date, not a number, markup, nothing. */
const ODD_FIELDS = ['99999999999999999999', '999999999999999', '18446744073709551616', '9007199254740993', '1e308', '-5', '1.5', 'NaN', '', '-',
  '<b>', '=1+1', 'x'.repeat(5000), '255.255.255.256', '::1', 'eni-' + 'a'.repeat(300)];

/** The default-format lines of AWS's flow log examples, `count` of them, a field of most replaced or a field dropped. */
export function mutatedFlowLines(seed: number, count: number): string[] {
  const rnd = seeded(seed);
  const dir = join(REAL, 'awsdocs-vpc-user-guide/extracted');
  const real = readdirSync(dir).filter((f) => f.startsWith('flow-logs-records-examples')).sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n')).filter((l) => /^2 \d{12} /.test(l) && l.split(' ').length === 14);
  return Array.from({ length: count }, () => {
    const fields = real[Math.floor(rnd() * real.length)].split(' ');
    if (rnd() < 0.2) return fields.join(' ');
    const at = Math.floor(rnd() * fields.length);
    if (rnd() < 0.1) fields.splice(at, 1);
    else fields[at] = ODD_FIELDS[Math.floor(rnd() * ODD_FIELDS.length)];
    return fields.join(' ');
  });
}
