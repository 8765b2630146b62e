// Star, tag and comment on one thing the case names (an event by its eventID, a node, a finding, a
// flow): what the details panel shows under the selection. Comments are the investigator's text but
// come back from a case file anyone may have written: shown as text only, never as markup.
import { useId, useState } from 'react';
import { SUGGESTED_TAGS, type AnnotationTarget } from '../../../shared/api/annotations.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';

/** Tells every view that shows marks (timeline rows, notes, this box) to ask again. */
export function marksChanged(): void {
  const s = useStore.getState();
  s.set({ notesVersion: s.notesVersion + 1 });
}

/** Stars a target, or takes its star away. Returns an error message, or null. */
export async function toggleStar(target: AnnotationTarget, targetId: string, starred?: boolean): Promise<string | null> {
  let isStarred = starred;
  if (isStarred === undefined) {
    const now = await call('notes:list', { target, targetId });
    if (!now.ok) return now.error.message;
    isStarred = now.value.some((a) => a.kind === 'star');
  }
  const r = isStarred ? await call('notes:remove', { target, targetId, kind: 'star' }) : await call('notes:add', { target, targetId, kind: 'star' });
  marksChanged();
  return r.ok ? null : r.error.message;
}

export function AnnotationsBox({ target, targetId }: { target: AnnotationTarget; targetId: string }) {
  const notesVersion = useStore((s) => s.notesVersion);
  const utc = useStore((s) => s.utc);
  const { value: list, error } = useCall('notes:list', { target, targetId }, notesVersion);
  const [tag, setTag] = useState('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const tagsId = useId();
  const starred = list?.some((a) => a.kind === 'star') ?? false;
  const tags = list?.filter((a) => a.kind === 'tag') ?? [];
  const notes = list?.filter((a) => a.kind === 'note') ?? [];

  async function run(ask: () => Promise<{ ok: boolean; error?: { message: string } }>): Promise<boolean> {
    const r = await ask();
    setProblem(r.ok ? null : (r.error?.message ?? 'failed'));
    if (r.ok) marksChanged();
    return r.ok;
  }

  return (
    <section className="annotations" aria-label="Annotations">
      <h3>Star, tags and comments</h3>
      {error ? <p role="alert">{error}</p> : null}
      <div className="annotation-marks">
        <button type="button" aria-pressed={starred} disabled={!list} onClick={() => void toggleStar(target, targetId, starred).then(setProblem)}>
          {starred ? '★ Starred' : '☆ Star'}
        </button>
        {tags.map((t) => (
          <button key={t.id} type="button" className="chip" aria-label={`Remove tag ${t.value}`} title={`${t.author}, ${formatTime(t.at, utc)}`} onClick={() => void run(() => call('notes:remove', { target, targetId, kind: 'tag', value: t.value }))}>
            #{t.value} ✕
          </button>
        ))}
      </div>
      <form
        className="annotation-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) void run(() => call('notes:add', { target, targetId, kind: 'tag', value: tag.trim() })).then((ok) => ok && setTag(''));
        }}
      >
        <input aria-label="Tag" list={tagsId} value={tag} placeholder="suspicious, T1078.004…" maxLength={64} onChange={(e) => setTag(e.target.value)} />
        <datalist id={tagsId}>
          {SUGGESTED_TAGS.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <button type="submit">Add tag</button>
      </form>
      {notes.length ? (
        <ol className="annotation-notes" aria-label="Comments">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="note-text">{n.value}</p>
              <span className="muted">
                {n.author}, {formatTime(n.at, utc)}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      <form
        className="annotation-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void run(() => call('notes:add', { target, targetId, kind: 'note', value: text })).then((ok) => ok && setText(''));
        }}
      >
        <textarea aria-label="Comment" value={text} rows={2} maxLength={10_000} placeholder="What this shows, why it matters" onChange={(e) => setText(e.target.value)} />
        <button type="submit">Add comment</button>
      </form>
      {problem ? <p role="alert">{problem}</p> : null}
    </section>
  );
}
