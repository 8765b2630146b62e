// "Suppress…" on a finding: mark this one finding as expected, or suppress its rule for its actor or
// everywhere, always with a reason. Stored in the case (findings:suppress), so the app, the CLI and the
// report hide it alike; the Suppressed list brings it back.
import { useState } from 'react';
import type { Finding, SuppressionScope } from '../../../shared/api/types.ts';
import { REASON_CHARS } from '../../../shared/api/finding-decisions.ts';
import { call } from '../api/client.ts';
import { useStore } from '../store.ts';

export function SuppressForm({ finding: f, onDone }: { finding: Finding; onDone(): void }) {
  const [scope, setScope] = useState<SuppressionScope>('finding');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const rule = f.rule?.id ?? f.kind;
  const choices: { key: SuppressionScope; label: string }[] = [
    { key: 'finding', label: 'Mark this finding as expected' },
    ...(f.actor ? [{ key: 'rule-actor' as const, label: `Suppress rule ${rule} for ${f.actor.origin.label}` }] : []),
    { key: 'rule', label: `Suppress rule ${rule} everywhere` },
  ];
  return (
    <form
      className="suppress-form"
      aria-label="Suppress finding"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!reason.trim()) return setError('Give a reason: it is kept in the case with your name.');
        const target = scope === 'finding' ? f.id : scope === 'rule-actor' ? f.actor?.origin.id : undefined;
        const r = await call('findings:suppress', { scope, ruleId: rule, ...(target ? { target } : {}), reason: reason.trim() });
        if (!r.ok) return setError(r.error.message);
        useStore.getState().set({ findingsVersion: useStore.getState().findingsVersion + 1 });
        onDone();
      }}
    >
      <fieldset>
        <legend>Suppress</legend>
        {choices.map((c) => (
          <label key={c.key} className="choice">
            <input type="radio" name={`scope-${f.id}`} checked={scope === c.key} onChange={() => setScope(c.key)} disabled={c.key === 'finding' && !f.id} />
            {c.label}
          </label>
        ))}
        <label>
          Reason
          <textarea value={reason} rows={2} maxLength={REASON_CHARS} onChange={(e) => setReason(e.target.value)} />
        </label>
        <div className="buttons">
          <button type="submit">Save</button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
        {error ? <p role="alert">{error}</p> : null}
      </fieldset>
    </form>
  );
}

/** A suppressed finding's decision, with the way back. */
export function SuppressedNote({ finding: f }: { finding: Finding }) {
  const [error, setError] = useState<string | null>(null);
  const s = f.suppressed;
  if (!s) return null;
  const what = s.scope === 'finding' ? 'Marked as expected' : s.scope === 'rule' ? `Rule ${s.ruleId} suppressed` : `Rule ${s.ruleId} suppressed for this actor`;
  return (
    <p className="suppressed-note">
      {what} by {s.author}: {s.reason}{' '}
      <button
        type="button"
        onClick={async () => {
          const r = await call('findings:unsuppress', { id: s.id });
          if (!r.ok) return setError(r.error.message);
          useStore.getState().set({ findingsVersion: useStore.getState().findingsVersion + 1 });
        }}
      >
        Unsuppress
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </p>
  );
}
