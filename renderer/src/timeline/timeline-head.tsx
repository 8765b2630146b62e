// The timeline's column heads: a press on a head sorts by it (time: oldest or newest first; another
// column: A to Z, Z to A, then back to time), and every column can be resized by dragging its right
// edge (or with the arrow keys on it). Widths apply to the head and the rows alike through one CSS
// variable on the timeline panel.
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store.ts';
import { SORT_LABELS, type SortColumn } from '../../../shared/api/timeline-sort.ts';

const COLUMNS: { label: string; width: string; title?: string; sorts?: SortColumn | 'time' }[] = [
  { label: 'Marks', width: '64px', title: 'Starred, tags, comments' },
  { label: 'Time', width: '150px', sorts: 'time' },
  { label: 'Event', width: '210px', sorts: 'eventName' },
  { label: 'Actor', width: '1.3fr', sorts: 'actor' },
  { label: 'Source IP', width: '110px', sorts: 'sourceIPAddress' },
  { label: 'User agent', width: '1.3fr', sorts: 'userAgent' },
  { label: 'Error', width: '130px', sorts: 'errorCode' },
];

/** The order after a press on a column head. */
function nextOrder(column: SortColumn | 'time', sortBy: SortColumn | null, descending: boolean): { sortBy: SortColumn | null; descending: boolean } {
  if (column === 'time') return { sortBy: null, descending: sortBy ? false : !descending };
  if (sortBy !== column) return { sortBy: column, descending: false };
  return descending ? { sortBy: null, descending: false } : { sortBy: column, descending: true };
}
const MIN_WIDTH = 36;
const KEY_STEP = 16;

export function TimelineHead({ timeLabel }: { timeLabel: string }) {
  const descending = useStore((s) => s.descending);
  const sortBy = useStore((s) => s.sortBy);
  const head = useRef<HTMLDivElement>(null);
  const [widths, setWidths] = useState(() => COLUMNS.map((c) => c.width));
  useEffect(() => {
    head.current?.parentElement?.style.setProperty('--timeline-cols', widths.join(' '));
  }, [widths]);

  function widthOf(i: number): number {
    return head.current?.children[i]?.getBoundingClientRect().width ?? MIN_WIDTH;
  }
  function resize(i: number, px: number) {
    setWidths((w) => w.map((x, j) => (j === i ? `${Math.max(MIN_WIDTH, Math.round(px))}px` : x)));
  }
  function onPointerDown(i: number, e: React.PointerEvent<HTMLSpanElement>) {
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const startWidth = widthOf(i);
    const move = (m: PointerEvent) => resize(i, startWidth + m.clientX - startX);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }

  return (
    <div className="timeline-head" ref={head}>
      {COLUMNS.map((c, i) => (
        <span key={c.label} title={c.title}>
          {c.sorts === 'time' ? (
            <button type="button" className="sort" aria-label={`Sort by time: ${!sortBy && descending ? 'newest' : 'oldest'} first, press to ${sortBy ? 'sort by time' : 'reverse'}`} onClick={() => useStore.getState().set(nextOrder('time', sortBy, descending))}>
              {timeLabel} {sortBy ? '' : descending ? '↓' : '↑'}
            </button>
          ) : c.sorts ? (
            <button
              type="button"
              className="sort"
              // A title, not an aria-label: the button is named by its text, so "Actor" stays the actor filter's label alone.
              title={sortBy === c.sorts ? `Sorted by ${SORT_LABELS[c.sorts]}: ${descending ? 'Z to A, press to sort by time' : 'A to Z, press for Z to A'}` : `Sort by ${SORT_LABELS[c.sorts]}`}
              onClick={() => useStore.getState().set(nextOrder(c.sorts as SortColumn, sortBy, descending))}
            >
              {c.label} {sortBy === c.sorts ? (descending ? '↓' : '↑') : ''}
            </button>
          ) : (
            c.label
          )}
          <span
            className="col-resize"
            role="separator"
            aria-orientation="vertical"
            // Numbered, not named: a column's name is also a filter's label ("Actor").
            aria-label={`Width of column ${i + 1}`}
            title={`Drag (or arrow keys) to resize ${c.label}`}
            tabIndex={0}
            onPointerDown={(e) => onPointerDown(i, e)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                e.preventDefault();
                resize(i, widthOf(i) + (e.key === 'ArrowRight' ? KEY_STEP : -KEY_STEP));
              }
            }}
          />
        </span>
      ))}
    </div>
  );
}
