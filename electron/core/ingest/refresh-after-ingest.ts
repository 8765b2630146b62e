// After new data lands, the engine recomputes what it derives from it (resolved actors, versions
// reconstructed from events). One hook so the file ingest and the live pull both call it.
import type { CaseDb } from '../db/open-case.ts';
import { refreshDerived } from '../analysis/refresh-derived.ts';

export function refreshAfterIngest(db: CaseDb): void {
  refreshDerived(db);
}
