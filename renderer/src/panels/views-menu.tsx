// Saved views in the header: open one, save the current view under a name, copy the link to it.
// A view is the URL fragment's text (renderer/src/url-state.ts), kept in the case (views:save).
import { useState } from 'react';
import { parseViewState } from '../../../shared/api/view-state.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { applyView, currentViewText } from '../url-state.ts';
import { copyText } from './copy-button.tsx';

export function ViewsMenu() {
  const [saves, setSaves] = useState(0);
  const { value: views } = useCall('views:list', {}, saves);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [note, setNote] = useState('');

  return (
    <span className="views-menu">
      <label>
        Saved views
        <select
          value=""
          onChange={(e) => {
            const v = views?.find((x) => x.name === e.target.value);
            if (v) {
              applyView(parseViewState(v.state));
              setNote(`Opened ${v.name}`);
            }
          }}
        >
          <option value="">{views?.length ? 'Open a view…' : 'No saved views'}</option>
          {views?.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
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
          <input aria-label="View name" value={name} maxLength={128} required placeholder="name" onChange={(e) => setName(e.target.value)} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save view…
        </button>
      )}
      <button type="button" title="Copy a link to this view (it holds no session token)" onClick={() => void copyText(window.location.href).then((ok) => setNote(ok ? 'Link copied' : 'Could not copy the link'))}>
        Copy link
      </button>
      <span role="status" className="muted">
        {note}
      </span>
    </span>
  );
}
