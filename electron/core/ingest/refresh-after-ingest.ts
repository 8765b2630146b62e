// After new data lands, the engine recomputes what it derives from it (resolved actors, versions
// reconstructed from events, the stored findings). One hook so the file ingest and the live pull both call it.
import type { CaseDb } from '../db/open-case.ts';
import { refreshDerived } from '../analysis/refresh-derived.ts';
import { storeFindings } from '../analysis/findings/stored-findings.ts';

export function refreshAfterIngest(db: CaseDb): void {
  refreshDerived(db);
  // The findings list reads the stored answer: bring it up to date now, not at the investigator's first ask.
  storeFindings(db);
}
