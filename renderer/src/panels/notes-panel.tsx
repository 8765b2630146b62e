// Every star, tag and comment of the case in the order written, with a text search (comments, tags,
// targets and authors). Each entry leads to what it is about. All of it is shown as text.
import { useState } from 'react';
import type { Annotation } from '../../../shared/api/types.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';
import { showEvent, showHistory } from './navigate.ts';

const TARGET_NAMES: Record<Annotation['target'], string> = { event: 'Event', node: 'Node', finding: 'Finding', flow: 'Flow' };

export function NotesPanel() {
  const notesVersion = useStore((s) => s.notesVersion);
  const utc = useStore((s) => s.utc);
  const [draft, setDraft] = useState('');
  const [text, setText] = useState('');
  const { value: list, error } = useCall('notes:list', text ? { text } : {}, notesVersion);
  const [problem, setProblem] = useState<string | null>(null);

  function open(a: Annotation) {
    setProblem(null);
    if (a.target === 'event') void showEvent(a.targetId).then(setProblem);
    else if (a.target === 'node') showHistory(a.targetId);
    else if (a.target === 'finding') useStore.getState().set({ sideTab: 'findings' });
  }

  return (
    <section className="notes-panel" aria-label="Notes">
      <h2>Notes</h2>
      <form
        className="findings-filter"
        aria-label="Notes filter"
        onSubmit={(e) => {
          e.preventDefault();
          setText(draft.trim());
        }}
      >
        <label>
          Notes containing
          <input value={draft} placeholder="a word of a comment, a tag, an id" maxLength={512} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">Show</button>
        {text ? (
          <button type="button" onClick={() => (setDraft(''), setText(''))}>
            All notes
          </button>
        ) : null}
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {problem ? <p role="alert">{problem}</p> : null}
      {list ? (
        <p className="muted" role="status">
          {list.length ? `${list.length.toLocaleString('en')} ${list.length === 1 ? 'annotation' : 'annotations'}${text ? ' found' : ''}` : text ? 'Nothing matches' : 'No stars, tags or comments yet: add them from an event or a node'}
        </p>
      ) : null}
      <ol className="notes-list">
        {list?.map((a) => (
          <li key={a.id}>
            <span className="muted">
              {formatTime(a.at, utc)} · {a.author} · {TARGET_NAMES[a.target]}{' '}
            </span>
            <button type="button" className="link" title={a.targetId} onClick={() => open(a)}>
              {a.targetId.length > 60 ? `${a.targetId.slice(0, 58)}…` : a.targetId}
            </button>
            <p className="note-text">{a.kind === 'star' ? '★ starred' : a.kind === 'tag' ? `#${a.value}` : a.value}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
