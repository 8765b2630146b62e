// Graph controls: filters by type, account and region, the point-in-time slider, expand/collapse.
import { AccountSelect } from '../timeline/account-select.tsx';
import { useEffect, useRef, useState } from 'react';
import { useStore, formatTime } from '../store.ts';
import { lookOf } from './node-styles.ts';
import { parseTyped } from './typed-time.ts';

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
  const lo = info?.firstTime ? Date.parse(info.firstTime) : 0;
  const hi = info?.lastTime ? Date.parse(info.lastTime) : 0;
  // The slider moves with the hand; the graph reloads once, SETTLE_MS after the last move.
  const [dragging, setDragging] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const [typedError, setTypedError] = useState<string | null>(null);
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
              setDragging(null);
              set({ graphAt: v >= hi ? null : new Date(v).toISOString() });
            }, SETTLE_MS);
          }}
        />
        <output>{shownAt ? formatTime(shownAt, utc) : 'latest'}</output>
      </label>
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

