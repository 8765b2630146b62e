// IPC: one channel per call of the contract. Every input goes through the same dispatcher as the
// loopback server (zod parse, Result values, no throws across the bridge); only the app's own
// frame may call.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES } from '../../shared/api/schemas.ts';
import { fail } from '../../shared/api/result.ts';
import type { Dispatch } from '../core/api/dispatch.ts';

export function registerIpc(getDispatch: () => Dispatch | null, appUrl: () => string): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(`api:${name}`, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!event.senderFrame || event.senderFrame.url.split('#')[0] !== appUrl()) return fail('unauthorized', 'call from an unexpected frame');
      const dispatch = getDispatch();
      if (!dispatch) return fail('no-case', 'no case is open');
      return dispatch(name, input);
    });
  }
}
