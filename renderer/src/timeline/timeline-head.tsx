// The timeline's column heads: the time column sorts (oldest or newest first), and every column can be
// resized by dragging its right edge (or with the arrow keys on it). Widths apply to the head and the
// rows alike through one CSS variable on the timeline panel.
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store.ts';

const COLUMNS: { label: string; width: string; title?: string }[] = [
  { label: 'Marks', width: '64px', title: 'Starred, tags, comments' },
  { label: 'Time', width: '150px' },
  { label: 'Event', width: '210px' },
  { label: 'Actor', width: '1.3fr' },
  { label: 'Source IP', width: '110px' },
  { label: 'User agent', width: '1.3fr' },
  { label: 'Error', width: '130px' },
];
const MIN_WIDTH = 36;
const KEY_STEP = 16;

export function TimelineHead({ timeLabel }: { timeLabel: string }) {
  const newestFirst = useStore((s) => s.newestFirst);
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
          {i === 1 ? (
            <button type="button" className="sort" aria-label={`Sort by time: ${newestFirst ? 'newest' : 'oldest'} first, press to reverse`} onClick={() => useStore.getState().set({ newestFirst: !newestFirst })}>
              {timeLabel} {newestFirst ? '↓' : '↑'}
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
