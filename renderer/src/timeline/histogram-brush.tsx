// Event density over time; drag across it to narrow the timeline to a window.
import { useRef, useState } from 'react';
import type { Histogram } from '../../../shared/api/types.ts';
import { formatTime } from '../store.ts';

type Props = {
  histogram: Histogram | null;
  utc: boolean;
  onWindow(from: string, to: string): void;
  /** Widens the window to every event, the far ones too (offered when some are not drawn). */
  onDrawAll(): void;
};

const W = 1000;
const H = 60;

/** Every event the histogram counts: its bars', and the far ones before and after them it does not draw. */
export function histogramTotal(h: Histogram): number {
  return h.counts.reduce((a, b) => a + b, 0) + h.earlier + h.later;
}

export function HistogramBrush({ histogram, utc, onWindow, onDrawAll }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  if (!histogram) return <div className="histogram" />;
  const max = Math.max(1, ...histogram.counts);
  const bw = W / histogram.counts.length;
  const toX = (clientX: number) => {
    const r = svg.current!.getBoundingClientRect();
    return Math.max(0, Math.min(W, ((clientX - r.left) / r.width) * W));
  };
  const timeAt = (x: number) => new Date(Date.parse(histogram.from) + (x / W) * (Date.parse(histogram.to) - Date.parse(histogram.from))).toISOString();
  const total = histogram.counts.reduce((a, b) => a + b, 0);

  return (
    <figure className="histogram">
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Event density: ${total} events from ${formatTime(histogram.from, utc)} to ${formatTime(histogram.to, utc)}; drag to pick a window`}
        onPointerDown={(e) => {
          svg.current!.setPointerCapture(e.pointerId);
          const x = toX(e.clientX);
          setDrag({ a: x, b: x });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, b: toX(e.clientX) })}
        onPointerUp={() => {
          if (drag && Math.abs(drag.b - drag.a) > 3) onWindow(timeAt(Math.min(drag.a, drag.b)), timeAt(Math.max(drag.a, drag.b)));
          setDrag(null);
        }}
      >
        {histogram.counts.map((c, i) => (c ? <rect key={i} x={i * bw} y={H - (c / max) * H} width={Math.max(bw - 0.5, 0.5)} height={(c / max) * H} className="bar" /> : null))}
        {drag ? <rect x={Math.min(drag.a, drag.b)} y={0} width={Math.abs(drag.b - drag.a)} height={H} className="brush" /> : null}
      </svg>
      <figcaption>
        <span>{formatTime(histogram.from, utc)}</span>
        <span>{formatTime(histogram.to, utc)}</span>
      </figcaption>
      {histogram.earlier || histogram.later ? (
        <p className="histogram-far" role="note">
          Not drawn: {farText(histogram)}; the list shows them at its ends.{' '}
          <button type="button" onClick={onDrawAll}>Draw them</button>
        </p>
      ) : null}
    </figure>
  );
}

/** "2 events dated long before all the others and 1 long after". */
function farText(h: Histogram): string {
  const events = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'event' : 'events'} dated`;
  if (!h.later) return `${events(h.earlier)} long before all the others`;
  if (!h.earlier) return `${events(h.later)} long after all the others`;
  return `${events(h.earlier)} long before all the others and ${h.later.toLocaleString('en')} long after`;
}
