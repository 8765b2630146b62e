// The workbench's view as text: what the URL's fragment holds (so a reload, back and forward and a
// pasted link restore the same view) and what a saved view stores in the case. One codec for the
// renderer, the core and the CLI (`serve --open VIEW` prints the link). A view string is read from
// URLs and case files that anyone may have written: every field is checked on the way in, one that
// fails is dropped (the rest of the view still opens), and nothing in it is ever markup or a path.
import { timelineFilterSchema, type TimelineFilterInput } from './schemas.ts';
import { VIEW_STATE_CHARS } from './bounds.ts';
import { SORT_COLUMNS, type SortColumn } from './timeline-sort.ts';
export { VIEW_NAME_CHARS, VIEW_STATE_CHARS } from './bounds.ts';

export type ViewState = {
  /** The selected graph node, or the selected event (its events.id, stable within a case). */
  selection?: { kind: 'node'; id: string } | { kind: 'event'; id: number };
  /** The graph's point in time (T). */
  at?: string;
  /** The timeline's filter, query and window. */
  filter?: TimelineFilterInput;
  /** The open inspector tab. */
  tab?: string;
  /** The interface, instance or address the Flows view shows. */
  flowsFor?: string;
  /** Times in local time rather than UTC. */
  local?: boolean;
  /** The timeline's compact rows. */
  compact?: boolean;
  /** The timeline sorted by another column than time. */
  sortBy?: SortColumn;
  /** The timeline's order reversed: newest first, or Z to A. */
  descending?: boolean;
};

// URL parameter ↔ filter field. Short names keep links readable.
const FILTER_KEYS: [keyof TimelineFilterInput, string][] = [
  ['from', 'from'],
  ['to', 'to'],
  ['actor', 'actor'],
  ['resource', 'resource'],
  ['node', 'fnode'],
  ['eventName', 'name'],
  ['ip', 'ip'],
  ['text', 'text'],
  ['query', 'q'],
];

const ID_CHARS = 2048;
const TAB = /^[a-z][a-z-]{0,31}$/;

/** The view as a URL fragment's text (no leading '#'); '' for the default view. Keys in a fixed order, so equal views give equal text. */
export function encodeViewState(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.selection?.kind === 'node') p.set('node', v.selection.id);
  else if (v.selection?.kind === 'event') p.set('event', String(v.selection.id));
  if (v.at) p.set('at', v.at);
  const f = v.filter ?? {};
  for (const [field, key] of FILTER_KEYS) {
    const value = f[field];
    if (typeof value === 'string' && value !== '') p.set(key, value);
  }
  if (f.accounts?.length) p.set('acct', f.accounts.join(','));
  if (f.errorsOnly) p.set('errors', '1');
  if (f.includeReadOnly) p.set('ro', '1');
  if (v.tab && v.tab !== 'selection') p.set('tab', v.tab);
  if (v.flowsFor) p.set('flows', v.flowsFor);
  if (v.local) p.set('tz', 'local');
  if (v.compact) p.set('rows', 'compact');
  if (v.sortBy) p.set('sort', v.sortBy);
  if (v.descending) p.set('order', 'desc');
  return p.toString();
}

/** Reads a view string (a fragment, with or without '#'); fields that are not well formed are left out. */
export function parseViewState(text: string): ViewState {
  const p = new URLSearchParams(text.slice(0, VIEW_STATE_CHARS).replace(/^#/, ''));
  const v: ViewState = {};
  const node = p.get('node');
  const event = p.get('event');
  if (node && node.length <= ID_CHARS) v.selection = { kind: 'node', id: node };
  else if (event && /^[1-9]\d{0,15}$/.test(event)) v.selection = { kind: 'event', id: Number(event) };
  const at = p.get('at');
  if (at && timelineFilterSchema.shape.from.safeParse(at).success) v.at = at;
  const filter: Record<string, unknown> = {};
  for (const [field, key] of FILTER_KEYS) {
    const value = p.get(key);
    if (value === null || value === '') continue;
    // Each field on its own, so one bad value (a too-long actor) does not lose the rest of the filter.
    if (timelineFilterSchema.shape[field].safeParse(value).success) filter[field] = value;
  }
  const accounts = p.get('acct')?.split(',');
  if (accounts && timelineFilterSchema.shape.accounts.safeParse(accounts).success) filter.accounts = accounts;
  if (p.get('errors') === '1') filter.errorsOnly = true;
  if (p.get('ro') === '1') filter.includeReadOnly = true;
  if (Object.keys(filter).length) v.filter = filter as TimelineFilterInput;
  const tab = p.get('tab');
  if (tab && TAB.test(tab)) v.tab = tab;
  const flows = p.get('flows');
  if (flows && flows.length <= ID_CHARS) v.flowsFor = flows;
  if (p.get('tz') === 'local') v.local = true;
  if (p.get('rows') === 'compact') v.compact = true;
  const sort = p.get('sort');
  if (SORT_COLUMNS.includes(sort as SortColumn)) v.sortBy = sort as SortColumn;
  if (p.get('order') === 'desc') v.descending = true;
  return v;
}

/** A view string in its canonical form (what is stored), or null when it is too long. */
export function canonicalViewState(text: string): string | null {
  if (text.length > VIEW_STATE_CHARS) return null;
  return encodeViewState(parseViewState(text));
}
