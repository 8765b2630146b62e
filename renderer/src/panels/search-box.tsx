// Search by id, ARN, IP, access key or name; choosing a hit selects the node in the graph, shows
// its history and filters the timeline to it.
import { useState } from 'react';
import type { SearchHit } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { useStore } from '../store.ts';

export function SearchBox() {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [message, setMessage] = useState('');

  function choose(hit: SearchHit) {
    const s = useStore.getState();
    s.selectNode(hit.id);
    s.setFilter({ node: hit.id });
    setHits(null);
    setMessage(`Selected ${hit.label}`);
  }

  return (
    <search
      className="search"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && hits) {
          setHits(null);
          document.getElementById('search-input')?.focus();
        }
      }}
    >
      <form
        role="search"
        onSubmit={async (e) => {
          e.preventDefault();
          const q = query.trim();
          if (!q) return;
          const r = await call('graph:search', { query: q, limit: 20 });
          if (!r.ok) return setMessage(r.error.message);
          if (r.value.length === 1) return choose(r.value[0]);
          setHits(r.value);
          setMessage(r.value.length ? `${r.value.length} matches` : `Nothing matches ${q}`);
        }}
      >
        <label htmlFor="search-input">Search</label>
        <input id="search-input" type="search" value={query} placeholder="id, ARN, IP, access key or name" onChange={(e) => setQuery(e.target.value)} />
        <button type="submit">Find</button>
        <span className="muted search-message" role="status" title={message}>
          {message}
        </span>
      </form>
      {hits && hits.length ? (
        <ul className="search-hits" aria-label="Search results">
          {hits.map((h) => (
            <li key={h.id}>
              <button type="button" onClick={() => choose(h)}>
                <strong>{h.label}</strong> <span className="muted">{h.type}</span> <span className="mono muted">{h.id}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </search>
  );
}
