// Sigma rules in the case: a folder on the machine that runs the case (typed, as Import takes paths)
// is read once and stored; its hits are findings from then on, in every reopen. Each file that did not
// load is named with why (an aggregation, an encoding modifier, another log source…). Rule texts,
// titles and file names come from the files: rendered as text.
import { useState } from 'react';
import type { SigmaFolder } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { useStore } from '../store.ts';

const bump = () => useStore.getState().set({ findingsVersion: useStore.getState().findingsVersion + 1 });

export function SigmaRules() {
  const version = useStore((s) => s.findingsVersion);
  const { value: folders, error } = useCall('sigma:folders', {}, version);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const loaded = folders?.reduce((n, f) => n + f.rules.length, 0) ?? 0;
  return (
    <details className="sigma-rules">
      <summary>Sigma rules{folders?.length ? ` (${loaded} loaded)` : ''}</summary>
      <form
        aria-label="Load Sigma rules"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!path.trim()) return setMessage('Enter the path of a folder of Sigma rules.');
          setBusy(true);
          setMessage(null);
          const r = await call('sigma:load', { path: path.trim() });
          setBusy(false);
          if (!r.ok) return setMessage(r.error.message);
          setMessage(`Loaded ${r.value.rules.length} rule${r.value.rules.length === 1 ? '' : 's'} from ${r.value.folder}; ${r.value.rejected.length} not loaded.`);
          bump();
        }}
      >
        <label>
          Folder on the server
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/sigma/rules" />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Loading…' : 'Load rules'}
        </button>
      </form>
      {message ? <p role="status">{message}</p> : null}
      {error ? <p role="alert">{error}</p> : null}
      {folders?.map((f) => <FolderItem key={f.folder} folder={f} />)}
    </details>
  );
}

function FolderItem({ folder: f }: { folder: SigmaFolder }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="sigma-folder" aria-label={`Sigma folder ${f.folder}`}>
      <p>
        <span className="mono">{f.folder}</span>: {f.rules.length} rule{f.rules.length === 1 ? '' : 's'} loaded, {f.rejected.length} not loaded{' '}
        <button
          type="button"
          onClick={async () => {
            const r = await call('sigma:remove', { folder: f.folder });
            if (!r.ok) return setError(r.error.message);
            bump();
          }}
        >
          Remove
        </button>
      </p>
      {f.rejected.length ? (
        <ul className="sigma-rejected" aria-label="Rules not loaded">
          {f.rejected.map((r) => (
            <li key={r.file}>
              <span className="mono">{r.file}</span>: {r.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}
