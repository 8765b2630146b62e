// "How did A reach B": the two paths the engine found (shortest, earliest), hop by hop with the time,
// how, and the event (a link into the timeline, and a copy button). The graph draws them (graph-view).
import type { PathHop, PathResult } from '../../../shared/engine-types.ts';
import { formatTime, useStore } from '../store.ts';
import { CopyButton } from '../panels/copy-button.tsx';

type Props = {
  from: string;
  result: PathResult | null;
  error: string | null;
  onTarget(id: string): void;
  onClose(): void;
};

export function PathPanel({ from, result, error, onTarget, onClose }: Props) {
  const utc = useStore((s) => s.utc);
  const label = (id: string) => result?.nodes.find((n) => n.id === id)?.label ?? id;
  const hops = (title: string, list: PathHop[] | null) => (
    <section aria-label={`${title} path`}>
      <h4>{title}{list ? ` · ${list.length} hop${list.length === 1 ? '' : 's'}` : ''}</h4>
      {!list ? <p>None found{result?.truncated ? ' within the search limits' : ''}.</p> : (
        <ol>
          {list.map((h, i) => (
            <li key={i}>
              <span className="path-time">{h.time ? formatTime(h.time, utc) : 'configuration'}</span>{' '}
              <span>{label(h.from)}</span> → <span>{label(h.to)}</span>{' '}
              <span className="path-kind">{h.kind}{h.reversed ? ' (reverse)' : ''}{h.eventName ? ` · ${h.eventName}` : ''}</span>
              {h.eventId ? <> <span className="path-event" title={h.eventId}>event {h.eventId}</span> <CopyButton value={h.eventId} what="event id" /></> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
  return (
    <div className="path-panel" role="region" aria-label="Paths">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('to');
          if (typeof v === 'string' && v.trim()) onTarget(v.trim());
        }}
      >
        <span>Paths from <strong>{label(from)}</strong> to</span>{' '}
        <input name="to" aria-label="Path target id" placeholder="id, key, ARN or address — or right-click a node" maxLength={2048} defaultValue={result?.to ?? ''} />
        <button type="submit">Find paths</button>
        <button type="button" onClick={onClose} aria-label="Close paths">×</button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {result && result.unknown.length ? <p role="alert">The case knows no {result.unknown.join(', ')}.</p> : null}
      {result && !result.unknown.length ? <>{hops('Shortest', result.shortest)}{hops('Earliest', result.earliest)}</> : null}
    </div>
  );
}
