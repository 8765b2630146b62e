// Graph controls: filters by type, account and region, the point-in-time slider (it lands on the
// nearest event; the arrows step from event to event and Play walks through the window), expand/collapse.
import { AccountSelect } from '../timeline/account-select.tsx';
import { useEffect, useRef, useState } from 'react';
import { useStore, formatTime } from '../store.ts';
import { lookOf } from './node-styles.ts';
import { parseTyped } from './typed-time.ts';
import { call } from '../api/client.ts';

/** Play: this many steps across the case's window, one every PLAY_MS, each landing on an event. */
const PLAY_STEPS = 40;
const PLAY_MS = 1500;

const SETTLE_MS = 300;

type Props = {
  types: string[];
  typeCounts: ReadonlyMap<string, number>;
  onFit(): void;
  onExpand(): void;
  onCollapse(): void;
  onActions(): void;
  onExport(format: 'png' | 'svg' | 'json'): void;
  wholeAccount: boolean;
  onScope(): void;
};

export function GraphToolbar({ types, typeCounts, onFit, onExpand, onCollapse, onActions, onExport, wholeAccount, onScope }: Props) {
  const info = useStore((s) => s.info);
  const graphTypes = useStore((s) => s.graphTypes);
  const at = useStore((s) => s.graphAt);
  const utc = useStore((s) => s.utc);
  const set = useStore((s) => s.set);
  // The span most events fall in: one event dated 1970 or 9999 would make every step of the slider years long.
  const lo = info?.eventSpan ? Date.parse(info.eventSpan.from) : 0;
  const hi = info?.eventSpan ? Date.parse(info.eventSpan.to) : 0;
  // The slider moves with the hand; the graph reloads once, SETTLE_MS after the last move.
  const [dragging, setDragging] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const [typedError, setTypedError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const go = (ms: number) => goTo(lo, hi, ms);
  useEffect(() => {
    if (!playing) return;
    const tick = setInterval(() => {
      const now = useStore.getState().graphAt;
      const from = now ? Date.parse(now) : lo;
      void snap(from + Math.max(1000, (hi - lo) / PLAY_STEPS), 'after').then((next) => {
        if (next === null || next >= hi) {
          setPlaying(false);
          return goTo(lo, hi, hi);
        }
        goTo(lo, hi, next);
      });
    }, PLAY_MS);
    return () => clearInterval(tick);
  }, [playing, lo, hi]);
  const value = dragging ?? (at ? Date.parse(at) : hi);
  const shownAt = dragging === null ? at : dragging >= hi ? null : new Date(dragging).toISOString();

  // The menu closes once a format is chosen, as a menu does.
  const exportAndClose = (e: React.MouseEvent<HTMLButtonElement>, format: 'png' | 'svg' | 'json') => {
    e.currentTarget.closest('details')?.removeAttribute('open');
    onExport(format);
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Graph controls">
      <details className="type-filter">
        <summary>Types{graphTypes.length ? ` (${graphTypes.length})` : ''}</summary>
        <fieldset>
          <legend>Show node types</legend>
          {types.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={graphTypes.length === 0 || graphTypes.includes(t)}
                onChange={(e) => {
                  const current = graphTypes.length ? graphTypes : types;
                  const next = e.target.checked ? [...current, t] : current.filter((x) => x !== t);
                  set({ graphTypes: next.length === types.length ? [] : next });
                }}
              />
              {lookOf(t).label === 'Other' ? t : lookOf(t).label} <span className="count">({(typeCounts.get(t) ?? 0).toLocaleString('en')})</span>
            </label>
          ))}
        </fieldset>
      </details>
      <AccountSelect />
      <label>
        Region
        <select onChange={(e) => set({ graphRegions: e.target.value ? [e.target.value] : [] })}>
          <option value="">All</option>
          {info?.regions.map((r) => <option key={r}>{r}</option>)}
        </select>
      </label>
      <label className="time-slider">
        Point in time
        <input
          type="range"
          min={lo}
          max={hi}
          step={60_000}
          value={value}
          disabled={!info?.firstTime}
          aria-valuetext={shownAt ? formatTime(shownAt, utc) : 'now (latest)'}
          onChange={(e) => {
            const v = Number(e.target.value);
            setDragging(v);
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => {
              timer.current = null;
              void snap(v).then((t) => {
                setDragging(null);
                go(t ?? v);
              });
            }, SETTLE_MS);
          }}
        />
        <output>{shownAt ? formatTime(shownAt, utc) : 'latest'}</output>
      </label>
      <span className="time-steps">
        <button type="button" aria-label="Previous event" title="The event before the graph's time" disabled={!info?.firstTime}
          onClick={() => void snap((at ? Date.parse(at) : hi) - 1, 'before').then((t) => t !== null && go(t))}>◀</button>
        <button type="button" aria-label="Next event" title="The event after the graph's time" disabled={!info?.firstTime || at === null}
          onClick={() => void snap(Date.parse(at!) + 1, 'after').then((t) => go(t ?? hi))}>▶</button>
        <button type="button" aria-pressed={playing} disabled={!info?.firstTime} title="Walk through the case's window, event by event"
          onClick={() => {
            if (!playing && at === null) go(lo);
            setPlaying((p) => !p);
          }}>{playing ? 'Pause' : 'Play'}</button>
      </span>
      <form
        className="time-typed"
        onSubmit={(e) => {
          e.preventDefault();
          const text = String(new FormData(e.currentTarget).get('at') ?? '').trim();
          const ms = parseTyped(text, utc);
          if (text === '' || text === 'latest') return set({ graphAt: null });
          if (ms === null) return setTypedError(`Not a time: ${text} (use 2025-03-10 07:26${utc ? ' UTC' : ''})`);
          setTypedError(null);
          set({ graphAt: ms >= hi ? null : new Date(Math.max(lo, ms)).toISOString() });
        }}
      >
        <input name="at" aria-label="Go to time" placeholder={utc ? 'YYYY-MM-DD HH:MM (UTC)' : 'YYYY-MM-DD HH:MM'} maxLength={40} size={18} />
        <button type="submit">Go</button>
        {typedError ? <span role="alert">{typedError}</span> : null}
      </form>
      <button type="button" onClick={onExpand}>Expand</button>
      <button type="button" onClick={onCollapse}>Collapse</button>
      <button type="button" onClick={onFit}>Fit</button>
      <button type="button" aria-pressed={wholeAccount} onClick={onScope}>Whole account</button>
      <button type="button" onClick={onActions} title="The right-click menu of the selected node">Actions</button>
      <details className="export-menu">
        <summary>Export</summary>
        <button type="button" onClick={(e) => exportAndClose(e, 'png')}>PNG</button>
        <button type="button" onClick={(e) => exportAndClose(e, 'svg')}>SVG</button>
        <button type="button" onClick={(e) => exportAndClose(e, 'json')}>JSON</button>
      </details>
    </div>
  );
}


/**
 * The time the graph should show for a moment asked by the slider: the nearest event's (or the one
 * before or after), so the graph changes with what happened rather than with the minute the hand
 * stopped at. A failed lookup keeps the moment as asked.
 */
async function snap(ms: number, way: 'nearest' | 'before' | 'after' = 'nearest'): Promise<number | null> {
  const r = await call('graph:nearestEvent', { at: new Date(ms).toISOString() });
  if (!r.ok) return ms;
  const t = r.value[way];
  return t ? Date.parse(t) : null;
}

/** Sets the graph's time, clamped to the case's window; the end of the window is "latest". */
function goTo(lo: number, hi: number, ms: number): void {
  useStore.getState().set({ graphAt: ms >= hi ? null : new Date(Math.max(lo, ms)).toISOString() });
}
