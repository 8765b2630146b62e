// Export of the graph on screen: PNG (cytoscape's renderer), SVG (graph-svg.ts, labels escaped) and
// JSON (nodes with positions, edges with kinds and times), saved through a download link.
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import type { Graph } from '../../../shared/engine-types.ts';
import { graphSvg, type SvgEdge, type SvgNode } from './graph-svg.ts';

export type ExportFormat = 'png' | 'svg' | 'json';

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Shown (not folded or hidden) elements only: the export is the picture the user sees. */
const visibleNodes = (cy: Core): NodeSingular[] => cy.nodes().filter((n) => n.visible()).toArray() as NodeSingular[];

export function exportGraph(cy: Core, graph: Graph | null, format: ExportFormat, at: string | null): string {
  const stamp = (at ?? new Date().toISOString()).replace(/[:.]/g, '-');
  const name = `trailscope-graph-${stamp}.${format}`;
  if (format === 'png') {
    save(cy.png({ output: 'blob', full: true, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 }) as unknown as Blob, name);
    return name;
  }
  const nodes = visibleNodes(cy);
  const shown = new Set(nodes.map((n) => n.id()));
  const edges = (cy.edges().toArray() as EdgeSingular[]).filter((e) => e.visible() && shown.has(e.source().id()) && shown.has(e.target().id()));
  if (format === 'svg') {
    const svgNodes: SvgNode[] = nodes.map((n: NodeSingular) => {
      const bb = n.boundingBox({ includeLabels: false });
      return { id: n.id(), label: String(n.data('label') ?? n.id()), x: n.position('x'), y: n.position('y'), w: bb.w, h: bb.h, color: String(n.style('background-color')), box: n.isParent() };
    });
    const svgEdges: SvgEdge[] = edges.map((e) => ({ source: e.source().id(), target: e.target().id(), kind: String(e.data('kind')), highlight: e.hasClass('highlight') || e.hasClass('path') }));
    save(new Blob([graphSvg(svgNodes, svgEdges, `Trailscope graph${at ? ` as of ${at}` : ''}`)], { type: 'image/svg+xml' }), name);
    return name;
  }
  const byId = new Map((graph?.nodes ?? []).map((n) => [n.id, n]));
  const edgeById = new Map((graph?.edges ?? []).map((e) => [e.id, e]));
  const doc = {
    at,
    nodes: nodes.map((n) => ({ ...(byId.get(n.id()) ?? { id: n.id(), label: n.data('label'), type: n.data('type') }), position: n.position() })),
    edges: edges.map((e) => edgeById.get(e.id()) ?? { id: e.id(), source: e.source().id(), target: e.target().id(), kind: e.data('kind'), time: e.data('time') ?? null, eventId: e.data('eventId') ?? null }),
  };
  save(new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' }), name);
  return name;
}
