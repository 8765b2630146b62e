// Electron-specific checks: window security settings and the preload's surface. They need the
// Electron binary, which electron's postinstall downloads; where it is missing they skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { ROOT, startFixture } from './support.ts';

function electronBinary(): string | null {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const bin = electronBinary();
const skip = bin ? (existsSync(join(ROOT, 'dist/electron/main.cjs')) ? false : 'run `npm run build:electron` first') : 'no Electron binary on this machine (node_modules/electron/dist is missing: it cannot be downloaded here)';

test('Electron window: isolated, sandboxed, no Node, only the typed API exposed', { skip }, async () => {
  const f = await startFixture();
  const app = await electron.launch({ executablePath: bin!, args: [join(ROOT, 'dist/electron/main.cjs')], env: { ...process.env, TRAILSCOPE_CASE: f.casePath } });
  try {
    const win = await app.firstWindow();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0];
      // getLastWebPreferences exists at runtime (Electron 45) but not in every typings version.
      const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
      return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration, webviewTag: p?.webviewTag };
    });
    assert.deepEqual(prefs, { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    const surface = await win.evaluate(() => ({
      keys: Object.keys((window as unknown as { trailscope: object }).trailscope),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    assert.deepEqual(surface, { keys: ['invoke'], require: 'undefined', process: 'undefined' });
    const refused = await win.evaluate(() => (window as unknown as { trailscope: { invoke(n: string, i: unknown): Promise<unknown> } }).trailscope.invoke('fs:read', {}));
    assert.deepEqual((refused as { ok: boolean }).ok, false);
    const opened = await win.evaluate(() => window.open('https://example.com') === null);
    assert.equal(opened, true, 'window.open is denied');
  } finally {
    await app.close();
    await f.close();
  }
});
