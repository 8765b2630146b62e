// The findings about one actor's calls, for its actor report: what findings() says of it, computed
// from that actor's roll-ups and events only, so the report stays a few index reads. 'fast' (the
// report's default) leaves out the window scans (denied-call bursts, discovery sweeps), which read
// every event of the credential; 'all' includes them.
import type { ActorFlag, Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { newValueFindings } from './new-values.ts';
import { sensitiveCallFindings } from './sensitive-calls.ts';
import { burstFindings } from './bursts.ts';
import { DEFAULT_BASELINE_EVENTS, DEFAULT_BURST_THRESHOLD, DEFAULT_BURST_WINDOW_MINUTES, SEVERITY_ORDER } from './findings.ts';

export type ActorFindingsDepth = 'fast' | 'all';

export function actorFindings(db: CaseDb, actorIds: number[], depth: ActorFindingsDepth = 'fast'): Finding[] {
  if (!actorIds.length) return [];
  const scope = { actorIds };
  const actors = new Map<number, ResolvedActor>();
  const all = [
    ...newValueFindings(db, actors, DEFAULT_BASELINE_EVENTS, scope),
    ...sensitiveCallFindings(db, actors, scope),
    ...(depth === 'all' ? burstFindings(db, actors, DEFAULT_BURST_THRESHOLD, DEFAULT_BURST_WINDOW_MINUTES, scope) : []),
  ];
  return all.sort((a, b) => a.firstTime.localeCompare(b.firstTime) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** A warning for the actor panel: the finding's own explanation (new-value details already name the value). */
export function findingFlag(f: Finding): ActorFlag {
  const selfExplained = f.kind.startsWith('new-') || f.kind === 'access-key-for-other-user';
  return {
    kind: 'finding', findingKind: f.kind, severity: f.severity, value: f.value, firstTime: f.firstTime, eventIds: f.eventIds.slice(0, 5),
    detail: selfExplained ? f.detail : `${f.title}: ${f.detail}`,
  };
}
