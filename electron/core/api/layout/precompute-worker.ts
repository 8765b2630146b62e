// Worker thread: lays out the case's whole graph (default view, latest time) and caches the
// positions in the case, when the cache is missing or covers too little of the graph (a first
// open, a large import). Its own connection: WAL keeps the API's reads going meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../../db/open-case.ts';
import { graphAt } from '../adapters/graph.ts';
import { GRAPH_LAYOUT_KEY } from '../../../../shared/api/schemas.ts';
import { layoutGraph } from '../../../../shared/api/layout/fcose-layout.ts';
import { cacheCovers } from '../../../../shared/api/layout/coverage.ts';
import { toLogFormat } from '../../log-format.ts';

export type PrecomputeIn = { casePath: string };
export type PrecomputeOut = { type: 'done'; nodes: number; ms: number | null } | { type: 'failed'; error: string };

const port = parentPort;
if (port) {
  const { casePath } = workerData as PrecomputeIn;
  const db = openCase(casePath);
  try {
    const graph = graphAt(db, {});
    const text = db.prepare('SELECT positions FROM workbench_layouts WHERE key = ?').pluck().get(GRAPH_LAYOUT_KEY) as string | undefined;
    const cached = text ? (JSON.parse(text) as Record<string, { x: number; y: number }>) : null;
    if (cached && cacheCovers(graph, cached)) {
      port.postMessage({ type: 'done', nodes: graph.nodes.length, ms: null } satisfies PrecomputeOut);
    } else {
      const reply = layoutGraph({ nodes: graph.nodes, edges: graph.edges });
      db.prepare(
        'INSERT INTO workbench_layouts (key, positions, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET positions = excluded.positions, updated_at = excluded.updated_at',
      ).run(GRAPH_LAYOUT_KEY, JSON.stringify(reply.positions), Date.now());
      port.postMessage({ type: 'done', nodes: graph.nodes.length, ms: Math.round(reply.ms) } satisfies PrecomputeOut);
    }
  } catch (err) {
    port.postMessage({ type: 'failed', error: toLogFormat(err) } satisfies PrecomputeOut);
  } finally {
    db.close();
  }
}
