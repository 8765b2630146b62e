// Regions that do not exist: AWS only ever records its own regions, so another name means a forged or
// altered record (or a region newer than this list). Read from the per-actor region roll-ups, never
// from the events themselves.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { distinctOnIndex } from '../../db/distinct-on-index.ts';
import { builtinRule } from './builtin/builtin-rules.ts';
import { eventFacts, findingOf } from './finding-events.ts';
import type { ActorScope } from './new-values.ts';

/** Every AWS region (commercial, China, GovCloud, ISO, European Sovereign Cloud) as of 2025. */
export const KNOWN_REGIONS = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2',
  'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1',
  'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1',
  'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isof-south-1', 'us-isof-east-1', 'eu-isoe-west-1',
  'eusc-de-east-1',
]);

export function unknownRegionFindings(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: ActorScope): Finding[] {
  // Regions are few: always the whole case's, so a report on one actor shows the region only when that actor brought it.
  // The values first, from the indexes (a few seeks: the roll-ups' own, and the events' of the roll-ups
  // the actor_facets view makes from an actor's only event); the roll-ups are summed only for a region
  // that does not exist, which a case seldom holds (summing every region read every actor: 1.6 s of a
  // million-event case with a new key for every call).
  const values = stmt(db, `SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'aws_region' })})
    UNION SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'actor_facet_rows', column: 'value', where: "facet = 'region'" })})`).pluck().all() as string[];
  const unknown = values.filter((v) => !KNOWN_REGIONS.has(v));
  if (!unknown.length) return [];
  const rows = stmt(db, `SELECT value, sum(count) AS n, min(first_seen) AS first FROM actor_facets
    WHERE facet = 'region' AND value IN (SELECT value FROM json_each(?)) GROUP BY value`).all(JSON.stringify(unknown)) as { value: string; n: number; first: number }[];
  const inScope = scope ? new Set(scope.actorIds) : null;
  const rule = builtinRule('unknown-region');
  const out: Finding[] = [];
  for (const r of rows) {
    if (KNOWN_REGIONS.has(r.value)) continue;
    const id = stmt(db, `SELECT ea.event FROM actor_facets f JOIN event_actors ea ON ea.actor = f.actor AND ea.event_time = f.first_seen
      JOIN event_rows e ON e.id = ea.event WHERE f.facet = 'region' AND f.value = ? AND f.first_seen = ? AND e.aws_region = (SELECT id FROM strings WHERE value = ?)
      ORDER BY e.event_id LIMIT 1`).pluck().get(r.value, r.first, r.value) as number | undefined;
    if (id === undefined) continue;
    if (inScope && !inScope.has(stmt(db, 'SELECT actor FROM event_actors WHERE event = ?').pluck().get(id) as number)) continue;
    const f = findingOf(db, actors, {
      kind: 'unusual-activity', category: 'defense-evasion', severity: rule.level, value: r.value, count: r.n,
      title: `${rule.title}: ${r.value} (${r.n} events)`, detail: rule.explanation,
    }, [eventFacts(db, id)]);
    out.push({ ...f, rule, evidence: [{ field: 'awsRegion', value: r.value }] });
  }
  return out;
}
