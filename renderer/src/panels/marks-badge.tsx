// Stars, tags and comment counts of every target of one kind (findings, flows, nodes), asked once per
// panel instead of once per item, and the small badge a finding or a conversation shows them with.
// An "Annotate…" toggle opens the full AnnotationsBox under the item.
import { useMemo, useState } from 'react';
import { marksOf, type AnnotationTarget, type Marks } from '../../../shared/api/annotations.ts';
import { useCall } from '../api/use-call.ts';
import { useStore } from '../store.ts';
import { AnnotationsBox } from './annotations-box.tsx';

/** targetId → its marks, for every target of `target`'s kind that has any; asked again on any mark change. */
export function useMarks(target: AnnotationTarget): ReadonlyMap<string, Marks> {
  const notesVersion = useStore((s) => s.notesVersion);
  const { value } = useCall('notes:list', { target }, notesVersion);
  return useMemo(() => marksOf(value ?? []), [value]);
}

/** ★, #tags and ✎n for one target; nothing when it has no marks. Tags are record-free text: shown as text. */
export function MarksBadge({ marks }: { marks: Marks | undefined }) {
  if (!marks || (!marks.starred && !marks.tags.length && !marks.notes.length)) return null;
  const parts = [marks.starred ? '★' : '', ...marks.tags.map((t) => `#${t}`), marks.notes.length ? `✎${marks.notes.length}` : ''].filter(Boolean);
  return (
    <span className="badge marks" aria-label={`Marks: ${parts.join(' ')}`}>
      {parts.join(' ')}
    </span>
  );
}

/** A button that opens the star, tags and comments of one target under the item. */
export function AnnotateToggle({ target, targetId, label }: { target: AnnotationTarget; targetId: string; label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" aria-expanded={open} aria-label={`Annotate ${label}`} onClick={() => setOpen((x) => !x)}>
        Annotate…
      </button>
      {open ? <AnnotationsBox target={target} targetId={targetId} /> : null}
    </>
  );
}
