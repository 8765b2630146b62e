// IPC: one channel per call of the contract. Every input goes through the same dispatcher as the
// loopback server (zod parse, Result values, no throws across the bridge); only the app's own
// frame may call. One more channel: paths of files dropped on the window (dropped-paths.ts).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES } from '../../shared/api/schemas.ts';
import { fail } from '../../shared/api/result.ts';
import type { Dispatch } from '../core/api/dispatch.ts';
import { DROP_CHANNEL } from './channels.ts';
import { validateDroppedPaths } from './dropped-paths.ts';

const fromApp = (event: IpcMainInvokeEvent, appUrl: string) => Boolean(event.senderFrame) && event.senderFrame!.url.split('#')[0] === appUrl;

export function registerIpc(getDispatch: () => Dispatch | null, appUrl: () => string): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(`api:${name}`, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!fromApp(event, appUrl())) return fail('unauthorized', 'call from an unexpected frame');
      const dispatch = getDispatch();
      if (!dispatch) return fail('no-case', 'no case is open');
      return dispatch(name, input);
    });
  }
  // Files and folders dropped on the window: validated here, then imported like any other paths.
  ipcMain.handle(DROP_CHANNEL, async (event: IpcMainInvokeEvent, input: unknown) => {
    if (!fromApp(event, appUrl())) return fail('unauthorized', 'call from an unexpected frame');
    const dispatch = getDispatch();
    if (!dispatch) return fail('no-case', 'open or create a case first, then drop files on it');
    const paths = validateDroppedPaths(input);
    if (!paths.ok) return paths;
    return dispatch('import:start', { paths: paths.value });
  });
}
