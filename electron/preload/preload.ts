// The renderer's only doors to the app: `invoke`, which refuses names outside the contract before
// they reach IPC, and `importDropped`, which turns files dropped on the window into their paths
// (webUtils.getPathForFile: the page itself never sees a path) and asks main to import them. Main
// validates both again (a compromised renderer could bypass these checks).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_NAMES } from '../../shared/api/schemas.ts';
import { DROP_CHANNEL } from '../main/channels.ts';

const allowed = new Set<string>(CALL_NAMES);

contextBridge.exposeInMainWorld('trailscope', {
  invoke(name: string, input: unknown) {
    if (typeof name !== 'string' || !allowed.has(name)) return Promise.resolve({ ok: false, error: { kind: 'unknown-call', message: `unknown call: ${String(name)}` } });
    return ipcRenderer.invoke(`api:${name}`, input);
  },
  importDropped(files: unknown) {
    const list = Array.isArray(files) ? files : [];
    const paths = list.filter((f): f is File => f instanceof File).slice(0, 200).map((f) => webUtils.getPathForFile(f)).filter(Boolean);
    if (!paths.length) return Promise.resolve({ ok: false, error: { kind: 'invalid-input', message: 'nothing that was dropped is a file or folder on this computer' } });
    return ipcRenderer.invoke(DROP_CHANNEL, paths);
  },
});
