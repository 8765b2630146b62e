// Worker thread: lays out the case's whole graph (default view, latest time) and caches the
// positions in the case, when the cache is missing or covers too little of the graph (a first
// open, a large import). Its own connection: WAL keeps the API's reads going meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../../db/open-case.ts';
import { layoutStore } from '../../db/workbench-layouts.ts';
import { graphAt } from '../adapters/graph.ts';
import { GRAPH_LAYOUT_KEY } from '../../../../shared/api/schemas.ts';
import { layoutGraph } from '../../../../shared/api/layout/fcose-layout.ts';
import { cacheCovers } from '../../../../shared/api/layout/coverage.ts';
import { toLogFormat } from '../../log-format.ts';
import { graphOverview } from '../../analysis/graph/overview.ts';
import { OVERVIEW_ABOVE } from '../../../../shared/api/overview-ids.ts';

export type PrecomputeIn = { casePath: string };
export type PrecomputeOut = { type: 'opened' } | { type: 'done'; nodes: number; ms: number | null } | { type: 'failed'; error: string };

const port = parentPort;
if (port) {
  const { casePath } = workerData as PrecomputeIn;
  const db = openCase(casePath);
  // From here on the worker may be terminated safely (end-worker.ts): SQLite's native module is loaded.
  port.postMessage({ type: 'opened' } satisfies PrecomputeOut);
  try {
    // An account the app opens on the overview is never drawn whole: its layout would go unused, and
    // building the whole graph costs seconds of CPU a million events (6 s typical), taken from the
    // open itself on a machine with two cores. The overview's size is a few index ranges (0.2 s).
    const total = graphOverview(db, { calls: false }).total;
    if (total > OVERVIEW_ABOVE) {
      port.postMessage({ type: 'done', nodes: total, ms: null } satisfies PrecomputeOut);
    } else {
      const graph = graphAt(db, {});
      const layouts = layoutStore(db);
      const cached = layouts.load(GRAPH_LAYOUT_KEY);
      if (cached && cacheCovers(graph, cached)) {
        port.postMessage({ type: 'done', nodes: graph.nodes.length, ms: null } satisfies PrecomputeOut);
      } else {
        const reply = layoutGraph({ nodes: graph.nodes, edges: graph.edges });
        layouts.save(GRAPH_LAYOUT_KEY, reply.positions);
        port.postMessage({ type: 'done', nodes: graph.nodes.length, ms: Math.round(reply.ms) } satisfies PrecomputeOut);
      }
    }
  } catch (err) {
    port.postMessage({ type: 'failed', error: toLogFormat(err) } satisfies PrecomputeOut);
  } finally {
    db.close();
  }
}
