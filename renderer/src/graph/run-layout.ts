// Positions for a graph: the ones cached in the case, and a worker layout for whatever is new.
// A few new nodes are placed beside a neighbour (or inside their box) instead of moving everything.
import type { Graph } from '../../../shared/engine-types.ts';
import type { Positions } from '../../../shared/api/types.ts';
import type { LayoutReply, LayoutRequest } from './layout-worker.ts';
import { cacheCovers, missingFromCache } from '../../../shared/api/layout/coverage.ts';

export function layoutInWorker(graph: Graph): Promise<LayoutReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<LayoutReply>) => {
      resolve(e.data);
      worker.terminate();
    };
    worker.onerror = (e) => {
      reject(new Error(e.message || 'layout worker failed'));
      worker.terminate();
    };
    const request: LayoutRequest = {
      nodes: graph.nodes.map((n) => ({ id: n.id, parent: n.parent, type: n.type })),
      edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    };
    worker.postMessage(request);
  });
}

/** Fills in positions for nodes the cache lacks when they are few; returns null when a full layout is needed. */
export function placeFromCache(graph: Graph, cached: Positions | null): Positions | null {
  if (!cached || !cacheCovers(graph, cached)) return null;
  const missingIds = new Set(missingFromCache(graph, cached));
  const missing = graph.nodes.filter((n) => missingIds.has(n.id));
  const out: Positions = { ...cached };
  const neighbours = new Map<string, string[]>();
  for (const e of graph.edges) {
    (neighbours.get(e.source) ?? neighbours.set(e.source, []).get(e.source)!).push(e.target);
    (neighbours.get(e.target) ?? neighbours.set(e.target, []).get(e.target)!).push(e.source);
  }
  let i = 0;
  for (const n of missing) {
    const anchor = (neighbours.get(n.id) ?? []).map((id) => out[id]).find(Boolean) ?? (n.parent ? siblingPosition(graph, out, n.parent) : null) ?? { x: 0, y: 0 };
    const angle = (i++ * 2.4) % (2 * Math.PI);
    out[n.id] = { x: anchor.x + 40 * Math.cos(angle), y: anchor.y + 40 * Math.sin(angle) };
  }
  return out;
}

function siblingPosition(graph: Graph, positions: Positions, parent: string) {
  const sibling = graph.nodes.find((m) => m.parent === parent && positions[m.id]);
  return sibling ? positions[sibling.id] : null;
}
