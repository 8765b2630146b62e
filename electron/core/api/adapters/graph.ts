// The graph calls of the contract, answered by the engine (electron/core/analysis/graph): maps the
// contract's optional fields to the engine's options.
import type { CaseDb } from '../../db/open-case.ts';
import type { Graph } from '../../../../shared/engine-types.ts';
import { graphAt as engineGraphAt, neighbourhood as engineNeighbourhood, type GraphOptions } from '../../analysis/graph/graph-at.ts';

export type GraphQuery = { at?: string; types?: string[]; accounts?: string[]; regions?: string[]; limit?: number };

export function graphAt(db: CaseDb, q: GraphQuery): Graph {
  const options: GraphOptions = { at: q.at ?? null, types: q.types, accounts: q.accounts, regions: q.regions, limit: q.limit ?? 5000 };
  return engineGraphAt(db, options);
}

/** A node and everything one hop away (at T), for expanding a collapsed neighbourhood. */
export function neighbourhood(db: CaseDb, id: string, at?: string): Graph {
  return engineNeighbourhood(db, { nodeId: id, at: at ?? null });
}
