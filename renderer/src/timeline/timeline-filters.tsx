// Timeline filters. Text filters apply on Enter or "Apply"; switches apply at once.
import { useEffect, useState } from 'react';
import { useStore, formatTime } from '../store.ts';
import { AccountSelect } from './account-select.tsx';
import { ExportControl } from './export-control.tsx';

export function TimelineFilters() {
  const filter = useStore((s) => s.filter);
  const utc = useStore((s) => s.utc);
  const setFilter = useStore((s) => s.setFilter);
  const set = useStore((s) => s.set);
  const compact = useStore((s) => s.compact);
  const [draft, setDraft] = useState({ actor: '', resource: '', eventName: '', query: '' });
  useEffect(
    () => setDraft({ actor: filter.actor ?? '', resource: filter.resource ?? '', eventName: filter.eventName ?? '', query: filter.query ?? '' }),
    [filter.actor, filter.resource, filter.eventName, filter.query],
  );

  return (
    <form
      className="filters"
      aria-label="Timeline filters"
      onSubmit={(e) => {
        e.preventDefault();
        setFilter({ actor: draft.actor.trim() || undefined, resource: draft.resource.trim() || undefined, eventName: draft.eventName.trim() || undefined, query: draft.query.trim() || undefined });
      }}
    >
      <label className="query">
        Query
        <input value={draft.query} maxLength={512} placeholder="eventName:Delete* OR tag:suspicious NOT errorCode:*" title="Free text, field:value, wildcards, OR, NOT, parentheses, tag:, starred:" onChange={(e) => setDraft({ ...draft, query: e.target.value })} />
      </label>
      <label>
        Actor
        <input value={draft.actor} placeholder="ARN, key, user" onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
      </label>
      <label>
        Resource
        <input value={draft.resource} placeholder="sg-…, i-…, ARN" onChange={(e) => setDraft({ ...draft, resource: e.target.value })} />
      </label>
      <label>
        Event name
        <input value={draft.eventName} placeholder="AuthorizeSecurityGroupIngress" onChange={(e) => setDraft({ ...draft, eventName: e.target.value })} />
      </label>
      <button type="submit">Apply</button>
      <AccountSelect />
      <label className="check">
        <input type="checkbox" checked={Boolean(filter.errorsOnly)} onChange={(e) => setFilter({ errorsOnly: e.target.checked || undefined })} />
        Errors only
      </label>
      <label className="check">
        <input type="checkbox" checked={Boolean(filter.includeReadOnly)} onChange={(e) => setFilter({ includeReadOnly: e.target.checked })} />
        Show read-only calls
      </label>
      {/* A toggle keeps one name; its pressed state says which clock the times are in. */}
      <button type="button" aria-pressed={utc} title={utc ? 'Times are in UTC: press for local time' : 'Times are local: press for UTC'} onClick={() => set({ utc: !utc })}>
        UTC
      </button>
      <button type="button" aria-pressed={compact} title="Compact rows: more events on screen" onClick={() => set({ compact: !compact })}>
        Compact
      </button>
      {filter.node ? (
        <button type="button" className="chip" onClick={() => setFilter({ node: undefined })} aria-label={`Remove node filter ${filter.node}`}>
          Node: {filter.node} ✕
        </button>
      ) : null}
      {filter.ip ? (
        <button type="button" className="chip" onClick={() => setFilter({ ip: undefined })} aria-label={`Remove IP filter ${filter.ip}`}>
          IP: {filter.ip} ✕
        </button>
      ) : null}
      {filter.from || filter.to ? (
        <button type="button" className="chip" onClick={() => setFilter({ from: undefined, to: undefined })} aria-label="Clear time window">
          {formatTime(filter.from ?? null, utc)} – {formatTime(filter.to ?? null, utc)} ✕
        </button>
      ) : null}
      <button type="button" onClick={() => set({ filter: { includeReadOnly: filter.includeReadOnly } })}>
        Clear filters
      </button>
      <ExportControl />
    </form>
  );
}
