// "Show all" for a value the answer cut short (shared/api/bounds.ts): fetches the full value from
// `event:field` a bounded chunk at a time and shows it as text (React escapes it; nothing sets HTML).
import { useEffect, useState } from 'react';
import type { RowTextField } from '../../../shared/api/bounds.ts';
import { call } from '../api/client.ts';

export type FieldSource = { field: RowTextField } | { path: (string | number)[] };

type State = { kind: 'idle' } | { kind: 'loading'; done: number } | { kind: 'shown'; text: string } | { kind: 'failed'; message: string };

export function FullValue({ id, source, bytes, what }: { id: number; source: FieldSource; bytes: number; what: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const key = JSON.stringify([id, source]);
  useEffect(() => setState({ kind: 'idle' }), [key]);

  async function load() {
    const parts: string[] = [];
    let offset = 0;
    let total = bytes;
    setState({ kind: 'loading', done: 0 });
    while (offset < total) {
      const r = await call('event:field', { id, ...source, offset });
      if (!r.ok) return setState({ kind: 'failed', message: r.error.message });
      if (r.value.nextOffset <= offset) break;
      parts.push(r.value.text);
      offset = r.value.nextOffset;
      total = r.value.total;
      setState({ kind: 'loading', done: offset });
    }
    setState({ kind: 'shown', text: parts.join('') });
  }

  const size = `${bytes.toLocaleString('en')} bytes`;
  if (state.kind === 'shown') {
    return (
      <div className="full-value">
        <button type="button" className="link" onClick={() => setState({ kind: 'idle' })}>
          Hide the full {what}
        </button>
        <pre className="raw" tabIndex={0} aria-label={`Full ${what}`}>
          {state.text}
        </pre>
      </div>
    );
  }
  return (
    <span className="full-value">
      <button type="button" className="link" disabled={state.kind === 'loading'} onClick={() => void load()}>
        Show all of the {what} ({size})
      </button>
      {state.kind === 'loading' ? <span role="status"> Loading… {Math.round((100 * state.done) / Math.max(1, bytes))}%</span> : null}
      {state.kind === 'failed' ? <span role="alert"> {state.message}</span> : null}
    </span>
  );
}
