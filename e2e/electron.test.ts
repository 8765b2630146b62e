// Electron-specific checks: window security settings, the preload's surface, drag and drop, and the
// File menu (new case from a folder, open recent). They need the
// Electron binary, which electron's postinstall downloads; where it is missing they skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { ROOT, startFixture } from './support.ts';
import { realSample } from '../test-support/real-data.ts';

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
    assert.deepEqual(surface, { keys: ['invoke', 'importDropped'], require: 'undefined', process: 'undefined' });
    const refused = await win.evaluate(() => (window as unknown as { trailscope: { invoke(n: string, i: unknown): Promise<unknown> } }).trailscope.invoke('fs:read', {}));
    assert.deepEqual((refused as { ok: boolean }).ok, false);
    const opened = await win.evaluate(() => window.open('https://example.com') === null);
    assert.equal(opened, true, 'window.open is denied');
  } finally {
    await app.close();
    await f.close();
  }
});

test('Electron: a drop the preload cannot resolve is refused in the window; main refuses paths it did not validate', { skip }, async () => {
  const f = await startFixture();
  const app = await electron.launch({ executablePath: bin!, args: [join(ROOT, 'dist/electron/main.cjs')], env: { ...process.env, TRAILSCOPE_CASE: f.casePath } });
  try {
    const win = await app.firstWindow();
    await win.getByText(/Graph ready/).waitFor({ timeout: 30_000 });
    // A File made in the page has no path on disk: nothing to import, and the page stays where it is.
    await win.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{}'], 'made-up.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await win.getByRole('alert').filter({ hasText: /nothing that was dropped is a file or folder/ }).waitFor();
    const relative = await win.evaluate(() => (window as unknown as { trailscope: { importDropped(f: unknown): Promise<{ ok: boolean }> } }).trailscope.importDropped('../etc/passwd'));
    assert.equal(relative.ok, false);
  } finally {
    await app.close();
    await f.close();
  }
});

test('Electron File menu: New Case from Folder imports into a new case, which then appears under Open Recent', { skip }, async () => {
  const f = await startFixture();
  const dir = mkdtempSync(join(tmpdir(), 'ts-electron-menu-'));
  const newCase = join(dir, 'from-folder.case');
  const folder = realSample('stratus-red-team');
  const app = await electron.launch({ executablePath: bin!, args: [join(ROOT, 'dist/electron/main.cjs')], env: { ...process.env, TRAILSCOPE_CASE: f.casePath } });
  try {
    const win = await app.firstWindow();
    await win.getByText(/Graph ready/).waitFor({ timeout: 30_000 });
    // The native dialogs cannot be driven: answer them as a user would, then click the menu item.
    await app.evaluate(({ dialog, Menu }, answers) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [answers.folder] })) as typeof dialog.showOpenDialog;
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: answers.newCase })) as typeof dialog.showSaveDialog;
      const file = Menu.getApplicationMenu()!.items.find((i) => i.label === 'File')!;
      file.submenu!.items.find((i) => i.label === 'New Case from Folder…')!.click();
    }, { folder, newCase });
    const dialogBox = win.getByRole('dialog', { name: 'Import into this case' });
    await dialogBox.getByRole('status').getByText(/Import finished/).waitFor({ timeout: 60_000 });
    assert.match(await dialogBox.getByRole('status').innerText(), /310 events/);
    const recent = await app.evaluate(({ Menu }) => {
      const file = Menu.getApplicationMenu()!.items.find((i) => i.label === 'File')!;
      return file.submenu!.items.find((i) => i.label === 'Open Recent')!.submenu!.items.map((i) => i.label);
    });
    assert.equal(recent[0], newCase);
    assert.ok(recent.includes(f.casePath));
  } finally {
    await app.close();
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
