// The rule engine: runs EventRules (built-in and Sigma) over the case. Rules whose condition names
// their events are answered from the event-name index; the others scan the event rows once. Column
// prefilters and the routine baseline are checked on the rows before any raw record is read; the
// candidates are then read block by block (each compressed block inflated once), tested against the
// full detection, refined by the rule's check, and the hits of one actor close in time merged into
// one finding.
import type { Finding, FindingSeverity, ResolvedActor } from '../../../../../shared/engine-types.ts';
import type { CaseDb } from '../../../db/open-case.ts';
import { rawBlockReader, readRawEvent } from '../../../db/raw-events.ts';
import { iso, stmt } from '../../prepared.ts';
import { textsById } from '../../texts-by-id.ts';
import { distinctOnIndex } from '../../../db/distinct-on-index.ts';
import { eventFactsMany, findingOf, lowerSeverity, MAX_EVENT_IDS } from '../finding-events.ts';
import { recordedName } from '../recorded-names.ts';
import type { ActorScope } from '../new-values.ts';
import { loadBaseline } from './baseline.ts';
import { CandidateList } from './candidate-list.ts';
import { COLUMNS, columnsOf, mayMatch, type Column, type ColumnValues } from './detection.ts';
import { member, str } from '../../../json-values.ts';
import { textAt } from './record-fields.ts';
import { binaryOrder } from '../../../text-order.ts';
import type { EventRule, Rec } from './rule-types.ts';
import { EarliestHits } from './earliest-hits.ts';
import { SEVERITY_ORDER } from '../../../../../shared/severity-order.ts';
import { MAX_FINDINGS_PER_RULE } from '../findings-per-rule.ts';

/** Hits of one actor for one rule (and value) at most this far apart make one finding. */
export const MERGE_GAP_MS = 3600_000;
/** A rule keeps its earliest this many hits, and past them reads only events earlier than the latest kept (a Sigma rule matching most events says nothing more with each). */
export const MAX_HITS_PER_RULE = 20_000;

type Row = { id: number; time: number; name: number; cols: (number | null)[]; block: number; index: number; actor: number | null };
/** `routine`: demoted because the identity makes this call routinely (rules marked routine: 'demote'). */
type Hit = { rule: EventRule; id: number; time: number; actor: number | null; value: string | null; summary: string; severity: FindingSeverity; detail?: string; failed: boolean; routine: boolean };

/** `notes` says which rules stopped early or had findings left out, in words. */
export type RuleRunResult = { findings: Finding[]; hits: Record<string, number>; notes: string[] };

export function runEventRules(db: CaseDb, rules: EventRule[], actors: Map<number, ResolvedActor>, scope?: ActorScope): RuleRunResult {
  const result: RuleRunResult = { findings: [], hits: {}, notes: [] };
  if (!rules.length) return result;
  const strings = textsById(db);
  const distinctNames = stmt(db, distinctOnIndex({ table: 'event_rows', column: 'event_name' })).pluck().all() as number[];
  const byName = new Map<number, EventRule[]>();
  const broad: EventRule[] = [];
  for (const rule of rules) {
    if (mayMatch(rule.detection.pre, { event_name: '\u0000no such event' })) {
      broad.push(rule);
      continue;
    }
    for (const n of distinctNames) {
      if (!mayMatch(rule.detection.pre, { event_name: strings(n) })) continue;
      let list = byName.get(n);
      if (!list) byName.set(n, (list = []));
      list.push(rule);
    }
  }
  if (!broad.length && !byName.size) return result;
  const routineNames = [...byName.entries()].filter(([, rs]) => rs.some((r) => r.routine)).map(([n]) => strings(n));
  const baseline = loadBaseline(db, routineNames, scope);
  const ruleColumns = new Map(rules.map((r) => [r, [...columnsOf(r.detection.pre)]]));

  // Pass 1: rows → candidates, from columns only. A name whose rules all drop routine calls is read
  // only in the spans where some identity used it for the first time (an index range each).
  const ranges: Range[] = [];
  const whole: number[] = [];
  for (const [n, rs] of byName) {
    if (!broad.length && rs.every((r) => r.routine === 'drop')) for (const [from, to] of baseline.newSpans(strings(n))) ranges.push({ name: n, from, to });
    else whole.push(n);
  }
  const candidates = new CandidateList();
  const applicableByName = new Map<number, EventRule[]>();
  for (const row of rowsOf(db, broad.length ? null : whole, ranges, scope)) {
    let applicable = applicableByName.get(row.name);
    if (!applicable) applicableByName.set(row.name, (applicable = [...(byName.get(row.name) ?? []), ...broad]));
    let values: ColumnValues | null = null;
    let keep: EventRule[] | null = null;
    let routine: boolean[] | null = null;
    for (const rule of applicable) {
      if (rule.skipAutomation && baseline.automated(row.actor)) continue;
      const isRoutine = rule.routine ? baseline.routine(row.actor, strings(row.name), row.time) : false;
      if (isRoutine && rule.routine === 'drop') continue;
      const cols = ruleColumns.get(rule)!;
      if (cols.length) {
        values ??= {};
        for (const c of cols) if (!(c in values)) values[c] = columnValue(row, c, strings);
        if (!mayMatch(rule.detection.pre, values)) continue;
      }
      (keep ??= []).push(rule);
      (routine ??= []).push(isRoutine);
    }
    if (keep) candidates.add(row, keep, routine!);
  }

  // Pass 2: raw records, block by block.
  const readBlock = rawBlockReader(db);
  const storedEventId = stmt(db, 'SELECT event_id FROM event_rows WHERE id = ?').pluck();
  const eventIds = new Map<number, string>();
  const eventIdOf = (row: number): string => {
    let id = eventIds.get(row);
    if (id === undefined) eventIds.set(row, (id = (storedEventId.get(row) as string | undefined) ?? ''));
    return id;
  };
  // Each rule keeps its earliest hits (the timeline's order), whatever order the blocks were written in.
  const order = (a: Hit, b: Hit) => a.time - b.time || binaryOrder(eventIdOf(a.id), eventIdOf(b.id)) || a.id - b.id;
  const kept = new Map<EventRule, EarliestHits<Hit>>();
  const keptOf = (rule: EventRule) => {
    let k = kept.get(rule);
    if (!k) kept.set(rule, (k = new EarliestHits<Hit>(MAX_HITS_PER_RULE, order)));
    return k;
  };
  for (const c of candidates.byBlock()) {
    if (c.rules.every((r) => !keptOf(r).wants(c.time))) continue;
    const text = readBlock(c.block).record(c.index);
    if (text === null) continue;
    let record: Rec;
    try {
      record = JSON.parse(text) as Rec;
    } catch {
      continue;
    }
    if (record === null || typeof record !== 'object') continue;
    c.rules.forEach((rule, k) => {
      const hits = keptOf(rule);
      if (!hits.wants(c.time)) return;
      if (rule.skipAutomation && isAutomation(record)) return;
      if (!rule.detection.test(record, () => text)) return;
      const checked = rule.check ? rule.check(record) : { value: firstText(record, rule.value), summary: firstText(record, rule.value) ?? '' };
      if (!checked) return;
      const failed = str(member(record, 'errorCode')) !== null;
      let severity = checked.severity ?? rule.meta.level;
      const routine = c.routine[k] && rule.routine === 'demote';
      if (routine) severity = 'low';
      if (failed) severity = lowerSeverity(severity);
      hits.add({ rule, id: c.id, time: c.time, actor: c.actor, value: checked.value, summary: checked.summary, severity, detail: checked.detail, failed, routine });
    });
  }
  for (const [rule, hits] of kept) {
    const list = hits.hits();
    if (!list.length) continue;
    result.hits[rule.meta.id] = list.length;
    if (hits.overflowed) {
      result.notes.push(`${rule.meta.title} (${rule.meta.id}): more than ${MAX_HITS_PER_RULE.toLocaleString('en')} matching events; the earliest ${MAX_HITS_PER_RULE.toLocaleString('en')} are listed`);
    }
    // Findings are built (their events read) only for the groups kept: the most severe, then the earliest.
    const groups = mergeHits(list);
    if (groups.length > MAX_FINDINGS_PER_RULE) {
      result.notes.push(`${rule.meta.title} (${rule.meta.id}): ${groups.length - MAX_FINDINGS_PER_RULE} more findings not listed (${MAX_FINDINGS_PER_RULE} kept, most severe first)`);
      const worst = (g: Hit[]) => Math.min(...g.map((h) => SEVERITY_ORDER[h.severity]));
      groups.sort((a, b) => worst(a) - worst(b) || a[0].time - b[0].time);
      groups.length = MAX_FINDINGS_PER_RULE;
    }
    result.findings.push(...groups.map((group) => toFinding(db, actors, rule, group)));
  }
  return result;
}

type Range = { name: number; from: number; to: number };

/**
 * The event rows to consider: all of them (names null), or those of the given event names plus those
 * of single names within time ranges (index ranges of event_rows_name_time); narrowed to some actors.
 */
function* rowsOf(db: CaseDb, names: number[] | null, ranges: Range[], scope?: ActorScope): Generator<Row> {
  const cols = COLUMNS.filter((c) => c !== 'event_name').map((c) => `e.${c}`).join(', ');
  const select = `SELECT e.id, e.event_time, e.event_name, e.raw_block, e.raw_index, ea.actor, ${cols} FROM event_rows e LEFT JOIN event_actors ea ON ea.event = e.id`;
  const actorFilter = scope ? 'ea.actor IN (SELECT value FROM json_each(?))' : null;
  const scopeArgs = scope ? [JSON.stringify(scope.actorIds)] : [];
  const toRow = (r: (number | null)[]): Row => ({ id: r[0]!, time: r[1]!, name: r[2]!, block: r[3]!, index: r[4]!, actor: r[5], cols: r.slice(6) });
  if (names === null || names.length) {
    const where = [names ? 'e.event_name IN (SELECT value FROM json_each(?))' : null, actorFilter].filter(Boolean);
    const sql = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    for (const r of stmt(db, sql).raw().iterate(...(names ? [JSON.stringify(names)] : []), ...scopeArgs) as Iterable<(number | null)[]>) yield toRow(r);
  }
  if (names === null) return;
  const ranged = stmt(db, `${select} WHERE e.event_name = ? AND e.event_time >= ? AND e.event_time <= ?${actorFilter ? ` AND ${actorFilter}` : ''}`).raw();
  for (const g of ranges) for (const r of ranged.iterate(g.name, g.from, g.to, ...scopeArgs) as Iterable<(number | null)[]>) yield toRow(r);
}

const OTHER_COLUMNS = COLUMNS.filter((c) => c !== 'event_name');

function columnValue(row: Row, c: Column, strings: (id: number) => string): string | null {
  if (c === 'event_name') return strings(row.name);
  const id = row.cols[OTHER_COLUMNS.indexOf(c)];
  return id === null || id === undefined ? null : strings(id);
}

/** Calls AWS services make for the account: an AWSService identity, or a call made on a principal's behalf by a service. */
function isAutomation(r: Rec): boolean {
  const ui = member(r, 'userIdentity');
  return str(member(ui, 'type')) === 'AWSService' || str(member(ui, 'invokedBy')) !== null;
}

function firstText(r: Rec, paths: string[] | undefined): string | null {
  for (const p of paths ?? []) {
    const v = textAt(r, p);
    if (v) return v;
  }
  return null;
}

/**
 * Hits of one actor (and value, unless the rule groups per actor) at most MERGE_GAP_MS apart, from hits
 * in the timeline's order (EarliestHits: hits of one second by their eventIDs, read only for such ties),
 * so which event opens a finding (its id and title) is the same however the case was ingested.
 */
function mergeHits(list: Hit[]): Hit[][] {
  const open = new Map<string, Hit[]>();
  const out: Hit[][] = [];
  for (const h of list) {
    // Routine hits of one credential (a user's daily password-only sign-in) are one finding however far
    // apart: told once with how many, not once a day for the months a case spans.
    const key = `${h.actor}\u0000${h.rule.group === 'actor' ? '' : (h.value ?? '')}\u0000${h.routine}`;
    const g = open.get(key);
    if (g && (h.routine || h.time - g[g.length - 1].time <= MERGE_GAP_MS)) g.push(h);
    else {
      const fresh = [h];
      open.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}


function toFinding(db: CaseDb, actors: Map<number, ResolvedActor>, rule: EventRule, group: Hit[]): Finding {
  const first = group[0];
  const events = eventFactsMany(db, group.slice(0, MAX_EVENT_IDS).map((h) => h.id));
  const severity = group.map((h) => h.severity).reduce((a, b) => (SEVERITY_ORDER[a] <= SEVERITY_ORDER[b] ? a : b));
  const values = [...new Set(group.map((h) => h.value).filter((v): v is string => v !== null))];
  const summaries = [...new Set(group.map((h) => h.summary).filter(Boolean))];
  const failed = group.every((h) => h.failed);
  const who = recordedName(db, events[0].arn);
  const what = summaries.length > 1 ? `${summaries.slice(0, 3).join('; ')}${summaries.length > 3 ? `; and ${summaries.length - 3} more` : ''}` : (summaries[0] ?? '');
  const title = `${rule.meta.title}${what ? `: ${what}` : ''}${group.length > 1 ? ` (${group.length} calls)` : ''} by ${who}${failed ? ` (failed: ${events[0].error})` : ''}`;
  const f = findingOf(db, actors, {
    kind: rule.kind, category: rule.category, severity, title, value: values.length === 1 ? values[0] : values.length ? values.slice(0, 10).join(', ') : null,
    detail: `${first.detail ?? rule.meta.explanation}${routineSpan(group)}`, count: group.length, lastTime: group[group.length - 1].time,
  }, events);
  return { ...f, rule: rule.meta, evidence: evidenceOf(db, first.id, rule.meta.proof) };
}

/** " Routine for this identity: 40 times from … to …." for routine hits told as one, else ''. */
function routineSpan(group: Hit[]): string {
  const last = group[group.length - 1];
  if (!group[0].routine || last.time - group[0].time <= MERGE_GAP_MS) return '';
  return ` Routine for this identity: ${group.length} times from ${iso(group[0].time)} to ${iso(last.time)}.`;
}

/** The proving fields present in the first event, with their values. */
function evidenceOf(db: CaseDb, id: number, proof: string[]): { field: string; value: string }[] {
  const raw = readRawEvent(db, id);
  if (!raw) return [];
  return proof.map((p) => ({ field: p, value: textAt(raw, p) })).filter((e): e is { field: string; value: string } => e.value !== null);
}
