// What the findings name, indexed for the views that mark them: the timeline puts a badge on each
// event a finding lists, the graph a severity ring on each node (the actor's identity, origin and
// keys, the source address, the value where it is a node id, such as a group or an instance, and for
// a finding of flow records its instance and interfaces).
import type { Finding, FindingSeverity } from '../../../shared/api/types.ts';
import { SEVERITY_ORDER } from '../../../shared/severity-order.ts';

export type EventMark = { severity: FindingSeverity; titles: string[] };
export type FindingMarks = { events: ReadonlyMap<string, EventMark>; nodes: ReadonlyMap<string, FindingSeverity> };

const worse = (a: FindingSeverity | undefined, b: FindingSeverity) => (a === undefined || SEVERITY_ORDER[b] < SEVERITY_ORDER[a] ? b : a);
/** Titles listed in one event's tooltip. */
const TITLES = 3;

/** The graph nodes a finding names. */
export function nodesOf(f: Finding): string[] {
  const out = new Set<string>();
  if (f.actor) {
    out.add(f.actor.origin.id);
    if (f.actor.arn) out.add(f.actor.arn);
    for (const l of f.actor.chain) {
      out.add(l.id);
      if (l.accessKeyId) out.add(l.accessKeyId);
    }
  }
  if (f.sourceIPAddress) out.add(`ip/${f.sourceIPAddress}`);
  if (f.value) out.add(f.value);
  // A finding of flow records: the instance behind them and the interfaces that logged them.
  if (f.flows?.instanceId) out.add(f.flows.instanceId);
  for (const eni of f.flows?.interfaces ?? []) out.add(eni);
  return [...out];
}

export function findingMarks(findings: Finding[]): FindingMarks {
  const events = new Map<string, EventMark>();
  const nodes = new Map<string, FindingSeverity>();
  for (const f of findings) {
    if (f.suppressed) continue;
    for (const id of f.eventIds) {
      const m = events.get(id);
      if (!m) events.set(id, { severity: f.severity, titles: [f.title] });
      else {
        m.severity = worse(m.severity, f.severity);
        if (m.titles.length < TITLES) m.titles.push(f.title);
      }
    }
    for (const id of nodesOf(f)) nodes.set(id, worse(nodes.get(id), f.severity));
  }
  return { events, nodes };
}
