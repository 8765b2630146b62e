// Saved views in the header, as one compact menu: open a saved view, save the current one under a
// name, copy the link to it. A view is the URL fragment's text (renderer/src/url-state.ts), kept in
// the case (views:save).
import { useState } from 'react';
import { parseViewState } from '../../../shared/api/view-state.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { applyView, currentViewText } from '../url-state.ts';
import { copyText } from './copy-button.tsx';

const SAVE = '\u0000save';
const COPY = '\u0000copy';

export function ViewsMenu() {
  const [saves, setSaves] = useState(0);
  const { value: views } = useCall('views:list', {}, saves);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [note, setNote] = useState('');

  function choose(value: string) {
    if (value === SAVE) return setNaming(true);
    if (value === COPY) return void copyText(window.location.href).then((ok) => setNote(ok ? 'Link copied' : 'Could not copy the link'));
    const v = views?.find((x) => x.name === value);
    if (v) {
      applyView(parseViewState(v.state));
      setNote(`Opened ${v.name}`);
    }
  }

  return (
    <span className="views-menu">
      {naming ? (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await call('views:save', { name, state: currentViewText() });
            if (!r.ok) return setNote(r.error.message);
            setNote(`Saved view ${r.value.name}`);
            setNaming(false);
            setName('');
            setSaves((n) => n + 1);
          }}
        >
          <input aria-label="View name" value={name} maxLength={128} required placeholder="name of this view" onChange={(e) => setName(e.target.value)} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <select aria-label="Views" value="" onChange={(e) => choose(e.target.value)}>
          <option value="">Views…</option>
          <option value={SAVE}>Save this view…</option>
          <option value={COPY}>Copy a link to this view</option>
          {views?.length ? (
            <optgroup label="Saved views">
              {views.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      )}
      <span role="status" className="muted">
        {note}
      </span>
    </span>
  );
}
