// One finding: its rule, ATT&CK ids, proof, actor and events (each one click from the timeline and
// its details), "Show in graph" (its actor and what it names, lit), and Suppress… with a reason. A
// finding of flow records alone (a port scan) counts its records and opens their Flows view instead.
// Titles and details are built from record data: rendered as text only.
import { useState } from 'react';
import type { Finding } from '../../../shared/api/types.ts';
import type { Marks } from '../../../shared/api/annotations.ts';
import { useStore, formatTime } from '../store.ts';
import { showEvent, showFlows, filterTimelineByActor, filterTimelineByIp } from './navigate.ts';
import { nodesOf } from './finding-marks.ts';
import { SuppressForm, SuppressedNote } from './suppress-form.tsx';
import { AnnotateToggle, MarksBadge } from './marks-badge.tsx';

const EVENTS_SHOWN = 6;

export function FindingItem({ finding: f, marks }: { finding: Finding; marks?: Marks }) {
  const utc = useStore((s) => s.utc);
  const [error, setError] = useState<string | null>(null);
  const [suppressing, setSuppressing] = useState(false);
  const single = f.eventNames.length === 1 ? f.eventNames[0] : 'event';
  return (
    <li className={`finding ${f.severity}${f.suppressed ? ' suppressed' : ''}`} aria-label={`${f.severity} finding: ${f.title}`}>
      <h3>
        {f.title} <MarksBadge marks={marks} />
      </h3>
      <p className="muted">
        <span className={`badge sev ${f.severity}`}>{f.severity}</span>
        <span className="badge">{f.kind}</span>
        {f.rule ? (
          f.rule.source === 'detector' ? (
            <span className="badge" title={`${f.rule.title}${f.detector?.detectorSeverity ? `, the detector's severity ${f.detector.detectorSeverity}` : ''}`}>{f.source}</span>
          ) : (
            <span className="badge" title={`${f.rule.source === 'sigma' ? 'Sigma rule' : 'Built-in rule'} ${f.rule.id}${f.rule.file ? ` (${f.rule.file})` : ''}, level ${f.rule.level}`}>
              {f.rule.source === 'sigma' ? `Sigma ${f.rule.level}` : f.rule.id}
            </span>
          )
        ) : null}
        {f.rule?.techniques.length ? <span className="badge">{f.rule.techniques.join(' ')}</span> : null} {formatTime(f.firstTime, utc)}
        {f.lastTime !== f.firstTime ? ` – ${formatTime(f.lastTime, utc)}` : ''} · {f.count.toLocaleString('en')} {countNoun(f)}
        {f.errorCode ? ` · failed: ${f.errorCode}` : ''}
      </p>
      <p>{f.detail}</p>
      <dl className="facts">
        {f.actor ? (
          <>
            <dt>Actor</dt>
            <dd>
              <button type="button" className="link" aria-label={`Show events of ${f.actor.origin.label}`} onClick={() => filterTimelineByActor(f.actor!.origin.id)}>
                {f.actor.origin.label}
              </button>
              {f.actor.arn && f.actor.arn !== f.actor.origin.id ? <span className="muted"> as {f.actor.arn}</span> : null}
            </dd>
          </>
        ) : null}
        {f.sourceIPAddress ? (
          <>
            <dt>From</dt>
            <dd>
              <button type="button" className="link" aria-label={`Show events from ${f.sourceIPAddress}`} onClick={() => filterTimelineByIp(f.sourceIPAddress!)}>
                {f.sourceIPAddress}
              </button>
            </dd>
          </>
        ) : null}
        {f.value ? (
          <>
            <dt>Value</dt>
            <dd className="mono">{f.value}</dd>
          </>
        ) : null}
        {f.evidence?.length ? (
          <>
            <dt>Proof</dt>
            <dd>
              {f.evidence.slice(0, 4).map((e, i) => (
                <div key={`${e.field}-${i}`} className="mono">
                  {e.field}: {e.value}
                </div>
              ))}
            </dd>
          </>
        ) : null}
        {f.detector ? (
          <>
            <dt>Linked</dt>
            <dd className="muted">{f.detector.linkedBy}</dd>
          </>
        ) : null}
        {f.flows ? (
          <>
            <dt>Records</dt>
            <dd>
              {f.flows.records.toLocaleString('en')} flow records, {f.flows.rejected.toLocaleString('en')} rejected
              {f.flows.interfaces.length ? <div className="muted mono">{f.flows.interfaces.join(', ')}</div> : null}
            </dd>
          </>
        ) : null}
        <dt>Events</dt>
        <dd>
          {f.flows && !f.eventIds.length ? <span className="muted">none: found in the flow records alone</span> : null}
          {f.eventIds.slice(0, EVENTS_SHOWN).map((id, i) => (
            <button key={id} type="button" className="link" aria-label={`Select event ${single} ${id}`} title={id} onClick={async () => setError(await showEvent(id))}>
              {f.eventIds.length === 1 ? single : `${single} ${i + 1}`}
            </button>
          ))}
          {f.eventIds.length > EVENTS_SHOWN ? <span className="muted">+{f.eventIds.length - EVENTS_SHOWN} more</span> : null}
          {f.eventNames.length > 1 ? <div className="muted">{f.eventNames.slice(0, 8).join(', ')}{f.eventNames.length > 8 ? ', …' : ''}</div> : null}
        </dd>
      </dl>
      <div className="finding-actions">
        {f.actor ? (
          <button type="button" onClick={() => showInGraph(f)}>
            Show in graph
          </button>
        ) : null}
        {f.flows ? (
          <button type="button" onClick={() => showFlows(f.flows!)}>
            Show flows
          </button>
        ) : null}
        {f.suppressed ? null : (
          <button type="button" aria-expanded={suppressing} onClick={() => setSuppressing((x) => !x)}>
            Suppress…
          </button>
        )}
      </div>
      {f.id ? <AnnotateToggle target="finding" targetId={f.id} label={`finding ${f.title}`} /> : null}
      {suppressing ? <SuppressForm finding={f} onDone={() => setSuppressing(false)} /> : null}
      <SuppressedNote finding={f} />
      {error ? <p role="alert">{error}</p> : null}
    </li>
  );
}

/** What the finding's count counts: flow records for a finding of them alone, else events. */
function countNoun(f: Finding): string {
  if (f.flows) return f.count === 1 ? 'flow record' : 'flow records';
  return f.count === 1 ? 'event' : 'events';
}

/** Selects the finding's actor in the graph (brought in if not drawn) and lights every node it names. */
function showInGraph(f: Finding) {
  const s = useStore.getState();
  s.selectNode(f.actor!.arn ?? f.actor!.origin.id);
  s.set({ highlighted: nodesOf(f) });
}
