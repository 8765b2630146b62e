// Positions for the overview, computed at once on the page (no layout worker: a worker is a script
// fetched from the server, which may be busy answering a long question): columns read left to
// right as the overview's story, principals → roles → services called → kinds of resource, each
// column ordered busiest first and centred on the others. Pure, so it is tested in Node.
import type { Graph } from '../../../shared/engine-types.ts';
import type { Positions } from '../../../shared/api/types.ts';
import { KIND_PREFIX, MORE_PREFIX, SERVICE_PREFIX } from '../../../shared/api/overview-ids.ts';

const COLUMN_GAP = 340;
const SUB_COLUMN_GAP = COLUMN_GAP / 2;
const ROW_GAP = 64;
/** The height over the width of the pane the overview opens in, when the caller does not say (the workbench's). */
const PANE_ASPECT = 0.45;

function columnOf(id: string, type: string): number {
  if (id.startsWith(KIND_PREFIX)) return 3;
  if (id.startsWith(SERVICE_PREFIX)) return 2;
  if (type === 'role' || (id.startsWith(MORE_PREFIX) && id.endsWith(':role'))) return 1;
  return 0;
}

/**
 * `aspect`: the pane's height over its width. Long columns wrap into sub-columns, every column the same
 * number of rows, chosen so the drawing has about the pane's shape: fitted to it, nodes stand as far
 * apart as the pane allows. (Two sub-columns at most made an organisation's 300 identities a strip
 * thirty times taller than wide, drawn as dots.)
 */
export function overviewLayout(g: Graph, aspect = PANE_ASPECT): Positions {
  const columns: Graph['nodes'][] = [[], [], [], []];
  for (const n of g.nodes) columns[columnOf(n.id, n.type)].push(n);
  const rows = rowsFor(columns.map((c) => c.length), aspect > 0 && Number.isFinite(aspect) ? aspect : PANE_ASPECT);
  const out: Positions = {};
  let x = 0;
  for (const nodes of columns) {
    if (nodes.length === 0) continue;
    nodes.sort((a, b) => b.eventCount - a.eventCount || a.label.localeCompare(b.label));
    nodes.forEach((n, i) => {
      const sub = Math.floor(i / rows);
      const inSub = Math.min(rows, nodes.length - sub * rows);
      // Sub-columns stand half a row apart, so one's labels fall between the next one's nodes.
      out[n.id] = { x: x + sub * SUB_COLUMN_GAP, y: (i % rows - (inSub - 1) / 2) * ROW_GAP + (sub % 2) * (ROW_GAP / 2) };
    });
    x += (Math.ceil(nodes.length / rows) - 1) * SUB_COLUMN_GAP + COLUMN_GAP;
  }
  return out;
}

/** The rows per sub-column whose drawing's height over width is nearest `aspect` (fewer sub-columns on a tie). */
function rowsFor(lengths: number[], aspect: number): number {
  const longest = Math.max(1, ...lengths);
  let best = longest;
  let bestMiss = Infinity;
  for (let rows = longest; rows >= 1; rows--) {
    let width = 0;
    for (const n of lengths) if (n > 0) width += (Math.ceil(n / rows) - 1) * SUB_COLUMN_GAP + COLUMN_GAP;
    const miss = Math.abs(Math.log((rows * ROW_GAP) / width / aspect));
    if (miss < bestMiss) {
      best = rows;
      bestMiss = miss;
    }
  }
  return best;
}
