// The only code in the renderer that talks to the API. In Electron the preload exposes
// `window.trailscope.invoke`; in browser mode calls go to the loopback server with the token the
// page was opened with. Either way every answer is a Result, never a thrown error.
import type { CallName, CallInput, Result } from '../../../shared/api/index.ts';
import type { ApiResults } from '../../../shared/api/types.ts';

type Bridge = {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Desktop only: files dropped on the window, imported into the open case (paths never reach the page). */
  importDropped(files: File[]): Promise<Result<{ jobId: string }>>;
};

declare global {
  interface Window {
    trailscope?: Bridge;
  }
}

const TOKEN_KEY = 'trailscope-token';

function token(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of screenshots, the history list and anything copied from the address bar
    // (the fragment stays: it holds the view to open, renderer/src/url-state.ts).
    window.history.replaceState(null, '', window.location.pathname + window.location.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const httpToken = window.trailscope ? '' : token();

export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<ApiResults[K]>> {
  if (window.trailscope) return (await window.trailscope.invoke(name, input)) as Result<ApiResults[K]>;
  try {
    const res = await fetch(`api/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trailscope-token': httpToken },
      body: JSON.stringify(input),
    });
    if (res.status === 401) return { ok: false, error: { kind: 'unauthorized', message: 'the session token was refused: open the URL printed by `trailscope serve`' } };
    return (await res.json()) as Result<ApiResults[K]>;
  } catch (err) {
    return { ok: false, error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** For places where a failure is shown as a message rather than handled: throws the error text. */
export async function must<K extends CallName>(name: K, input: CallInput<K>): Promise<ApiResults[K]> {
  const r = await call(name, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export const isDesktop = () => Boolean(window.trailscope);

/** Files and folders dropped on the window. Only the desktop app can see where they are on disk. */
export async function importDroppedFiles(files: File[]): Promise<Result<{ jobId: string }>> {
  if (!window.trailscope) {
    return { ok: false, error: { kind: 'invalid-input', message: 'Dropping files works in the desktop app. In browser mode use Import… and give their paths on the server.' } };
  }
  return window.trailscope.importDropped(files);
}
