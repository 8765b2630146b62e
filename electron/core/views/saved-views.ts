// Saved views (table `saved_views`, migration 0090): named workbench states kept in the case. The one
// place their SQL lives. Names and states are checked on the way in and bounded on the way out (a
// case file may come from anyone); a state is stored in its canonical form (shared/api/view-state.ts).
import type { CaseDb } from '../db/open-case.ts';
import { stmt, iso } from '../analysis/prepared.ts';
import { defaultAuthor } from '../annotations/annotations.ts';
import { VIEW_NAME_CHARS, VIEW_STATE_CHARS, canonicalViewState } from '../../../shared/api/view-state.ts';
import type { SavedView } from '../../../shared/api/types.ts';

/** Most views one listing returns. */
export const MAX_VIEWS = 1000;

export class ViewError extends Error {
  override name = 'ViewError';
}

function hasViews(db: CaseDb): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'saved_views'").pluck().get() === 1;
}

/** A view's name: printable text without control characters, 1 to 128 characters once trimmed. */
export function checkViewName(name: string): string {
  const n = name.trim();
  if (!n || n.length > VIEW_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(n)) throw new ViewError(`a view name is 1 to ${VIEW_NAME_CHARS} characters of text (no control characters)`);
  return n;
}

type Row = { name: string; state: string; author: string; created_at: number };

function fromRow(r: Row): SavedView {
  // Read back through the codec: a state written by hand into the case keeps only well-formed fields.
  return { name: r.name.slice(0, VIEW_NAME_CHARS), state: canonicalViewState(r.state.slice(0, VIEW_STATE_CHARS)) ?? '', author: r.author.slice(0, 128), at: iso(r.created_at) ?? '' };
}

/** Saves (or replaces) the view called `name`. */
export function saveView(db: CaseDb, name: string, state: string, author = defaultAuthor(), at = Date.now()): SavedView {
  const n = checkViewName(name);
  const canonical = canonicalViewState(state);
  if (canonical === null) throw new ViewError(`a view state holds at most ${VIEW_STATE_CHARS} characters`);
  stmt(db, `INSERT INTO saved_views (name, state, author, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET state = excluded.state, author = excluded.author, created_at = excluded.created_at`).run(n, canonical, author, at);
  return { name: n, state: canonical, author, at: iso(at)! };
}

/** Saved views by name. */
export function listViews(db: CaseDb): SavedView[] {
  if (!hasViews(db)) return [];
  return (stmt(db, 'SELECT name, state, author, created_at FROM saved_views ORDER BY name LIMIT ?').all(MAX_VIEWS) as Row[]).map(fromRow);
}

/** One saved view, or null. */
export function getView(db: CaseDb, name: string): SavedView | null {
  if (!hasViews(db)) return null;
  const r = stmt(db, 'SELECT name, state, author, created_at FROM saved_views WHERE name = ?').get(name.trim()) as Row | undefined;
  return r ? fromRow(r) : null;
}

export function removeView(db: CaseDb, name: string): boolean {
  if (!hasViews(db)) return false;
  return stmt(db, 'DELETE FROM saved_views WHERE name = ?').run(name.trim()).changes > 0;
}
