// Cached graph layouts (workbench_layouts): the one place their SQL lives, for the API and the
// layout worker. A layout read back from a case is hostile like everything else in it: only
// {id: {x, y}} entries with finite numbers are returned, and an oversized one is ignored (the
// graph is laid out again).
import type { CaseDb } from './open-case.ts';

export type LayoutPositions = Record<string, { x: number; y: number }>;

/** Far above any layout Trailscope writes (20,000 nodes at ~60 bytes each). */
const MAX_LAYOUT_TEXT = 16 * 1024 * 1024;
const MAX_ID_LENGTH = 2048;

export type LayoutStore = {
  load(key: string): LayoutPositions | null;
  save(key: string, positions: LayoutPositions): void;
};

export function layoutStore(db: CaseDb): LayoutStore {
  const select = db.prepare('SELECT positions FROM workbench_layouts WHERE key = ? AND length(positions) <= ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO workbench_layouts (key, positions, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET positions = excluded.positions, updated_at = excluded.updated_at',
  );
  return {
    load: (key) => {
      const text = select.get(key, MAX_LAYOUT_TEXT) as string | undefined;
      return text === undefined ? null : parsePositions(text);
    },
    save: (key, positions) => void upsert.run(key, JSON.stringify(positions), Date.now()),
  };
}

export function parsePositions(text: string): LayoutPositions | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: LayoutPositions = Object.create(null) as LayoutPositions;
  for (const [id, p] of Object.entries(value as Record<string, unknown>)) {
    if (id.length > MAX_ID_LENGTH || !p || typeof p !== 'object') continue;
    const { x, y } = p as { x?: unknown; y?: unknown };
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) out[id] = { x, y };
  }
  return out;
}
