// The search box and the case header, answered by the engine (electron/core/analysis/search,
// electron/core/case-info.ts).
import type { CaseDb } from '../../db/open-case.ts';
import type { CaseSummary, SearchHit } from '../../../../shared/engine-types.ts';
import { search } from '../../analysis/search/search.ts';
import { caseSummary } from '../../case-info.ts';

export function searchNodes(db: CaseDb, query: string, limit = 20): SearchHit[] {
  return search(db, query, limit);
}

export function caseInfo(db: CaseDb, path: string): CaseSummary {
  return caseSummary(db, path);
}
