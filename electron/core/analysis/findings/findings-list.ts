// findings:list: a page of the case's findings, read from the stored answer (stored-findings.ts). The
// filters (time, actor, accounts) run in SQL over the stored columns; suppressions, counts and
// incidents over those columns only (a few bytes a finding); the JSON of a finding is parsed only for
// the page asked for. A case that cannot be written (an older case opened read-only) is answered by
// the full computation, paged the same way.
import type { Finding, FindingSeverity, FindingsOptions, FindingsPage, FindingsResult, ResolvedActor } from '../../../../shared/engine-types.ts';
import { FINDINGS_PAGE_DEFAULT, FINDINGS_PAGE_MAX } from '../../../../shared/api/bounds.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { parseTime, stmt } from '../prepared.ts';
import { blindWindows } from './blind-windows.ts';
import { actorQueries, findings, FINDINGS_PARTS, type ExtraRules } from './findings.ts';
import { groupIncidents } from './incidents.ts';
import { hasStoredFindings, staleParts, storeFindings } from './stored-findings.ts';
import { applySuppressions, listSuppressions } from './suppressions.ts';
import { items, member, num, obj, strings, text } from '../../json-values.ts';
import { isoInstant } from '../../../../shared/iso-time.ts';
import { storedFindingBody } from './stored-finding-body.ts';

export type FindingsQuery = FindingsOptions & FindingsPage;

const SEVERITIES: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

/**
 * The page of findings a question asks for; brings the stored answer up to date first when it can.
 * `busy`: an import or pull is writing to the case and stores the findings when it ends; the answer
 * stored so far is read as it is (with a note) rather than computed twice, and a case with none yet
 * is answered by the full computation without writing (the writer holds the case).
 */
export function listFindings(db: CaseDb, q: FindingsQuery, o: { busy?: boolean } = {}): FindingsResult {
  if (!hasStoredFindings(db)) return pageOf(findings(db, q), q);
  if (!staleParts(db).length) return readStored(db, q);
  if (o.busy && hasStoredRows(db)) {
    const r = readStored(db, q);
    return { ...r, notes: [...(r.notes ?? []), 'an import or pull is running: these are the findings from before it, brought up to date when it ends'] };
  }
  if (o.busy || db.readonly) return pageOf(findings(db, q), q);
  try {
    storeFindings(db);
  } catch (err) {
    // Another process (an ingest, a CLI) holds the case for writing: answer without storing.
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return pageOf(findings(db, q), q);
    throw err;
  }
  return readStored(db, q);
}

/** Whether some answer was ever stored (a part's row), stale or not. */
function hasStoredRows(db: CaseDb): boolean {
  return stmt(db, 'SELECT count(*) FROM stored_findings_parts').pluck().get() !== 0;
}

/** `trailscope findings --rules DIR`: the full computation with a folder's rules for this run, paged like the stored list. */
export function listFindingsWith(db: CaseDb, q: FindingsQuery, extra: ExtraRules): FindingsResult {
  return pageOf(findings(db, q, extra), q);
}

/** A whole answer cut to the page asked for, in the order asked for. */
function pageOf(r: FindingsResult, q: FindingsPage): FindingsResult {
  const shown = r.findings.filter((f) => !f.suppressed);
  const ordered = q.order === 'incident' ? [...byIncident(shown), ...r.findings.filter((f) => f.suppressed)] : r.findings;
  const offset = q.offset ?? 0;
  return { ...r, findings: ordered.slice(offset, offset + limitOf(q)), total: ordered.length, offset, severities: severitiesOf(shown) };
}

function limitOf(q: FindingsPage): number {
  return Math.min(Math.max(1, q.limit ?? FINDINGS_PAGE_DEFAULT), FINDINGS_PAGE_MAX);
}

/** Incidents highest score first (their ids are their ranks), each one's findings in time order. */
function byIncident<T extends { incident?: number }>(list: T[]): T[] {
  return list.map((f, i) => ({ f, i })).sort((a, b) => (a.f.incident ?? Infinity) - (b.f.incident ?? Infinity) || a.i - b.i).map((x) => x.f);
}

function severitiesOf(shown: { severity: FindingSeverity }[]): Record<FindingSeverity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<FindingSeverity, number>;
  for (const f of shown) out[f.severity]++;
  return out;
}

type Row = { seq: number; id: string; rule: string; kind: Finding['kind']; category: Finding['category']; severity: FindingSeverity; first: number; last: number; origin: string | null; label: string | null };

/** What suppressions and incidents read of a finding, from the stored columns. */
type Light = Pick<Finding, 'id' | 'kind' | 'category' | 'severity' | 'firstTime' | 'lastTime' | 'incident' | 'suppressed'> & { seq: number; rule: { id: string }; actor: { origin: { id: string; label: string } } | null };

function readStored(db: CaseDb, q: FindingsQuery): FindingsResult {
  const from = q.from ? parseTime(q.from) : null;
  const to = q.to ? parseTime(q.to) : null;
  const where: string[] = [];
  const args: (string | number)[] = [];
  const when = (sql: string, arg: string | number) => {
    where.push(sql);
    args.push(arg);
  };
  if (from !== null) when('last_time >= ?', from);
  if (to !== null) when('first_time <= ?', to);
  // A list that is not JSON (only a case changed outside Trailscope holds one) matches nothing, where
  // json_each would fail the whole list.
  const list = (column: string) => `json_each(CASE WHEN json_valid(${column}) THEN ${column} ELSE '[]' END)`;
  if (q.actor) when(`EXISTS (SELECT 1 FROM ${list('actor_terms')} t WHERE t.value IN (SELECT value FROM json_each(?)))`, JSON.stringify(actorQueries(q.actor)));
  if (q.accounts?.length) when(`EXISTS (SELECT 1 FROM ${list('accounts')} a WHERE a.value IN (SELECT value FROM json_each(?)))`, JSON.stringify(q.accounts));
  // Oldest first, the more severe first at one time, then the parts and each part's own order.
  const rows = db.prepare(`SELECT seq, finding_id AS id, rule_id AS rule, kind, category, severity, first_time AS first, last_time AS last, origin, origin_label AS label
    FROM stored_findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY first_time, CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
      CASE part WHEN 'builtin' THEN 0 WHEN 'sigma' THEN 1 ELSE 2 END, seq`).all(...args) as Row[];
  const light = rows.map((r): Light => ({
    seq: r.seq, id: r.id, rule: { id: r.rule }, kind: r.kind, category: r.category, severity: r.severity,
    firstTime: isoInstant(r.first), lastTime: isoInstant(r.last), actor: r.origin === null ? null : { origin: { id: r.origin, label: r.label ?? r.origin } },
  }));
  // The list's own functions, given the columns they read (a Light carries every field they touch).
  const all = applySuppressions(light as unknown as Finding[], listSuppressions(db)) as unknown as Light[];
  const shown = all.filter((f) => !f.suppressed);
  const counts: FindingsResult['counts'] = {};
  for (const f of shown) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const incidents = groupIncidents(shown as unknown as Finding[]);
  const suppressed = q.includeSuppressed ? all.filter((f) => f.suppressed) : [];
  const listed = q.order === 'incident' ? [...byIncident(shown), ...suppressed] : q.includeSuppressed ? all : shown;
  const offset = q.offset ?? 0;
  const page = listed.slice(offset, offset + limitOf(q));

  const bodies = new Map((stmt(db, 'SELECT seq, body FROM stored_findings WHERE seq IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(page.map((f) => f.seq))) as [number, string][]));
  // A case is untrusted: a body that is not a finding's is left out, not thrown on.
  const pageFindings = page.flatMap((l) => {
    const f = storedFindingBody(bodies.get(l.seq), { id: l.id, kind: l.kind, category: l.category, severity: l.severity, firstTime: l.firstTime, lastTime: l.lastTime });
    if (!f) return [];
    if (l.incident !== undefined) f.incident = l.incident;
    if (l.suppressed) f.suppressed = l.suppressed;
    return [f];
  });

  // By rule id: the order findings were stored in follows the order the case's files were read in.
  const byRule: Record<string, number> = {};
  for (const [rule, n] of stmt(db, 'SELECT rule_id, count(*) FROM stored_findings GROUP BY rule_id ORDER BY rule_id').raw().all() as [string, number][]) byRule[rule] = n;
  const parts = new Map((stmt(db, 'SELECT part, notes, extra FROM stored_findings_parts').raw().all() as [string, string, string][]).map(([p, notes, extra]) => [p, { notes: strings(parsed(notes)), extra: sigmaSummary(parsed(extra)) }]));
  const notes = FINDINGS_PARTS.flatMap((p) => parts.get(p)?.notes ?? []);
  const sigma = parts.get('sigma')?.extra;
  const windows = blindWindows(db, new Map<number, ResolvedActor>()).filter((w) => Date.parse(w.to) >= (from ?? -Infinity) && Date.parse(w.from) <= (to ?? Infinity));
  return {
    findings: pageFindings, counts, incidents, blindWindows: windows, byRule, ...(notes.length ? { notes } : {}), ...(sigma ? { sigma } : {}),
    suppressed: all.length - shown.length, total: listed.length, offset,
    severities: severitiesOf(shown),
  };
}

function parsed(text: string | undefined): unknown {
  try {
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** The Sigma part's loaded and rejected rules, as stored (bounded like any text of the case). */
function sigmaSummary(v: unknown): FindingsResult['sigma'] | null {
  const o = obj(v);
  const loaded = num(member(o, 'loaded'));
  if (!o || loaded === null) return null;
  return { loaded, rejected: items(member(o, 'rejected')).flatMap((r) => (text(r, 'file') !== null && text(r, 'reason') !== null ? [{ file: text(r, 'file')!, reason: text(r, 'reason')! }] : [])) };
}
