// Which file an event was stored from, and whether CloudTrail's digests verify that file (verified,
// contradicted: edited after delivery, unverified: no digest lists it, or not a CloudTrail log file).
// The verification of the whole case is computed once and kept until a source is added.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from '../analysis/prepared.ts';
import { integrityBySource, verifyEvidence, type FileStatus } from './verify-evidence.ts';
import type { EventEvidence } from '../../../shared/api/evidence.ts';

export type EventRef = { id?: number; eventId?: string };

export function createEventEvidence(db: CaseDb): (ref: EventRef) => EventEvidence | null {
  let cached: { key: string; bySource: Map<string, FileStatus> } | null = null;
  const integrity = (): Map<string, FileStatus> => {
    // New sources (an import, a pull) change the answer; nothing else in the case does. The table, not
    // the sources view: an aggregate over a view keeps its join (migration 0140).
    const key = JSON.stringify(stmt(db, 'SELECT count(*), max(id), max(finished_at) FROM source_rows').raw().get());
    if (cached?.key !== key) cached = { key, bySource: integrityBySource(verifyEvidence(db)) };
    return cached.bySource;
  };
  return (ref) => {
    const row = (ref.id !== undefined
      ? stmt(db, 'SELECT s.path, s.sha256, s.kind FROM event_rows e JOIN sources s ON s.id = e.source_id WHERE e.id = ?').get(ref.id)
      : stmt(db, 'SELECT s.path, s.sha256, s.kind FROM event_rows e JOIN sources s ON s.id = e.source_id WHERE e.event_id = ?').get(ref.eventId)) as { path: string; sha256: string; kind: string } | undefined;
    if (!row) return null;
    return { source: row.path.slice(0, 4096), sha256: row.sha256.slice(0, 64), kind: row.kind.slice(0, 64), integrity: integrity().get(row.path) ?? 'unverified' };
  };
}
