// The event timeline: density histogram with a brush, filters, and a virtualized list that fetches
// only what is on screen. Arrow keys, Page Up/Down, Home and End move through events.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Histogram } from '../../../shared/api/types.ts';
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { shownValue, type RowTextField } from '../../../shared/api/bounds.ts';
import { call } from '../api/client.ts';
import { BlindWindowNotice } from '../panels/blind-window-notice.tsx';
import { useStore, formatTime } from '../store.ts';
import { RowSource } from './row-source.ts';
import { SortedRowSource } from './sorted-row-source.ts';
import { SORT_LABELS } from '../../../shared/api/timeline-sort.ts';
import { HistogramBrush, histogramTotal } from './histogram-brush.tsx';
import { TimelineFilters } from './timeline-filters.tsx';
import { FindingBadge } from './finding-badge.tsx';
import { toggleStar } from '../panels/annotations-box.tsx';
import { TimelineHead } from './timeline-head.tsx';

// Row heights: normal and compact (the compact mode shows about half as many again).
const ROW_HEIGHT = 26;
const COMPACT_ROW_HEIGHT = 18;
const BUCKETS = 300;

export function TimelineView() {
  const filter = useStore((s) => s.filter);
  const utc = useStore((s) => s.utc);
  const dataVersion = useStore((s) => s.dataVersion);
  const selection = useStore((s) => s.selection);
  const marked = useStore((s) => s.findingMarks?.events);
  const notesVersion = useStore((s) => s.notesVersion);
  const compact = useStore((s) => s.compact);
  const descending = useStore((s) => s.descending);
  const ROW = compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT;
  const [histogram, setHistogram] = useState<Histogram | null>(null);
  // The filter the histogram on hand was counted for: until the new one arrives, rows are not where it says.
  const [histogramFilter, setHistogramFilter] = useState(filter);
  const [, setTick] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);

  // A layout effect, as the header's: the histogram places the first rows, and is asked before the
  // first paint (nothing here may read the layout, which would make the page lay itself out first).
  useLayoutEffect(() => {
    let stale = false;
    void call('timeline:histogram', { filter, buckets: BUCKETS }).then((r) => {
      if (stale) return;
      if (r.ok) {
        setHistogram(r.value);
        setHistogramFilter(filter);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      stale = true;
    };
  }, [filter, dataVersion]);
  useEffect(() => {
    setActive(0);
    list.current?.scrollTo({ top: 0 });
  }, [filter, dataVersion]);

  // How many read-only calls the default view hides, so "3 events" for an attacker's address does not
  // read as all it did (its reconnaissance is read-only).
  // Asked once the first rows and the graph are drawn: counting every event of the window (0.1 s of
  // CPU on a million) must not hold the first page or the graph's first answer at open.
  const [withReadOnly, setWithReadOnly] = useState<number | null>(null);
  const opened = useStore((s) => s.timelineDrawn && s.graphDrawn);
  useEffect(() => {
    setWithReadOnly(null);
    if (filter.includeReadOnly || !opened) return;
    let stale = false;
    void call('timeline:histogram', { filter: { ...filter, includeReadOnly: true }, buckets: 2 }).then((r) => {
      if (!stale) setWithReadOnly(r.ok ? histogramTotal(r.value) : null);
    });
    return () => {
      stale = true;
    };
  }, [filter, dataVersion, opened]);

  // Rows carry their marks: a star, tag or comment changed anywhere asks for the rows again.
  const timeSource = useMemo(() => (histogram ? new RowSource(filter, histogram, () => setTick((t) => t + 1), descending) : null), [histogram, filter, notesVersion, descending]); // eslint-disable-line react-hooks/exhaustive-deps

  // Sorted by another column: its own source, made once the first page says how many rows there are
  // (or why this filter is too wide to sort).
  const sortBy = useStore((s) => s.sortBy);
  const [sorted, setSorted] = useState<SortedRowSource | null>(null);
  const [sortError, setSortError] = useState<string | null>(null);
  useEffect(() => {
    setSorted(null);
    setSortError(null);
    if (!sortBy) return;
    let stale = false;
    void SortedRowSource.first(filter, sortBy, descending).then((r) => {
      if (stale) return;
      if (r.ok) setSorted(new SortedRowSource(filter, sortBy, descending, r.value, () => setTick((t) => t + 1)));
      else setSortError(r.error.message);
    });
    setActive(0);
    list.current?.scrollTo({ top: 0 });
    return () => {
      stale = true;
    };
  }, [filter, sortBy, descending, dataVersion, notesVersion]);
  const source = sortBy ? sorted : timeSource;

  // An event chosen elsewhere (a flow's rule change, a finding): scroll to it. When the filters leave
  // it out, they are cleared (read-only calls shown only if it is one), and the list says so.
  const reveal = useStore((s) => s.reveal);
  const revealed = useRef(0);
  const [revealNote, setRevealNote] = useState<string | null>(null);
  useEffect(() => {
    if (!reveal || !source || histogramFilter !== filter || revealed.current === reveal.nonce) return;
    let stale = false;
    void source.indexOf(reveal.id, reveal.time).then((index) => {
      if (stale) return;
      if (index === null) {
        const cleared = { includeReadOnly: Boolean(filter.includeReadOnly) || reveal.readOnly };
        const already = Object.keys(filter).every((k) => k === 'includeReadOnly') && Boolean(filter.includeReadOnly) === cleared.includeReadOnly;
        if (already) {
          revealed.current = reveal.nonce;
          setRevealNote('The selected event is not in the timeline.');
        } else {
          setRevealNote('Filters cleared to show the selected event.');
          useStore.getState().set({ filter: cleared });
        }
        return;
      }
      revealed.current = reveal.nonce;
      setActive(index);
      const el = list.current;
      if (el) el.scrollTop = Math.max(0, index * ROW - el.clientHeight / 2);
    });
    return () => {
      stale = true;
    };
  }, [reveal, source, histogramFilter, filter, ROW]);

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const total = source?.total ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - 5);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW) + 5);
  const visible: { index: number; row: TimelineRow | null }[] = [];
  for (let i = first; i < last; i++) visible.push({ index: i, row: source?.row(i) ?? null });

  function choose(index: number) {
    const clamped = Math.max(0, Math.min(total - 1, index));
    setActive(clamped);
    const el = list.current;
    if (el) {
      if (clamped * ROW < el.scrollTop) el.scrollTop = clamped * ROW;
      else if ((clamped + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (clamped + 1) * ROW - el.clientHeight;
    }
    const row = source?.row(clamped);
    if (row) pick(row);
  }

  function onKey(e: React.KeyboardEvent) {
    const page = Math.max(1, Math.floor(height / ROW) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: total - 1 };
    if (e.key in moves) {
      e.preventDefault();
      choose(moves[e.key]);
    } else if (e.key === 'Enter') {
      choose(active);
    }
  }

  // The first rows drawn (or none to draw, or an error to show): the graph may now ask for its slow part (store.ts).
  const drawn = error !== null || sortError !== null || (source !== null && (total === 0 || source.error !== null || visible.some((v) => v.row !== null)));
  useEffect(() => {
    if (drawn && !useStore.getState().timelineDrawn) useStore.getState().set({ timelineDrawn: true });
  }, [drawn]);

  const selectedId = selection.kind === 'event' ? selection.id : null;
  return (
    <section className="timeline-panel" aria-label="Timeline">
      <TimelineFilters />
      <HistogramBrush histogram={histogram} utc={utc} onWindow={(from, to) => useStore.getState().setFilter({ from, to })} onDrawAll={drawAll} />
      <BlindWindowNotice from={filter.from} to={filter.to} />
      <p className="timeline-count" role="status">
        {error ? `Timeline error: ${error}` : source ? `${total.toLocaleString('en')} ${total === 1 ? 'event' : 'events'}` : 'Loading…'}
        {source && !error && !filter.includeReadOnly ? ` · ${hiddenText(withReadOnly, total)}` : ''}
        {sortBy && source ? ` · sorted by ${SORT_LABELS[sortBy]}${descending ? ', Z to A' : ''}` : ''}
        {source?.error ? ` · ${source.error}` : ''}
      </p>
      {sortError ? (
        <p className="timeline-note" role="alert">
          {sortError}{' '}
          <button type="button" onClick={() => useStore.getState().set({ sortBy: null, descending: false })}>
            Sort by time
          </button>
        </p>
      ) : null}
      {revealNote ? (
        <p className="timeline-note" role="status">
          {revealNote}{' '}
          <button type="button" onClick={() => setRevealNote(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <TimelineHead timeLabel={`Time ${utc ? '(UTC)' : `(local) ${utcOffset()}`}`} />
      <div
        className={`timeline-list${compact ? ' compact' : ''}`}
        ref={list}
        role="listbox"
        aria-label="Events"
        tabIndex={0}
        aria-activedescendant={total ? `event-row-${active}` : undefined}
        onKeyDown={onKey}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="timeline-spacer" ref={(el) => {
            if (el) el.style.height = `${total * ROW}px`;
          }}>
          {visible.map(({ index, row }) => (
            <div
              key={index}
              id={`event-row-${index}`}
              role="option"
              aria-selected={row !== null && row.id === selectedId}
              className={`timeline-row${index === active ? ' active' : ''}${row?.errorCode ? ' error' : ''}`}
              ref={(el) => {
                if (el) el.style.top = `${index * ROW}px`;
              }}
              onClick={() => {
                setActive(index);
                if (row) pick(row);
              }}
            >
              {row ? (
                <>
                  <RowMarks row={row} />
                  <span className="t">{formatTime(row.eventTime, utc)}</span>
                  <span className="n">
                    <FindingBadge mark={marked?.get(row.eventId)} />
                    {shown(row, 'eventName')}
                  </span>
                  <span className="a" title={shown(row, 'actorArn')}>{row.origin !== null ? shown(row, 'origin') : shortArn(shown(row, 'actorArn') || null)}</span>
                  <span className="ip">{shown(row, 'sourceIPAddress')}</span>
                  <span className="ua" title={shown(row, 'userAgent')}>{shown(row, 'userAgent')}</span>
                  <span className="e">{shown(row, 'errorCode')}</span>
                </>
              ) : (
                <span className="loading">Loading…</span>
              )}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

/** The row's star (a toggle) and tags. */
function RowMarks({ row }: { row: TimelineRow }) {
  const starred = Boolean(row.marks?.starred);
  const tags = row.marks?.tags ?? [];
  const notes = row.marks?.notes.length ?? 0;
  return (
    <span className="m" title={[...tags.map((t) => `#${t}`), notes ? `${notes} comment${notes === 1 ? '' : 's'}` : ''].filter(Boolean).join(' ')}>
      <button
        type="button"
        className={`star${starred ? ' on' : ''}`}
        aria-pressed={starred}
        aria-label={starred ? 'Unstar this event' : 'Star this event'}
        onClick={(e) => {
          e.stopPropagation();
          void toggleStar('event', row.eventId, starred);
        }}
      >
        {starred ? '★' : '☆'}
      </button>
      {tags.length ? <span className="tags">{tags.map((t) => `#${t}`).join(' ')}</span> : null}
      {notes ? <span className="notes-count">✎{notes}</span> : null}
    </span>
  );
}

/** The browser's offset from UTC, as UTC+02:00. */
function utcOffset(): string {
  const minutes = -new Date().getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Widens the timeline's window to the case's every event, the far-dated ones too (the filter's `to` is exclusive). */
function drawAll(): void {
  const info = useStore.getState().info;
  if (!info?.firstTime || !info.lastTime) return;
  useStore.getState().setFilter({ from: info.firstTime, to: new Date(Date.parse(info.lastTime) + 1).toISOString() });
}

function hiddenText(withReadOnly: number | null, shown: number): string {
  if (withReadOnly === null || withReadOnly < shown) return 'read-only calls hidden';
  const hidden = withReadOnly - shown;
  return `${hidden.toLocaleString('en')} read-only ${hidden === 1 ? 'call' : 'calls'} hidden`;
}

/** A row field as text: a value the page cut short shows its start and "… (N bytes)" (the details view shows it all). */
function shown(row: TimelineRow, field: RowTextField): string {
  return shownValue(row[field], row.clipped?.[field]) ?? '';
}

function shortArn(arn: string | null): string {
  if (!arn) return 'unknown';
  const i = arn.indexOf(':', arn.indexOf('::') + 2);
  return i > 0 ? arn.slice(i + 1) : arn;
}

function pick(row: TimelineRow) {
  const s = useStore.getState();
  s.selectEvent(row.id);
  s.set({ highlighted: [row.actorArn, row.accessKeyId, ...row.resources].filter((x): x is string => Boolean(x)) });
}
