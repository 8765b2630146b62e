// Lays the graph out on a worker thread: cytoscape runs headless here with fcose at draft quality
// (spectral placement plus a short force pass), so a 2,000-node account lays out in about a second
// without freezing the page, and compound VPC/subnet boxes keep their members inside.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

cytoscape.use(fcose);

export type LayoutRequest = {
  nodes: { id: string; parent: string | null }[];
  edges: { id: string; source: string; target: string }[];
};
export type LayoutReply = { positions: Record<string, { x: number; y: number }>; ms: number };

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 22, height: 22 } }, { selector: ':parent', style: { padding: '12px' } }],
    elements: [
      ...e.data.nodes.map((n) => ({ group: 'nodes' as const, data: n.parent ? { id: n.id, parent: n.parent } : { id: n.id } })),
      ...e.data.edges.map((x) => ({ group: 'edges' as const, data: x })),
    ],
  });
  cy.layout({
    name: 'fcose',
    quality: 'draft',
    randomize: true,
    animate: false,
    fit: false,
    nodeSeparation: 60,
    idealEdgeLength: 60,
    packComponents: true,
    numIter: 1500,
  } as cytoscape.LayoutOptions).run();
  const positions: LayoutReply['positions'] = {};
  cy.nodes().forEach((n) => {
    if (n.isParent()) return;
    const p = n.position();
    positions[n.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
  });
  cy.destroy();
  (self as unknown as Worker).postMessage({ positions, ms: performance.now() - started } satisfies LayoutReply);
};
