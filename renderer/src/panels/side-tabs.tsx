// The right-hand column as tabs: the selection (history, actor, details), the flows of the chosen
// interface, instance or address, and the case's findings. Every view stays mounted while hidden, so
// following a link out of Flows or Findings and coming back finds them as they were.
import { useState } from 'react';
import type { FindingSeverity } from '../../../shared/api/types.ts';
import { useStore, type SideTab } from '../store.ts';
import { HistoryPanel } from './history-panel.tsx';
import { ActorPanel } from './actor-panel.tsx';
import { DetailsPanel } from './details-panel.tsx';
import { FlowsPanel } from './flows-panel.tsx';
import { FindingsPanel } from './findings-panel.tsx';
import { NotesPanel } from './notes-panel.tsx';
import { EvidencePanel } from './evidence-panel.tsx';

const TABS: { key: SideTab; label: string }[] = [
  { key: 'selection', label: 'Selection' },
  { key: 'flows', label: 'Flows' },
  { key: 'findings', label: 'Findings' },
  { key: 'notes', label: 'Notes' },
  { key: 'evidence', label: 'Evidence' },
];

export function SideTabs() {
  const tab = useStore((s) => s.sideTab);
  const set = useStore((s) => s.set);
  const [counts, setCounts] = useState<Record<FindingSeverity, number> | null>(null);

  function onKey(e: React.KeyboardEvent) {
    const i = TABS.findIndex((t) => t.key === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const key = TABS[(next + TABS.length) % TABS.length].key;
    set({ sideTab: key });
    document.getElementById(`side-tab-${key}`)?.focus();
  }

  return (
    <aside className="side" aria-label="Inspector">
      <div className="side-tabs" role="tablist" aria-label="Inspector views" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.key}
            id={`side-tab-${t.key}`}
            type="button"
            role="tab"
            aria-selected={tab === t.key}
            aria-controls={`side-panel-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            onClick={() => set({ sideTab: t.key })}
          >
            {t.label}
            {t.key === 'findings' && counts && counts.critical ? <span className="badge high"> {counts.critical} critical</span> : null}
            {t.key === 'findings' && counts && counts.high ? <span className="badge high"> {counts.high} high</span> : null}
          </button>
        ))}
      </div>
      <div id="side-panel-selection" role="tabpanel" aria-labelledby="side-tab-selection" className="side-panel" hidden={tab !== 'selection'}>
        <HistoryPanel />
        <ActorPanel />
        <DetailsPanel />
      </div>
      <div id="side-panel-flows" role="tabpanel" aria-labelledby="side-tab-flows" className="side-panel" hidden={tab !== 'flows'}>
        <FlowsPanel />
      </div>
      <div id="side-panel-findings" role="tabpanel" aria-labelledby="side-tab-findings" className="side-panel" hidden={tab !== 'findings'}>
        <FindingsPanel onCounts={setCounts} />
      </div>
      <div id="side-panel-notes" role="tabpanel" aria-labelledby="side-tab-notes" className="side-panel" hidden={tab !== 'notes'}>
        <NotesPanel />
      </div>
      <div id="side-panel-evidence" role="tabpanel" aria-labelledby="side-tab-evidence" className="side-panel" hidden={tab !== 'evidence'}>
        <EvidencePanel />
      </div>
    </aside>
  );
}
