// UI state in zustand slices: case, graph filters and time, timeline filter, selection, jobs.
// The cytoscape instance lives outside this store (graph/cy-adapter.ts) and follows it.
import { create } from 'zustand';
import type { TimelineFilterInput } from '../../shared/api/index.ts';
import type { CaseInfo, JobStatus, SortColumn } from '../../shared/api/types.ts';
import type { GraphNode } from '../../shared/engine-types.ts';
import type { FindingMarks } from './panels/finding-marks.ts';

export type Selection =
  | { kind: 'none' }
  | { kind: 'node'; id: string }
  | { kind: 'event'; id: number };

/** The views of the right-hand column: the selection (history, actor, details), flows, findings, notes, evidence. */
export type SideTab = 'selection' | 'flows' | 'findings' | 'notes' | 'evidence';
export const SIDE_TABS: readonly SideTab[] = ['selection', 'flows', 'findings', 'notes', 'evidence'];

/** Graph nodes that have flows: an interface, an instance (its interfaces) or one address. */
export function flowTargetOf(id: string): string | null {
  if (/^eni-[0-9a-f]+$/.test(id) || /^i-[0-9a-f]+$/.test(id)) return id;
  if (/^ip\/[0-9a-fA-F.:]+$/.test(id)) return id;
  return null;
}

export type State = {
  info: CaseInfo | null;
  error: string | null;
  // graph
  graphAt: string | null;
  graphTypes: string[];
  graphRegions: string[];
  highlighted: string[];
  /** The nodes of the graph on screen, by id: what the details panel says about a selected node. */
  graphNodes: ReadonlyMap<string, GraphNode>;
  focusNode: { id: string; nonce: number } | null;
  // timeline
  filter: TimelineFilterInput;
  utc: boolean;
  /** Compact timeline rows (more of them on screen). */
  compact: boolean;
  /** The timeline's order: time, or another column (timeline:sorted, bounded: shared/api/timeline-sort.ts). */
  sortBy: SortColumn | null;
  /** That order reversed: newest first, or Z to A. */
  descending: boolean;
  /** Bumped when a star, tag or comment changes: views that show marks ask again (not the whole case's data). */
  notesVersion: number;
  // selection
  selection: Selection;
  historyFor: string | null;
  /** The interface, instance or address (ip/…) the Flows view shows: the last such node selected. */
  flowsFor: string | null;
  sideTab: SideTab;
  /** An event to bring into view in the timeline (nonce: asking again for the same event scrolls again). */
  reveal: { id: number; time: string; readOnly: boolean; nonce: number } | null;
  // findings
  /** What the unsuppressed findings name (events, nodes), for the timeline's badges and the graph's rings. */
  findingMarks: FindingMarks | null;
  /** Bumped by the investigator's decisions (a suppression, a Sigma folder): findings are asked again. */
  findingsVersion: number;
  /**
   * Set once cytoscape has drawn the graph's first view in a frame (or it could not be loaded). The
   * server answers one call at a time and the page draws one thing at a time: the findings panel asks
   * once this is set, so neither its answer nor drawing it holds the graph.
   */
  graphDrawn: boolean;
  /**
   * Set once the timeline has drawn its first rows (or said it has none). At open the graph draws its
   * first answer only after this and the header's counts: drawing it holds the page's thread for a
   * few hundred milliseconds, and drawn first it held their answers. Who called which service (a scan
   * of every event, seconds on a million) and the findings list are asked later still (graphDrawn).
   */
  timelineDrawn: boolean;
  // jobs
  job: JobStatus | null;
  dataVersion: number;
  set(patch: Partial<State>): void;
  setFilter(patch: Partial<TimelineFilterInput>): void;
  selectNode(id: string): void;
  selectEvent(id: number): void;
  /** Selects an event and scrolls the timeline to it. */
  revealEvent(id: number, time: string, readOnly: boolean): void;
};

/** Resolves once `done` holds for the store (at once when it already does). */
export function storeReaches(done: (s: State) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done(useStore.getState())) return resolve();
    const unsubscribe = useStore.subscribe((s) => {
      if (!done(s)) return;
      unsubscribe();
      resolve();
    });
  });
}

export const useStore = create<State>((set) => ({
  info: null,
  error: null,
  graphAt: null,
  graphTypes: [],
  graphRegions: [],
  highlighted: [],
  graphNodes: new Map(),
  focusNode: null,
  filter: { includeReadOnly: false },
  utc: true,
  compact: false,
  sortBy: null,
  descending: false,
  notesVersion: 0,
  selection: { kind: 'none' },
  historyFor: null,
  flowsFor: null,
  sideTab: 'selection',
  reveal: null,
  findingMarks: null,
  findingsVersion: 0,
  graphDrawn: false,
  timelineDrawn: false,
  job: null,
  dataVersion: 0,
  set: (patch) => set(patch),
  setFilter: (patch) => set((s) => ({ filter: clean({ ...s.filter, ...patch }) })),
  selectNode: (id) =>
    set((s) => {
      const flows = flowTargetOf(id);
      return {
        selection: { kind: 'node', id },
        historyFor: id,
        highlighted: [id],
        focusNode: { id, nonce: (s.focusNode?.nonce ?? 0) + 1 },
        flowsFor: flows ?? s.flowsFor,
        // A node without flows picked while the Flows view is up: show what it is instead.
        sideTab: s.sideTab === 'flows' && !flows ? 'selection' : s.sideTab,
      };
    }),
  selectEvent: (id) => set({ selection: { kind: 'event', id } }),
  revealEvent: (id, time, readOnly) => set((s) => ({ selection: { kind: 'event', id }, reveal: { id, time, readOnly, nonce: (s.reveal?.nonce ?? 0) + 1 } })),
}));

/** Drops empty strings so "no filter" is one shape. */
function clean(f: TimelineFilterInput): TimelineFilterInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== '' && v !== undefined) out[k] = v;
  return out as TimelineFilterInput;
}

export function formatTime(iso: string | null, utc: boolean): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (utc) return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
