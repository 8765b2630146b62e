// What the incident report says, gathered from the case: the summary, the investigator's notes in
// order, findings, the actor chains behind them, who changed the resources the investigator marked
// (before and after), the starred events as a timeline, and the evidence manifest with its
// verification status and the inputs it could not read whole. Each list is bounded: a report is read by people.
import type { CaseDb } from '../db/open-case.ts';
import type { Annotation, Marks } from '../../../shared/api/annotations.ts';
import type { CaseSummary, Finding, ResolvedActor, WhoChangedResult } from '../../../shared/engine-types.ts';
import { caseSummary } from '../case-info.ts';
import { listAnnotations, marksFor } from '../annotations/annotations.ts';
import { listFindings } from '../analysis/findings/findings-list.ts';
import { whoChanged } from '../analysis/history/who-changed.ts';
import { verifyEvidence, integrityBySource, type VerifyReport, type FileStatus, type SourceEntry } from '../evidence/verify-evidence.ts';
import { iso } from '../analysis/prepared.ts';
import { EVENT_ORDER } from '../analysis/event-order.ts';

// Sources: a case of a month holds hundreds of thousands of files, each a row of its hash and path
// (5,000 rows made an 800-page PDF). The report lists the few a reader looks at and pins every one
// by the manifest's hash (evidence-manifest.ts).
export const REPORT_LIMITS = { notes: 2000, findings: 300, starred: 1000, nodes: 50, changesPerNode: 50, actors: 50, sources: 100 };

export type StarredEvent = {
  eventId: string; eventTime: string; eventName: string; eventSource: string; actorArn: string | null;
  sourceIPAddress: string | null; errorCode: string | null; marks: Marks; integrity: FileStatus | null;
};

export type ReportModel = {
  generatedAt: string;
  summary: CaseSummary;
  notes: Annotation[];
  findings: Finding[];
  /** Findings the investigator suppressed or marked as expected, each with the decision and its reason. */
  suppressed: Finding[];
  actors: ResolvedActor[];
  changes: WhoChangedResult[];
  starred: StarredEvent[];
  /** Its sources: those the digests or signatures fault first, then in path order, at most REPORT_LIMITS.sources. */
  evidence: VerifyReport;
  /** How many sources the manifest (evidence.manifestSha256) holds. */
  manifestSources: number;
};

/** A source's status that the digests or their signatures fault: listed first, and marked in the report. */
export const isFaulted = (status: string | null): boolean => status === 'contradicted' || status === 'unlisted' || status === 'signature invalid';
const faultedFirst = (a: SourceEntry, b: SourceEntry) => Number(isFaulted(b.integrity ?? b.signature)) - Number(isFaulted(a.integrity ?? a.signature));

export function buildReportModel(db: CaseDb, casePath: string): ReportModel {
  const notes = listAnnotations(db, { limit: REPORT_LIMITS.notes });
  // The stored findings: the first unsuppressed ones by incident (the highest-scoring first, each one's
  // in time order), then the first suppressed ones (listed after every unsuppressed finding, in time
  // order). In time order, a long case's first 300 were its earliest low noise, and an intrusion late
  // in it was not in the report at all.
  const first = listFindings(db, { order: 'incident', limit: REPORT_LIMITS.findings });
  const found = first.findings;
  const shown = Object.values(first.severities ?? {}).reduce((a, b) => a + b, 0);
  const suppressed = first.suppressed ? listFindings(db, { includeSuppressed: true, order: 'incident', offset: shown, limit: REPORT_LIMITS.findings }).findings : [];
  // One chain per origin, in the order the findings name them.
  const actors = new Map<string, ResolvedActor>();
  for (const f of found) if (f.actor && actors.size < REPORT_LIMITS.actors) actors.set(f.actor.origin.id, f.actor);
  // Who changed each resource the investigator annotated.
  const nodes = [...new Set(notes.filter((a) => a.target === 'node').map((a) => a.targetId))].slice(0, REPORT_LIMITS.nodes);
  const changes = nodes.map((id) => {
    const r = whoChanged(db, id);
    return { ...r, items: r.items.slice(0, REPORT_LIMITS.changesPerNode) };
  }).filter((r) => r.items.length > 0);
  const evidence = verifyEvidence(db);
  const bySource = integrityBySource(evidence);
  const starredIds = [...new Set(notes.filter((a) => a.target === 'event' && a.kind === 'star').map((a) => a.targetId))].slice(0, REPORT_LIMITS.starred);
  const marks = marksFor(db, 'event', starredIds);
  const rows = db
    .prepare(`SELECT e.event_id, e.event_time, e.event_name, e.event_source, e.identity_arn, e.source_ip, e.error_code, s.path AS source
      FROM events e LEFT JOIN sources s ON s.id = e.source_id WHERE e.event_id IN (SELECT value FROM json_each(?)) ORDER BY ${EVENT_ORDER}`)
    .all(JSON.stringify(starredIds)) as { event_id: string; event_time: number; event_name: string; event_source: string; identity_arn: string | null; source_ip: string | null; error_code: string | null; source: string | null }[];
  const starred = rows.map((r) => ({
    eventId: r.event_id, eventTime: iso(r.event_time)!, eventName: r.event_name, eventSource: r.event_source, actorArn: r.identity_arn,
    sourceIPAddress: r.source_ip, errorCode: r.error_code, marks: marks.get(r.event_id) ?? { starred: true, tags: [], notes: [] },
    integrity: r.source ? (bySource.get(r.source) ?? null) : null,
  }));
  return {
    generatedAt: new Date().toISOString(),
    summary: caseSummary(db, casePath),
    notes, findings: found, suppressed, actors: [...actors.values()], changes, starred,
    evidence: { ...evidence, sources: [...evidence.sources].sort(faultedFirst).slice(0, REPORT_LIMITS.sources) },
    manifestSources: evidence.sources.length,
  };
}
