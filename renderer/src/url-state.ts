// The workbench's view in the URL's fragment (#node=…&q=…&tab=…): every change of the selection,
// time T, timeline filter, open tab or clock writes it, so back and forward step through views, a
// reload restores the view and a pasted link (or `trailscope serve --open VIEW`) opens it. The
// fragment never reaches the server; shared/api/view-state.ts reads it field by field (a link is
// anyone's text).
import { encodeViewState, parseViewState, type ViewState } from '../../shared/api/view-state.ts';
import { call } from './api/client.ts';
import { SIDE_TABS, useStore, type SideTab, type State } from './store.ts';

// Changes closer together than this (a click that selects and filters, a brush drag) make one history entry.
const ONE_STEP_MS = 400;

export function viewOf(s: State): ViewState {
  return {
    selection: s.selection.kind === 'none' ? undefined : s.selection,
    at: s.graphAt ?? undefined,
    filter: s.filter,
    tab: s.sideTab,
    flowsFor: s.flowsFor ?? undefined,
    local: !s.utc,
    compact: s.compact,
    sortBy: s.sortBy ?? undefined,
    descending: s.descending,
  };
}

/** The current view as fragment text. */
export function currentViewText(): string {
  return encodeViewState(viewOf(useStore.getState()));
}

/** Puts the workbench in the view `v` describes (what it leaves out is reset to the default). */
export function applyView(v: ViewState): void {
  const store = useStore.getState();
  const filter = v.filter ?? { includeReadOnly: false };
  if (JSON.stringify(filter) !== JSON.stringify(store.filter)) store.set({ filter });
  const sel = v.selection;
  const now = store.selection;
  if (!sel) {
    if (now.kind !== 'none') store.set({ selection: { kind: 'none' }, highlighted: [] });
  } else if (sel.kind === 'node' && !(now.kind === 'node' && now.id === sel.id)) store.selectNode(sel.id);
  else if (sel.kind === 'event' && !(now.kind === 'event' && now.id === sel.id)) {
    store.selectEvent(sel.id);
    // Scroll the timeline to it once its time is known.
    void call('event:get', { id: sel.id }).then((r) => {
      const s = useStore.getState();
      if (r.ok && s.selection.kind === 'event' && s.selection.id === sel.id) s.revealEvent(sel.id, r.value.row.eventTime, r.value.row.readOnly === true);
    });
  }
  const tab: SideTab = SIDE_TABS.includes(v.tab as SideTab) ? (v.tab as SideTab) : 'selection';
  store.set({ graphAt: v.at ?? null, sideTab: tab, flowsFor: v.flowsFor ?? (sel?.kind === 'node' ? useStore.getState().flowsFor : null), utc: !v.local, compact: Boolean(v.compact), sortBy: v.sortBy ?? null, descending: Boolean(v.descending) });
}

function urlWith(text: string): string {
  return `${window.location.pathname}${window.location.search}${text ? `#${text}` : ''}`;
}

/** Restores the view the URL names, then keeps the URL in step with the workbench. Returns the undo. */
export function startUrlSync(): () => void {
  let applying = false;
  const initial = window.location.hash.slice(1);
  if (initial) applyView(parseViewState(decodeFragment(initial)));
  let last = currentViewText();
  let lastPush = 0;
  window.history.replaceState(null, '', urlWith(last));

  const unsubscribe = useStore.subscribe((s) => {
    if (applying) return;
    const text = encodeViewState(viewOf(s));
    if (text === last) return;
    last = text;
    const now = performance.now();
    if (now - lastPush < ONE_STEP_MS) window.history.replaceState(null, '', urlWith(text));
    else window.history.pushState(null, '', urlWith(text));
    lastPush = now;
  });
  // Back, forward, and a link pasted into this tab's address bar.
  const onPop = () => {
    applying = true;
    try {
      applyView(parseViewState(decodeFragment(window.location.hash.slice(1))));
    } finally {
      applying = false;
    }
    last = currentViewText();
  };
  window.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onPop);
  };
}

// A fragment typed or pasted may arrive percent-encoded as a whole by the browser ('%26' for '&').
function decodeFragment(text: string): string {
  return text.includes('=') ? text : safeDecode(text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
