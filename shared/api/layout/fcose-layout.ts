// The graph layout, as a pure function. Up to FCOSE_MAX_NODES: cytoscape headless with fcose at
// default quality (spectral placement refined by forces; ~250 ms for 300 nodes, ~350 ms for 800),
// compound VPC/subnet boxes keeping their members inside. Above that fcose stops being an option:
// measured on a 2,000-node account, 'default' took 56 s and 'draft' (spectral only, 1.4 s) piled
// the nodes on top of each other, so large graphs get the grouped grid (grid-layout.ts), which
// reads as an overview; the neighbourhood of a node is then explored with Expand. Runs in two places: a Node
// worker thread that lays out a case's graph when the case is opened (so the first page load
// finds positions cached in the case), and the renderer's web worker for views the cache does not
// cover (filters, after an import). No DOM, no Node APIs: both bundlers take it as is.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { gridLayout } from './grid-layout.ts';
import { FCOSE_MAX_NODES } from './limits.ts';

cytoscape.use(fcose);

export type LayoutRequest = {
  nodes: { id: string; parent: string | null; type: string }[];
  edges: { id: string; source: string; target: string }[];
};
export type LayoutReply = { positions: Record<string, { x: number; y: number }>; ms: number; kind: 'fcose' | 'grouped' };

export function layoutGraph(request: LayoutRequest): LayoutReply {
  const started = performance.now();
  if (request.nodes.length > FCOSE_MAX_NODES) return { positions: gridLayout(request), ms: performance.now() - started, kind: 'grouped' };
  const ids = new Set(request.nodes.map((n) => n.id));
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 30, height: 30 } }, { selector: ':parent', style: { padding: '12px' } }],
    elements: [
      ...request.nodes.map((n) => ({ group: 'nodes' as const, data: n.parent && ids.has(n.parent) ? { id: n.id, parent: n.parent } : { id: n.id } })),
      ...request.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((x) => ({ group: 'edges' as const, data: x })),
    ],
  });
  cy.layout({
    name: 'fcose',
    quality: 'default',
    randomize: true,
    animate: false,
    fit: false,
    nodeSeparation: 70,
    idealEdgeLength: 70,
    packComponents: true,
  } as cytoscape.LayoutOptions).run();
  const positions: LayoutReply['positions'] = {};
  cy.nodes().forEach((n) => {
    if (n.isParent()) return;
    const p = n.position();
    positions[n.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
  });
  cy.destroy();
  return { positions, ms: performance.now() - started, kind: 'fcose' };
}
