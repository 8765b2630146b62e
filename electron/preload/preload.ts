// The renderer's only door to the app: one `invoke` that refuses names outside the contract before
// they reach IPC. Main validates again (a compromised renderer could bypass this check).
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_NAMES } from '../../shared/api/schemas.ts';

const allowed = new Set<string>(CALL_NAMES);

contextBridge.exposeInMainWorld('trailscope', {
  invoke(name: string, input: unknown) {
    if (typeof name !== 'string' || !allowed.has(name)) return Promise.resolve({ ok: false, error: { kind: 'unknown-call', message: `unknown call: ${String(name)}` } });
    return ipcRenderer.invoke(`api:${name}`, input);
  },
});
