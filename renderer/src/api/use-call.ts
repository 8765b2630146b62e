// One API call's answer as React state, asked again when `input` (compared as JSON) or the case's data
// version changes. While a question is out the previous answer is cleared (a panel never shows one
// resource's answer under another's name); an answer to a question no longer asked is dropped.
// `input` null asks nothing; `again` (a counter) asks again when it changes: a panel's own edits (a
// suppression, marks, saved views) that change its answer without changing the case's data.
import { useEffect, useState } from 'react';
import type { CallName, CallInput } from '../../../shared/api/index.ts';
import type { ApiResults } from '../../../shared/api/types.ts';
import { call } from './client.ts';
import { useStore } from '../store.ts';

export function useCall<K extends CallName>(name: K, input: CallInput<K> | null, again = 0): { value: ApiResults[K] | null; error: string | null } {
  const dataVersion = useStore((s) => s.dataVersion);
  const [state, setState] = useState<{ value: ApiResults[K] | null; error: string | null }>({ value: null, error: null });
  const asked = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    setState({ value: null, error: null });
    if (asked === null) return;
    let stale = false;
    void call(name, JSON.parse(asked) as CallInput<K>).then((r) => {
      if (stale) return;
      setState(r.ok ? { value: r.value, error: null } : { value: null, error: r.error.message });
    });
    return () => {
      stale = true;
    };
  }, [name, asked, dataVersion, again]);
  return state;
}
