// Positions for the overview, computed at once on the page (no layout worker: a worker is a script
// fetched from the server, which may be busy answering a long question): columns read left to
// right as the overview's story, principals → roles → services called → kinds of resource, each
// column ordered busiest first and centred on the others. Pure, so it is tested in Node.
import type { Graph } from '../../../shared/engine-types.ts';
import type { Positions } from '../../../shared/api/types.ts';
import { KIND_PREFIX, MORE_PREFIX, SERVICE_PREFIX } from '../../../shared/api/overview-ids.ts';

const COLUMN_GAP = 340;
const ROW_GAP = 64;

function columnOf(id: string, type: string): number {
  if (id.startsWith(KIND_PREFIX)) return 3;
  if (id.startsWith(SERVICE_PREFIX)) return 2;
  if (type === 'role' || (id.startsWith(MORE_PREFIX) && id.endsWith(':role'))) return 1;
  return 0;
}

export function overviewLayout(g: Graph): Positions {
  const columns: Graph['nodes'][] = [[], [], [], []];
  for (const n of g.nodes) columns[columnOf(n.id, n.type)].push(n);
  const out: Positions = {};
  columns.forEach((nodes, c) => {
    nodes.sort((a, b) => b.eventCount - a.eventCount || a.label.localeCompare(b.label));
    // Long columns wrap into two sub-columns so the drawing stays about as tall as it is wide.
    const perColumn = Math.max(12, Math.ceil(nodes.length / 2));
    nodes.forEach((n, i) => {
      const sub = Math.floor(i / perColumn);
      const row = i % perColumn;
      const rows = Math.min(perColumn, nodes.length - sub * perColumn);
      out[n.id] = { x: c * COLUMN_GAP + sub * (COLUMN_GAP / 2), y: (row - (rows - 1) / 2) * ROW_GAP + sub * (ROW_GAP / 2) };
    });
  });
  return out;
}
