// The text the FTS index holds for an event: names, ids, ARNs, addresses, agent and error.
import type { TouchedResource } from '../types.ts';

export const MAX_SEARCH_TEXT = 2048;

export function searchText(parts: (string | null)[], resources: TouchedResource[]): string {
  let out = '';
  const add = (s: string | null): void => {
    if (s === null || out.length >= MAX_SEARCH_TEXT) return;
    out = out.length === 0 ? s : `${out} ${s}`;
  };
  for (const p of parts) add(p);
  for (const r of resources) add(r.id);
  return out.length > MAX_SEARCH_TEXT ? out.slice(0, MAX_SEARCH_TEXT) : out;
}
