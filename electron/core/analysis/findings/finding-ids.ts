// A finding's id: what the data names, so it is the same in every run, after re-ingest and in every
// tool (a suppression, an annotation, `trailscope suppress --finding`): the rule and the eventID of
// the first event behind it. Two findings of one rule starting on the same event (different values)
// are told apart by a suffix given in the order of their values and titles, not of the engine's output.
import type { Finding } from '../../../../shared/engine-types.ts';

const baseOf = (f: Finding) => `${f.rule?.id ?? f.kind}@${f.eventIds[0] ?? f.firstTime}`;

export function withFindingIds(findings: Finding[]): Finding[] {
  const order = findings.map((f, i) => ({ i, key: `${baseOf(f)}\u0000${f.value ?? ''}\u0000${f.title}` })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const ids: string[] = new Array(findings.length);
  const seen = new Map<string, number>();
  for (const { i } of order) {
    const base = baseOf(findings[i]);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    ids[i] = n === 1 ? base : `${base}#${n}`;
  }
  return findings.map((f, i) => ({ ...f, id: ids[i] }));
}
