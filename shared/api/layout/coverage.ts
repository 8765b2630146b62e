// When cached positions are good enough for a graph: every box member and node but a few has one.
// A handful of new nodes are placed beside a neighbour by the renderer; more than that (a large
// import, a first open) calls for a fresh layout. Shared by the server and the renderer.
export type CoverageGraph = { nodes: { id: string; parent: string | null }[] };

export function missingFromCache(graph: CoverageGraph, cached: Record<string, unknown>): string[] {
  const parents = new Set(graph.nodes.map((n) => n.parent).filter(Boolean));
  return graph.nodes.filter((n) => !parents.has(n.id) && !cached[n.id]).map((n) => n.id);
}

export function cacheCovers(graph: CoverageGraph, cached: Record<string, unknown>): boolean {
  const leaves = graph.nodes.length;
  return missingFromCache(graph, cached).length <= Math.max(5, leaves * 0.1);
}
