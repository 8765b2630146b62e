// What an opening to the internet exposed, and whether it stayed open. A "security group opened to the
// internet" finding says what one call let in; the investigator's next questions are which instances
// the group guarded then (flows/interface-groups.ts instancesGuardedAt: each instance's own groups at
// that moment), whether any was production (its tags then, history/tags-at.ts: such an opening is
// critical) and whether the opening was closed again, when and by whom. The closing is read from the
// group's versions (history/sg-versions.ts: configuration snapshots and the group's changes replayed
// between them, as who-changed shows them): the first version after the finding's calls that holds none
// of the rules they exposed (a revoke, a rule modified in place, the group deleted, or a snapshot
// without them), else the opening was still there when the evidence ends. Which connections from
// outside it let in meanwhile is a finding of its own, of the flows part (opening-connections.ts).
import type { Finding, ResolvedActor, SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { sgVersions, type SgVersion } from '../history/sg-versions.ts';
import { sameRule } from '../history/sg-rules.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { exposedRules } from './builtin/checks-network.ts';
import { instancesGuardedAt } from '../flows/interface-groups.ts';
import { instancesInWords } from './instances-in-words.ts';
import type { StoredWords } from './stored-words.ts';

export const OPENED_RULE = 'ec2-security-group-open-to-world';

/**
 * Instances and interfaces checked for the openings of one run, over all its findings: a crafted case
 * of a thousand openings, each of a group a fleet carried, stays seconds (each check reads the
 * instance's group-setting calls).
 */
export const CARRIER_CHECKS_PER_RUN = 5_000;

/**
 * The findings, each opening of a group told what it guarded and whether a later change closed it.
 * `groups` reads each group's versions once a run (a caller that asks more of the openings passes its own).
 */
export function withExposureEnds(db: CaseDb, actors: Map<number, ResolvedActor>, findings: Finding[], stored?: StoredWords | null,
  groups = new GroupOpenings(db)): Finding[] {
  const budget = { carriers: CARRIER_CHECKS_PER_RUN };
  return findings.map((f) => {
    if (f.rule?.id !== OPENED_RULE || f.errorCode !== null || f.value === null) return f;
    const said = stored?.(f);
    if (said) return { ...f, ...said };
    const end = exposureEnd(db, actors, f.value, groups.opening(f.value, f.eventIds), budget);
    if (end === null) return f;
    // An administration or database port opened to the world on production (QUESTIONS.md: "a port opened to debug production") is the worst of them.
    return { ...f, detail: `${f.detail} ${end.words}`, severity: end.production && f.severity === 'high' ? 'critical' : f.severity };
  });
}

/**
 * In words: the instances the group guarded when the `opening` came, and who closed it or that it
 * stayed open; null when the group's versions do not show the opening.
 */
function exposureEnd(db: CaseDb, actors: Map<number, ResolvedActor>, groupId: string, opening: Opening | null,
  budget: RunBudget): { words: string; production: boolean } | null {
  if (opening === null) return null;
  const guarded = guardedThen(db, groupId, opening.openedAt, budget);
  return { words: `${guarded.words} ${closingWords(db, actors, opening.closed, 'group')}`, production: guarded.production > 0 };
}

/** What one run of the findings may still spend on the openings' questions: instances checked. */
type RunBudget = { carriers: number };

/**
 * An opening among its resource's versions: the inbound rules its calls opened, when the first of them
 * came and when the last did, and the later version that closed it (null: still open at the end).
 */
export type Opening = { rules: SecurityGroupRule[]; from: number; openedAt: number; closed: ClosingVersion | null };

/** Reads, for one findings run, how security groups' openings went: each group's versions once, however many of its openings were found. */
export class GroupOpenings {
  private readonly versionsOf = new Map<string, SgVersion[]>();

  constructor(private readonly db: CaseDb) {}

  /** The opening the calls `eventIds` made in `groupId`; null when its versions do not show them open anything. */
  opening(groupId: string, eventIds: string[]): Opening | null {
    let versions = this.versionsOf.get(groupId);
    if (!versions) this.versionsOf.set(groupId, (versions = sgVersions(this.db, groupId)));
    const calls = openedBy(this.db, versions, eventIds, (v) => exposedRules(v.after.rules.filter((r) => !(v.before?.rules ?? []).some((b) => sameRule(b, r)))));
    if (calls === null) return null;
    const { first, last, opened } = calls;
    // A rule modified in place keeps its id: it stays open only while it still lets the outside in.
    const closed = firstClosed(versions.slice(last + 1), (v) => opened.some((o) => exposedRules(v.after.rules.filter((r) => sameRule(r, o.rule))).length > 0));
    return { rules: opened.map((o) => o.rule), from: versions[first].time, openedAt: versions[last].time, closed };
  }
}

/**
 * Where the calls `eventIds` are among a resource's `versions` (the first and last version they made)
 * and what they opened, each version's openings picked by `opened`; null when they opened nothing.
 */
export function openedBy<V extends ClosingVersion, T>(db: CaseDb, versions: V[], eventIds: string[], opened: (v: V) => T[]): { first: number; last: number; opened: T[] } | null {
  const rows = new Set(stmt(db, 'SELECT id FROM event_rows WHERE event_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(eventIds)) as number[]);
  let first = -1;
  let last = -1;
  const all: T[] = [];
  versions.forEach((v, i) => {
    if (v.eventRow === null || !rows.has(v.eventRow)) return;
    if (first < 0) first = i;
    last = i;
    all.push(...opened(v));
  });
  return last < 0 || all.length === 0 ? null : { first, last, opened: all };
}

/** The instances the group guarded at `at` in words (instances-in-words.ts: production ones first), and whether any was production then. */
function guardedThen(db: CaseDb, groupId: string, at: number, budget: RunBudget): { words: string; production: number } {
  if (budget.carriers <= 0) {
    return { words: `The instances it guarded were not worked out: this run has checked ${CARRIER_CHECKS_PER_RUN.toLocaleString('en-US')} for other openings.`, production: 0 };
  }
  const { instances, checked, cut } = instancesGuardedAt(db, groupId, at, budget.carriers);
  budget.carriers -= checked;
  const of = cut ? ` (of the first ${checked.toLocaleString('en-US')} instances and interfaces that ever carried it)` : '';
  if (!instances.length) return { words: `No instance in the case carried the group then${of}.`, production: 0 };
  const w = instancesInWords(db, instances, at);
  return { words: `It guarded ${w.named} then${of}${w.production}.`, production: w.productionCount };
}

type ClosingVersion = { origin: 'snapshot' | 'event'; time: number; eventRow: number | null };

/** The first of `later` versions (a group's or a network ACL's, each a snapshot or the call that made it) where the opening is no longer `stillOpen`. */
export function firstClosed<V extends ClosingVersion>(later: V[], stillOpen: (v: V) => boolean): V | null {
  return later.find((v) => !stillOpen(v)) ?? null;
}

/** The version that `closed` an opening in words: when, by whom and which call; or, when none did, that it stayed open. */
export function closingWords(db: CaseDb, actors: Map<number, ResolvedActor>, closed: ClosingVersion | null, what: 'group' | 'network ACL'): string {
  if (closed === null) return `Still open when the evidence ends: no later change or snapshot of the ${what} takes it away.`;
  if (closed.origin === 'snapshot' || closed.eventRow === null) return `Closed by ${iso(closed.time)}: a configuration snapshot then no longer has it.`;
  const e = stmt(db, 'SELECT event_name AS name, event_id AS eventId FROM events WHERE id = ?').get(closed.eventRow) as { name: string; eventId: string };
  const by = actorOfEvent(db, closed.eventRow, actors)?.origin.label ?? 'an unresolved actor';
  return `Closed at ${iso(closed.time)} by ${by} (${e.name}, ${e.eventId}).`;
}
