// One API call's answer as React state, asked again when `input` (compared as JSON) or the case's data
// version changes. While a question is out the previous answer is cleared (a panel never shows one
// resource's answer under another's name); an answer to a question no longer asked is dropped.
// `input` null asks nothing; `again` (a counter) asks again when it changes: a panel's own edits (a
// suppression, marks, saved views) that change its answer without changing the case's data.
// Panels that ask the same question at the same moment share one call: at open the blind-window notice
// of the graph, the timeline and the findings panel, and the notes of several panels, asked three or
// four times each. Shared only while it is out, and only by askers whose question, data version and
// counter are the same, so an asker after an edit (a new counter) never gets an answer from before it.
import { useEffect, useState } from 'react';
import type { CallName, CallInput, Result } from '../../../shared/api/index.ts';
import type { ApiResults } from '../../../shared/api/types.ts';
import { call } from './client.ts';
import { useStore } from '../store.ts';

const out = new Map<string, Promise<Result<unknown>>>();

function shared<K extends CallName>(name: K, asked: string, version: string): Promise<Result<ApiResults[K]>> {
  const key = `${name}\u0000${asked}\u0000${version}`;
  let pending = out.get(key);
  if (!pending) {
    pending = call(name, JSON.parse(asked) as CallInput<K>);
    out.set(key, pending);
    void pending.finally(() => out.delete(key));
  }
  return pending as Promise<Result<ApiResults[K]>>;
}

export function useCall<K extends CallName>(name: K, input: CallInput<K> | null, again = 0): { value: ApiResults[K] | null; error: string | null } {
  const dataVersion = useStore((s) => s.dataVersion);
  const [state, setState] = useState<{ value: ApiResults[K] | null; error: string | null }>({ value: null, error: null });
  const asked = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    setState({ value: null, error: null });
    if (asked === null) return;
    let stale = false;
    void shared(name, asked, `${dataVersion}.${again}`).then((r) => {
      if (stale) return;
      setState(r.ok ? { value: r.value, error: null } : { value: null, error: r.error.message });
    });
    return () => {
      stale = true;
    };
  }, [name, asked, dataVersion, again]);
  return state;
}
