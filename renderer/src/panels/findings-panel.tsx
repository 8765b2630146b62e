// "Is someone in this account who should not be": incidents first (the findings of one origin close in
// time, ranked by severity, rarity and kill-chain order), each expandable to its findings; a severity
// filter; suppressed findings counted and listed on request; Sigma rules loaded into the case. What
// the findings name is handed to the timeline and the graph (finding-marks.ts) to mark. The findings
// come a page at a time, highest-scoring incidents first (a busy case has tens of thousands): counts
// are the whole list's, incidents and marks those of the pages loaded, "More findings" loads the next.
import { useEffect, useMemo, useState } from 'react';
import type { Finding, FindingIncident, FindingSeverity } from '../../../shared/api/types.ts';
import { useCall } from '../api/use-call.ts';
import { call } from '../api/client.ts';
import { useStore, formatTime } from '../store.ts';
import { BlindWindowNotice } from './blind-window-notice.tsx';
import { FindingItem } from './finding-item.tsx';
import { findingMarks } from './finding-marks.ts';
import { SigmaRules } from './sigma-rules.tsx';
import { useMarks } from './marks-badge.tsx';
import type { Marks } from '../../../shared/api/annotations.ts';
import { SEVERITY_ORDER } from '../../../shared/severity-order.ts';

const SEVERITIES: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];
/** Incidents drawn at first; "Show all" draws the rest (a busy account has thousands of low ones). */
const INCIDENTS_SHOWN = 50;
/** Findings per page: the first incidents whole, in well under a second on a million-event case. */
const PAGE = 500;

export function FindingsPanel({ onCounts }: { onCounts?(counts: Record<FindingSeverity, number> | null): void }) {
  const [actor, setActor] = useState('');
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const [least, setLeast] = useState<FindingSeverity>('low');
  const [showSuppressed, setShowSuppressed] = useState(false);
  const [allIncidents, setAllIncidents] = useState(false);
  const version = useStore((s) => s.findingsVersion);
  const accounts = useStore((s) => s.filter.accounts);
  const marks = useMarks('finding');
  // Asked once the graph's first view and the timeline's first rows are drawn, so a findings answer never holds them (store.ts).
  const opened = useStore((s) => s.graphDrawn && s.timelineDrawn);
  const question = { ...(asked ? { actor: asked } : {}), ...(accounts?.length ? { accounts } : {}), ...(showSuppressed ? { includeSuppressed: true } : {}), order: 'incident' as const, limit: PAGE };
  const { value: result, error } = useCall('findings:list', opened ? question : null, version);
  // Pages after the first, dropped when the first is asked again (another question, a decision, new data).
  const [more, setMore] = useState<{ of: typeof result; findings: Finding[]; error: string | null; asking: boolean }>({ of: null, findings: [], error: null, asking: false });
  const extra = more.of === result ? more : { of: result, findings: [], error: null, asking: false };
  const loaded = useMemo(() => (result ? [...result.findings, ...extra.findings] : []), [result, extra.findings]);
  const total = result?.total ?? loaded.length;
  const loadMore = () => {
    if (!result || extra.asking) return;
    setMore({ ...extra, asking: true });
    void call('findings:list', { ...question, offset: loaded.length }).then((r) =>
      setMore((m) => (m.of !== result ? m : r.ok ? { of: result, findings: [...m.findings, ...r.value.findings], error: null, asking: false } : { ...m, error: r.error.message, asking: false })),
    );
  };

  const active = useMemo(() => loaded.filter((f) => !f.suppressed), [loaded]);
  const suppressed = useMemo(() => loaded.filter((f) => f.suppressed), [loaded]);
  const shown = (f: Finding) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[least];
  const byIncident = useMemo(() => {
    const m = new Map<number, Finding[]>();
    for (const f of active) {
      const list = m.get(f.incident ?? 0) ?? [];
      list.push(f);
      m.set(f.incident ?? 0, list);
    }
    return m;
  }, [active]);
  const incidents = (result?.incidents ?? []).filter((i) => (byIncident.get(i.id) ?? []).some(shown));

  useEffect(() => {
    // The whole case's findings mark the timeline and the graph; an actor's subset does not replace them.
    if (result && !asked) useStore.getState().set({ findingMarks: findingMarks(active) });
    if (!onCounts) return;
    onCounts(result && !asked ? severitiesOf(result) : null);
  }, [result, active, asked, onCounts]);

  return (
    <section className="findings-panel" aria-label="Findings">
      <h2>Findings</h2>
      <form
        className="findings-filter"
        aria-label="Findings filter"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(actor.trim() || undefined);
        }}
      >
        <label>
          Actor
          <input value={actor} placeholder="key, ARN or user" onChange={(e) => setActor(e.target.value)} />
        </label>
        <button type="submit">Filter</button>
        {asked ? (
          <button type="button" onClick={() => (setActor(''), setAsked(undefined))}>
            All actors
          </button>
        ) : null}
        <label>
          Severity
          <select value={least} onChange={(e) => setLeast(e.target.value as FindingSeverity)}>
            <option value="critical">critical only</option>
            <option value="high">high and above</option>
            <option value="medium">medium and above</option>
            <option value="low">all</option>
          </select>
        </label>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      <BlindWindowNotice />
      {!result && !error ? <p className="muted">Looking for findings…</p> : null}
      {result ? (
        <p className="muted" role="status">
          {active.length
            ? `${(result.incidents ?? []).length} incidents · ${SEVERITIES.map((s) => `${severitiesOf(result)[s]} ${s}`).join(' · ')}`
            : 'No findings'}
          {asked ? ` for ${asked}` : ''}
          {result.suppressed ? ` · ${result.suppressed} suppressed` : ''}
          {result.sigma ? ` · ${result.sigma.loaded} Sigma rules` : ''}
        </p>
      ) : null}
      {result?.notes?.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      {result ? (
        <ol className="incidents" aria-label="Incidents">
          {(allIncidents ? incidents : incidents.slice(0, INCIDENTS_SHOWN)).map((i, n) => (
            <IncidentItem key={i.id} incident={i} findings={(byIncident.get(i.id) ?? []).filter(shown)} open={n === 0 || SEVERITY_ORDER[i.severity] <= SEVERITY_ORDER.high} marks={marks} />
          ))}
        </ol>
      ) : null}
      {incidents.length > INCIDENTS_SHOWN && !allIncidents ? (
        <button type="button" onClick={() => setAllIncidents(true)}>
          Show all {incidents.length} incidents
        </button>
      ) : null}
      {result && loaded.length < total ? (
        <p className="findings-more">
          <button type="button" disabled={extra.asking} onClick={loadMore}>
            More findings
          </button>{' '}
          <span className="muted">
            {loaded.length} of {total} loaded
          </span>
          {extra.error ? <span role="alert"> {extra.error}</span> : null}
        </p>
      ) : null}
      {result && (result.suppressed || showSuppressed) ? (
        <details className="suppressed" open={showSuppressed} onToggle={(e) => setShowSuppressed(e.currentTarget.open)}>
          <summary>Suppressed ({result.suppressed ?? 0})</summary>
          {showSuppressed && !suppressed.length ? <p className="muted">Nothing is suppressed.</p> : null}
          <ol className="findings" aria-label="Suppressed findings">
            {suppressed.map((f) => (
              <FindingItem key={f.id} finding={f} marks={f.id ? marks.get(f.id) : undefined} />
            ))}
          </ol>
        </details>
      ) : null}
      <SigmaRules />
    </section>
  );
}

/** The whole list's unsuppressed findings per severity (not only the pages loaded). */
function severitiesOf(result: { severities?: Record<FindingSeverity, number> }): Record<FindingSeverity, number> {
  return result.severities ?? { critical: 0, high: 0, medium: 0, low: 0 };
}

function IncidentItem({ incident: i, findings, open, marks }: { incident: FindingIncident; findings: Finding[]; open: boolean; marks: ReadonlyMap<string, Marks> }) {
  const utc = useStore((s) => s.utc);
  // A closed incident's findings are drawn when it is first opened: a page of 500 findings, most of
  // them in closed low ones, cost the page most of a second to draw.
  const [drawn, setDrawn] = useState(open);
  return (
    <li className={`incident ${i.severity}`}>
      <details open={open} onToggle={(e) => e.currentTarget.open && setDrawn(true)}>
        <summary aria-label={`Incident ${i.id}: ${i.severity}, ${i.label}, ${i.findingCount} findings`}>
          <span className={`badge sev ${i.severity}`}>{i.severity}</span> <strong>{i.label}</strong> · {i.findingCount} finding{i.findingCount === 1 ? '' : 's'} · score {i.score}
          <span className="muted incident-when">
            {formatTime(i.firstTime, utc)} – {formatTime(i.lastTime, utc)}
            {i.stages.length ? ` · ${i.stages.join(' → ')}` : ''}
          </span>
        </summary>
        {drawn || open ? (
          <ol className="findings" aria-label={`Findings of incident ${i.id}`}>
            {findings.map((f, n) => (
              <FindingItem key={f.id ?? `${f.kind}-${n}`} finding={f} marks={f.id ? marks.get(f.id) : undefined} />
            ))}
          </ol>
        ) : null}
      </details>
    </li>
  );
}
