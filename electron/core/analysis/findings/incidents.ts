// Incidents: the findings of one origin (person, role, instance) close in time, read as a kill chain.
// An incident scores by its findings' severities, by how far along the chain it goes (reconnaissance →
// credentials → escalation → persistence → evasion → execution → exfiltration → impact: several
// stages in that order are what an intrusion looks like, and what background noise does not), and
// by rarity: signals that only say "new" weigh less for identities that vary a lot anyway.
import type { Finding, FindingCategory, FindingIncident, FindingSeverity } from '../../../../shared/engine-types.ts';
import { SEVERITY_ORDER } from '../../../../shared/severity-order.ts';

export const INCIDENT_GAP_MS = 6 * 3600_000;

export const KILL_CHAIN: FindingCategory[] = [
  'initial-access', 'credential-compromise', 'discovery', 'credential-access', 'privilege-escalation', 'persistence', 'defense-evasion',
  'execution', 'lateral-movement', 'exfiltration', 'impact',
];
const WEIGHT: Record<FindingSeverity, number> = { critical: 40, high: 16, medium: 5, low: 1 };
/** "New address/agent/region" alone says little: it counts for a fraction of a rule hit of the same severity. */
const NOVELTY_FACTOR = 0.35;
const NOVELTY = new Set(['new-source-ip', 'new-user-agent', 'new-region']);

/** Groups the findings (which it marks with their incident id) and returns the incidents, highest score first. */
export function groupIncidents(findings: Finding[]): FindingIncident[] {
  const byOrigin = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.actor?.origin.id ?? '';
    let list = byOrigin.get(key);
    if (!list) byOrigin.set(key, (list = []));
    list.push(f);
  }
  // Medium and worse findings make the incidents; low ones join the incident of their origin they fall
  // in (or near), so routine low noise neither stretches an incident over a day nor hides one.
  const groups: Finding[][] = [];
  for (const list of byOrigin.values()) {
    list.sort((a, b) => a.firstTime.localeCompare(b.firstTime));
    const mine = chain(list.filter((f) => f.severity !== 'low'));
    const spans = mine.map((g) => ({ g, from: Date.parse(g[0].firstTime) - INCIDENT_GAP_MS, to: Math.max(...g.map((f) => Date.parse(f.lastTime))) + INCIDENT_GAP_MS }));
    const orphans: Finding[] = [];
    for (const f of list) {
      if (f.severity !== 'low') continue;
      const t = Date.parse(f.firstTime);
      const home = spans.find((s) => t >= s.from && t <= s.to);
      if (home) home.g.push(f);
      else orphans.push(f);
    }
    for (const g of mine) g.sort((a, b) => a.firstTime.localeCompare(b.firstTime));
    groups.push(...mine, ...chain(orphans));
  }
  const scored = groups.map((g) => ({ g, ...score(g) }));
  scored.sort((a, b) => b.score - a.score || a.g[0].firstTime.localeCompare(b.g[0].firstTime));
  return scored.map(({ g, score: s, stages }, i) => {
    const id = i + 1;
    for (const f of g) f.incident = id;
    const severity = g.map((f) => f.severity).reduce((a, b) => (SEVERITY_ORDER[a] <= SEVERITY_ORDER[b] ? a : b));
    const origin = g[0].actor?.origin ?? null;
    // The origin's shown label: with its account where another account's origin has the same (origin-label.ts).
    const label = origin?.label ?? 'unattributed';
    return {
      id, origin: origin?.id ?? null, label, firstTime: g[0].firstTime, lastTime: g.map((f) => f.lastTime).reduce((a, b) => (a > b ? a : b)),
      severity: stages.length >= 3 && SEVERITY_ORDER[severity] <= SEVERITY_ORDER.high ? 'critical' : severity, score: Math.round(s), stages, findingCount: g.length,
      summary: `${label}: ${g.length} finding${g.length === 1 ? '' : 's'}${stages.length ? ` across ${stages.join(' → ')}` : ''}`,
    };
  });
}

/** Findings (in time order) cut where more than INCIDENT_GAP_MS passes without one. */
function chain(list: Finding[]): Finding[][] {
  const out: Finding[][] = [];
  let current: Finding[] = [];
  let last = -Infinity;
  for (const f of list) {
    const t = Date.parse(f.firstTime);
    if (current.length && t - last > INCIDENT_GAP_MS) {
      out.push(current);
      current = [];
    }
    current.push(f);
    last = Math.max(last, Date.parse(f.lastTime));
  }
  if (current.length) out.push(current);
  return out;
}

function score(g: Finding[]): { score: number; stages: FindingCategory[] } {
  let s = 0;
  for (const f of g) s += WEIGHT[f.severity] * (NOVELTY.has(f.kind) ? NOVELTY_FACTOR : 1);
  // Stages reached by more than novelty alone, in kill-chain order of first appearance.
  const firstAt = new Map<FindingCategory, string>();
  for (const f of g) {
    if (NOVELTY.has(f.kind) || f.severity === 'low') continue;
    const prev = firstAt.get(f.category);
    if (!prev || f.firstTime < prev) firstAt.set(f.category, f.firstTime);
  }
  const stages = KILL_CHAIN.filter((c) => firstAt.has(c));
  // Each further stage adds more than the one before; stages that happen in kill-chain order add again.
  s += stages.length > 1 ? 12 * (stages.length - 1) ** 1.5 : 0;
  let ordered = 0;
  for (let i = 1; i < stages.length; i++) if (firstAt.get(stages[i - 1])! <= firstAt.get(stages[i])!) ordered++;
  s += 8 * ordered;
  return { score: s, stages };
}
