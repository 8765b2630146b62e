// Text summary of a graph: counts by node type and edge kind, then the busiest nodes.
import type { Graph } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatGraph(g: Graph): string {
  const byType = new Map<string, number>();
  for (const n of g.nodes) byType.set(n.type, (byType.get(n.type) ?? 0) + 1);
  const byKind = new Map<string, number>();
  for (const e of g.edges) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const lines = [`Graph${g.at ? ` at ${g.at}` : ''}: ${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? ' (truncated)' : ''}`, '  nodes:'];
  for (const [t, n] of [...byType].sort((a, b) => b[1] - a[1])) lines.push(`    ${String(n).padStart(7)}  ${t}`);
  lines.push('  edges:');
  for (const [k, n] of [...byKind].sort((a, b) => b[1] - a[1])) lines.push(`    ${String(n).padStart(7)}  ${safe(k)}`);
  lines.push('  busiest:');
  for (const n of [...g.nodes].sort((a, b) => b.eventCount - a.eventCount).slice(0, 15)) {
    lines.push(`    ${String(n.eventCount).padStart(7)}  ${safe(n.label)} [${n.type}]${n.parent ? ` in ${safe(n.parent)}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
