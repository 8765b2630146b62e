// Whether an opening to the internet stayed open. A "security group opened to the internet" finding
// says what one call let in; the investigator's next question is whether it was closed again, when and
// by whom. Read from the group's versions (history/sg-versions.ts: configuration snapshots and the
// group's changes replayed between them, as who-changed shows them): the first version after the
// finding's calls that holds none of the rules they exposed (a revoke, a rule modified in place, the
// group deleted, or a snapshot without them), else the opening was still there when the evidence ends.
// Which accepted flows from outside it let in meanwhile is the Flows view's remote-access chains.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { sgVersions, type SgVersion } from '../history/sg-versions.ts';
import { sameRule } from '../history/sg-rules.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { exposedRules } from './builtin/checks-network.ts';

export const OPENED_RULE = 'ec2-security-group-open-to-world';

/** The findings, each opening of a group told whether a later change closed it. */
export function withExposureEnds(db: CaseDb, actors: Map<number, ResolvedActor>, findings: Finding[]): Finding[] {
  // Each group's versions once, however many of its openings were found: every change of a group is read at most once a run.
  const versionsOf = new Map<string, SgVersion[]>();
  return findings.map((f) => {
    if (f.rule?.id !== OPENED_RULE || f.errorCode !== null || f.value === null) return f;
    let versions = versionsOf.get(f.value);
    if (!versions) versionsOf.set(f.value, (versions = sgVersions(db, f.value)));
    const end = exposureEnd(db, actors, versions, f.eventIds);
    return end === null ? f : { ...f, detail: `${f.detail} ${end}` };
  });
}

/** In words: who closed what these calls opened on the group (its `versions`), or that it stayed open; null when the versions do not show the calls. */
function exposureEnd(db: CaseDb, actors: Map<number, ResolvedActor>, versions: SgVersion[], eventIds: string[]): string | null {
  const rows = new Set(stmt(db, 'SELECT id FROM event_rows WHERE event_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(eventIds)) as number[]);
  let last = -1;
  const opened: ReturnType<typeof exposedRules> = [];
  versions.forEach((v, i) => {
    if (v.eventRow === null || !rows.has(v.eventRow)) return;
    last = i;
    const added = v.after.rules.filter((r) => !(v.before?.rules ?? []).some((b) => sameRule(b, r)));
    opened.push(...exposedRules(added));
  });
  if (last < 0 || opened.length === 0) return null;
  for (const v of versions.slice(last + 1)) {
    // A rule modified in place keeps its id: it stays open only while it still lets the outside in.
    if (opened.some((o) => exposedRules(v.after.rules.filter((r) => sameRule(r, o.rule))).length > 0)) continue;
    if (v.origin === 'snapshot' || v.eventRow === null) return `Closed by ${iso(v.time)}: a configuration snapshot then no longer has it.`;
    const e = stmt(db, 'SELECT event_name AS name, event_id AS eventId FROM events WHERE id = ?').get(v.eventRow) as { name: string; eventId: string };
    const by = actorOfEvent(db, v.eventRow, actors)?.origin.label ?? 'an unresolved actor';
    return `Closed at ${iso(v.time)} by ${by} (${e.name}, ${e.eventId}).`;
  }
  return 'Still open when the evidence ends: no later change or snapshot of the group takes it away.';
}
