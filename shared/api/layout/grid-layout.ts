// The grouped layout, in linear time: members of each VPC/subnet box in a grid inside their box,
// other nodes in one grid block per type, blocks shelf-packed into rows. It is the layout of large
// graphs (see fcose-layout.ts for why) and the provisional picture of small ones while fcose runs.
export type GridInput = { nodes: { id: string; parent: string | null; type: string }[] };
type Point = { x: number; y: number };
type Block = { w: number; h: number; place(ox: number, oy: number, out: Record<string, Point>): void };

const STEP = 50; // node pitch inside a grid
const GAP = 60; // between blocks
const PAD = 30; // inside a box, around its content

function gridBlock(ids: string[]): Block {
  const cols = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
  const rows = Math.ceil(ids.length / cols);
  return {
    w: cols * STEP,
    h: rows * STEP,
    place(ox, oy, out) {
      ids.forEach((id, i) => (out[id] = { x: ox + (i % cols) * STEP + STEP / 2, y: oy + Math.floor(i / cols) * STEP + STEP / 2 }));
    },
  };
}

function shelfPack(blocks: Block[], pad: number): Block {
  const area = blocks.reduce((a, b) => a + (b.w + GAP) * (b.h + GAP), 0);
  const width = Math.max(Math.sqrt(area) * 1.3, ...blocks.map((b) => b.w));
  const spots: { b: Block; x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let maxW = 0;
  for (const b of [...blocks].sort((p, q) => q.h - p.h)) {
    if (x > 0 && x + b.w > width) {
      y += rowH + GAP;
      x = 0;
      rowH = 0;
    }
    spots.push({ b, x, y });
    x += b.w + GAP;
    maxW = Math.max(maxW, x - GAP);
    rowH = Math.max(rowH, b.h);
  }
  return {
    w: maxW + 2 * pad,
    h: y + rowH + 2 * pad,
    place(ox, oy, out) {
      for (const s of spots) s.b.place(ox + pad + s.x, oy + pad + s.y, out);
    },
  };
}

export function gridLayout(input: GridInput): Record<string, Point> {
  const ids = new Set(input.nodes.map((n) => n.id));
  const children = new Map<string | null, GridInput['nodes']>();
  for (const n of input.nodes) {
    const parent = n.parent && ids.has(n.parent) && n.parent !== n.id ? n.parent : null;
    (children.get(parent) ?? children.set(parent, []).get(parent)!).push(n);
  }
  const seen = new Set<string>();
  const blockOf = (group: string | null): Block => {
    const members = (children.get(group) ?? []).filter((n) => !seen.has(n.id));
    for (const n of members) seen.add(n.id);
    const boxes = members.filter((n) => children.has(n.id)).map((n) => blockOf(n.id));
    const byType = new Map<string, string[]>();
    for (const n of members) if (!children.has(n.id)) (byType.get(n.type) ?? byType.set(n.type, []).get(n.type)!).push(n.id);
    const leaves = [...byType.values()].map((list) => gridBlock(list.sort()));
    return shelfPack([...boxes, ...leaves], group === null ? 0 : PAD);
  };
  const out: Record<string, Point> = {};
  blockOf(null).place(0, 0, out);
  for (const id of children.keys()) if (id !== null) delete out[id];
  return out;
}
