// Compromise, reconnaissance, persistence and covering-tracks signals over the whole case, oldest
// first: new source addresses, user agents and regions per identity, denied-call bursts and discovery
// sweeps, persistence calls (a key created for another user singled out), logging stopped or deleted,
// instance credentials used off their instance, and root activity.
import type { Finding, FindingsOptions, FindingsResult, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { parseTime, stmt } from '../prepared.ts';
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import { newValueFindings } from './new-values.ts';
import { burstFindings } from './bursts.ts';
import { sensitiveCallFindings } from './sensitive-calls.ts';
import { eventFacts, findingOf } from './finding-events.ts';
import { offInstanceFlags } from '../attribution/instance-addresses.ts';
import type { ActorFlag } from '../../../../shared/engine-types.ts';

export const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 };
export const DEFAULT_BASELINE_EVENTS = 5;
export const DEFAULT_BURST_THRESHOLD = 5;
export const DEFAULT_BURST_WINDOW_MINUTES = 10;

export function findings(db: CaseDb, options: FindingsOptions = {}): FindingsResult {
  const actors = new Map<number, ResolvedActor>();
  let all: Finding[] = [
    ...newValueFindings(db, actors, options.baselineEvents ?? DEFAULT_BASELINE_EVENTS),
    ...burstFindings(db, actors, options.burstThreshold ?? DEFAULT_BURST_THRESHOLD, options.burstWindowMinutes ?? DEFAULT_BURST_WINDOW_MINUTES),
    ...sensitiveCallFindings(db, actors),
    ...flagFindings(db, actors),
  ];
  const from = options.from ? parseTime(options.from) : -Infinity;
  const to = options.to ? parseTime(options.to) : Infinity;
  all = all.filter((f) => Date.parse(f.lastTime) >= from && Date.parse(f.firstTime) <= to);
  if (options.actor) {
    const q = options.actor.trim();
    const qs = new Set([q, iamArnWithoutPath(q)]);
    all = all.filter((f) => f.actor && (qs.has(f.actor.origin.id) || (f.actor.arn !== null && qs.has(f.actor.arn)) || f.actor.chain.some((l) => qs.has(l.id) || (l.accessKeyId !== null && qs.has(l.accessKeyId)))));
  }
  all.sort((a, b) => a.firstTime.localeCompare(b.firstTime) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const counts: FindingsResult['counts'] = {};
  for (const f of all) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return { findings: all, counts };
}

/** Flags attribution already raised on a credential: instance keys used off the instance, root. */
function flagFindings(db: CaseDb, actors: Map<number, ResolvedActor>): Finding[] {
  const out: Finding[] = [];
  // Stored flags, plus the off-instance check made now: the instance's addresses may have arrived after its key was first seen.
  const rows = stmt(db, `SELECT id, flags, instance_id AS instanceId FROM actors WHERE instance_id IS NOT NULL OR flags LIKE '%"root"%'`).all() as
    { id: number; flags: string; instanceId: string | null }[];
  for (const a of rows) {
    const flags = JSON.parse(a.flags) as ActorFlag[];
    if (a.instanceId) {
      const ips = stmt(db, `SELECT value FROM actor_facets WHERE actor = ? AND facet = 'ip'`).pluck().all(a.id) as string[];
      for (const f of offInstanceFlags(db, a.instanceId, ips)) if (!flags.some((g) => JSON.stringify(g) === JSON.stringify(f))) flags.push(f);
    }
    for (const flag of flags) {
      if (flag.kind === 'instance-credentials-off-instance' && flag.sourceIp) {
        const ids = stmt(db, `SELECT ea.event FROM event_actors ea JOIN event_rows e ON e.id = ea.event
          WHERE ea.actor = ? AND e.source_ip = (SELECT id FROM strings WHERE value = ?) ORDER BY e.event_time, e.id`).pluck().all(a.id, flag.sourceIp) as number[];
        if (!ids.length) continue;
        out.push(findingOf(db, actors, {
          kind: 'instance-credentials-off-instance', category: 'credential-compromise', severity: 'high', value: flag.sourceIp,
          title: `Credentials of ${flag.instanceId ?? 'an instance'} used from ${flag.sourceIp}`, detail: flag.detail,
        }, ids.map((id) => eventFacts(db, id))));
      } else if (flag.kind === 'root') {
        const ids = stmt(db, 'SELECT event FROM event_actors WHERE actor = ? ORDER BY event_time, event').pluck().all(a.id) as number[];
        if (!ids.length) continue;
        out.push(findingOf(db, actors, {
          kind: 'root-activity', category: 'credential-compromise', severity: 'medium', value: null,
          title: `Root account activity: ${ids.length} events`, detail: flag.detail,
        }, ids.map((id) => eventFacts(db, id))));
      }
    }
  }
  return out;
}
