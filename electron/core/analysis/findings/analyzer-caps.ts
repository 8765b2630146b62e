// The analyzers' bounds, as the rule engine's (rules/run-rules.ts): a kind lists at most as many
// findings as an event rule does, and the findings list says how many it left out. A crafted or very
// noisy case (a denied burst from each of 50,000 one-call credentials, failed sign-ins from every
// address of a botnet) would otherwise read the events of every run and store a finding for each.
import type { Finding, FindingKind } from '../../../../shared/engine-types.ts';
import { builtinRule } from './builtin/builtin-rules.ts';
import { MAX_FINDINGS_PER_RULE } from './findings-per-rule.ts';
import { SEVERITY_ORDER } from '../../../../shared/severity-order.ts';

/**
 * The runs an analyzer turns into findings, before their events are read: all of them, or when there
 * are more than it lists, the largest (then the earliest), with a note naming what was left out.
 */
export function largestRuns<T extends { n: number; from: number }>(runs: T[], kind: FindingKind, notes: string[]): T[] {
  if (runs.length <= MAX_FINDINGS_PER_RULE) return runs;
  notes.push(`${named(kind)}: ${(runs.length - MAX_FINDINGS_PER_RULE).toLocaleString('en-US')} more findings not listed (the ${MAX_FINDINGS_PER_RULE.toLocaleString('en-US')} largest kept)`);
  return [...runs].sort((a, b) => b.n - a.n || a.from - b.from).slice(0, MAX_FINDINGS_PER_RULE);
}

/** An analyzer's findings of one kind, at most as many as it lists: the most severe, then the earliest. */
export function mostSevere(found: Finding[], kind: FindingKind, notes: string[]): Finding[] {
  if (found.length <= MAX_FINDINGS_PER_RULE) return found;
  notes.push(`${named(kind)}: ${(found.length - MAX_FINDINGS_PER_RULE).toLocaleString('en-US')} more findings not listed (the ${MAX_FINDINGS_PER_RULE.toLocaleString('en-US')} most severe kept)`);
  return [...found].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.firstTime.localeCompare(b.firstTime))
    .slice(0, MAX_FINDINGS_PER_RULE);
}

/** As the rule engine names a rule in its notes: its title and id. */
function named(kind: FindingKind): string {
  const rule = builtinRule(kind);
  return `${rule.title} (${rule.id})`;
}
