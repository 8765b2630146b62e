import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useState } from 'react';
import type { JobStatus } from '../../shared/api/types.ts';
import { call, isDesktop } from './api/client.ts';
import { useStore } from './store.ts';
import { TimelineView } from './timeline/timeline-view.tsx';
import { SideTabs } from './panels/side-tabs.tsx';
import { ImportDialog } from './panels/import-dialog.tsx';
import { PullDialog } from './panels/pull-dialog.tsx';
import { DropZone } from './panels/drop-zone.tsx';
import { SearchBox } from './panels/search-box.tsx';
import { ViewsMenu } from './panels/views-menu.tsx';

// The graph and cytoscape (about half of the page's script) are a chunk of their own, loaded beside the
// rest: the header's and the timeline's first calls do not wait for their evaluation (the graph is
// drawn after them anyway, store.ts timelineDrawn).
const GraphView = lazy(() => import('./graph/graph-view.tsx').then((m) => ({ default: m.GraphView })));

export function App() {
  const info = useStore((s) => s.info);
  const error = useStore((s) => s.error);
  const dataVersion = useStore((s) => s.dataVersion);
  // false: closed; true: open on a new form; a job: open on that running job.
  const [importing, setImporting] = useState<boolean | JobStatus>(false);
  const [pulling, setPulling] = useState<boolean | JobStatus>(false);
  const [dropError, setDropError] = useState<string | null>(null);

  // A job already running in this case (a new case from files, or a reload) shows its progress.
  useEffect(() => {
    void call('job:current', {}).then((r) => {
      if (!r.ok || !r.value) return;
      if (r.value.kind === 'pull') setPulling(r.value);
      else setImporting(r.value);
    });
  }, []);
  const onDropped = useCallback((job: JobStatus) => {
    setDropError(null);
    setImporting(job);
  }, []);

  // A layout effect, so the header's counts are asked before the first paint: the other parts' first
  // calls (effects) wait for that paint, which takes a few hundred milliseconds without a GPU.
  useLayoutEffect(() => {
    void call('case:info', {}).then((r) => useStore.getState().set(r.ok ? { info: r.value, error: null } : { error: r.error.message }));
  }, [dataVersion]);

  return (
    <>
      <header className="app-header">
        <h1>Trailscope</h1>
        <p className="case-name">
          {info ? `${info.name} · ${info.events.toLocaleString('en')} events · ${info.flows.toLocaleString('en')} flow records · ${info.resources.toLocaleString('en')} resources` : 'Opening case…'}
        </p>
        <SearchBox />
        <nav aria-label="Case">
          <button type="button" onClick={() => setImporting(true)}>
            Import…
          </button>
          <button type="button" onClick={() => setPulling(true)}>
            Pull from AWS…
          </button>
          <ViewsMenu />
          {isDesktop() ? null : <span className="muted">browser mode</span>}
        </nav>
      </header>
      {error ? <p role="alert" className="banner">{error}</p> : null}
      {dropError ? (
        <p role="alert" className="banner">
          {dropError}{' '}
          <button type="button" onClick={() => setDropError(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <main className="workbench">
        <Suspense fallback={<section className="graph-panel" aria-label="Graph"><p className="graph-status">Loading the graph…</p></section>}>
          <GraphView />
        </Suspense>
        <SideTabs />
        <TimelineView />
      </main>
      {importing ? <ImportDialog onClose={() => setImporting(false)} initialJob={importing === true ? null : importing} /> : null}
      {pulling ? <PullDialog onClose={() => setPulling(false)} initialJob={pulling === true ? null : pulling} /> : null}
      <DropZone onImport={onDropped} onError={setDropError} />
    </>
  );
}
