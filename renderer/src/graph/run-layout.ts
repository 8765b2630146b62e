// Positions for a graph: the ones cached in the case, and a worker layout for whatever is new.
// A few new nodes are placed beside a neighbour (or inside their box) instead of moving everything.
import type { Graph } from '../../../shared/engine-types.ts';
import type { Positions } from '../../../shared/api/types.ts';
import type { LayoutReply, LayoutRequest } from './layout-worker.ts';

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
      nodes: graph.nodes.map((n) => ({ id: n.id, parent: n.parent })),
      edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    };
    worker.postMessage(request);
  });
}

/** Fills in positions for nodes the cache lacks when they are few; returns null when a full layout is needed. */
export function placeFromCache(graph: Graph, cached: Positions | null): Positions | null {
  if (!cached) return null;
  const parents = new Set(graph.nodes.map((n) => n.parent).filter(Boolean));
  const leaves = graph.nodes.filter((n) => !parents.has(n.id));
  const missing = leaves.filter((n) => !cached[n.id]);
  if (missing.length > Math.max(5, leaves.length * 0.1)) return null;
  const out: Positions = { ...cached };
  const neighbours = new Map<string, string[]>();
  for (const e of graph.edges) {
    neighbours.set(e.source, [...(neighbours.get(e.source) ?? []), e.target]);
    neighbours.set(e.target, [...(neighbours.get(e.target) ?? []), e.source]);
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
