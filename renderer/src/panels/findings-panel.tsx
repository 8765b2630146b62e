// "Are these credentials compromised": the engine's findings (new addresses, agents and regions per
// identity, denied bursts, discovery sweeps, persistence, logging stopped, instance keys used off
// their instance, root) grouped by severity, each with the events behind it and its actor, both ways
// into the timeline. Titles and details are built from record data: rendered as text only.
import { useEffect, useState } from 'react';
import type { Finding, FindingSeverity } from '../../../shared/api/types.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';
import { showEvent, filterTimelineByActor, filterTimelineByIp } from './navigate.ts';
import { BlindWindowNotice } from './blind-window-notice.tsx';

const SEVERITIES: { key: FindingSeverity; title: string; open: boolean }[] = [
  { key: 'critical', title: 'Critical', open: true },
  { key: 'high', title: 'High', open: true },
  { key: 'medium', title: 'Medium', open: true },
  { key: 'low', title: 'Low', open: false },
];
const EVENTS_SHOWN = 6;

export function FindingsPanel({ onCounts }: { onCounts?(counts: Record<FindingSeverity, number> | null): void }) {
  const [actor, setActor] = useState('');
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const { value: result, error } = useCall('findings:list', asked ? { actor: asked } : {});

  const groups = new Map<FindingSeverity, Finding[]>(SEVERITIES.map((s) => [s.key, []]));
  for (const f of result?.findings ?? []) groups.get(f.severity)?.push(f);
  useEffect(() => {
    if (!onCounts) return;
    const count = (severity: FindingSeverity) => result?.findings.filter((f) => f.severity === severity).length ?? 0;
    onCounts(result && !asked ? { critical: count('critical'), high: count('high'), medium: count('medium'), low: count('low') } : null);
  }, [result, asked, onCounts]);

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
      </form>
      {error ? <p role="alert">{error}</p> : null}
      <BlindWindowNotice />
      {!result && !error ? <p className="muted">Looking for findings…</p> : null}
      {result ? (
        <p className="muted" role="status">
          {result.findings.length ? SEVERITIES.map((s) => `${groups.get(s.key)!.length} ${s.key}`).join(' · ') : 'No findings'}
          {asked ? ` for ${asked}` : ''}
        </p>
      ) : null}
      {result
        ? SEVERITIES.filter((s) => groups.get(s.key)!.length).map((s) => (
            <details key={s.key} className={`severity ${s.key}`} open={s.open}>
              <summary>
                {s.title} ({groups.get(s.key)!.length})
              </summary>
              <ol className="findings" aria-label={`${s.title} findings`}>
                {groups.get(s.key)!.map((f, i) => (
                  <FindingItem key={`${f.kind}-${f.firstTime}-${i}`} finding={f} />
                ))}
              </ol>
            </details>
          ))
        : null}
    </section>
  );
}

function FindingItem({ finding: f }: { finding: Finding }) {
  const utc = useStore((s) => s.utc);
  const [error, setError] = useState<string | null>(null);
  const single = f.eventNames.length === 1 ? f.eventNames[0] : 'event';
  return (
    <li className={`finding ${f.severity}`}>
      <h3>{f.title}</h3>
      <p className="muted">
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
        {f.lastTime !== f.firstTime ? ` – ${formatTime(f.lastTime, utc)}` : ''} · {f.count.toLocaleString('en')} {f.count === 1 ? 'event' : 'events'}
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
        <dt>Events</dt>
        <dd>
          {f.eventIds.slice(0, EVENTS_SHOWN).map((id, i) => (
            <button key={id} type="button" className="link" aria-label={`Select event ${single} ${id}`} title={id} onClick={async () => setError(await showEvent(id))}>
              {f.eventIds.length === 1 ? single : `${single} ${i + 1}`}
            </button>
          ))}
          {f.eventIds.length > EVENTS_SHOWN ? <span className="muted">+{f.eventIds.length - EVENTS_SHOWN} more</span> : null}
          {f.eventNames.length > 1 ? <div className="muted">{f.eventNames.slice(0, 8).join(', ')}{f.eventNames.length > 8 ? ', …' : ''}</div> : null}
        </dd>
      </dl>
      {error ? <p role="alert">{error}</p> : null}
    </li>
  );
}
