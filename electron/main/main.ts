// Electron shell: app lifecycle, the window, the menu and IPC. All case work happens in the plain
// Node core (electron/core); ingest runs on a worker thread, so the window never freezes.
import { app, BrowserWindow, Menu, dialog, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { openWorkbench, type Workbench } from '../core/api/open-workbench.ts';
import { secureWebPreferences, lockSession, lockContents } from './window-security.ts';
import { registerIpc } from './ipc.ts';
import { recentCases, rememberCase } from './recent-cases.ts';

// Built layout: dist/electron/{main.cjs, preload.cjs, import-worker.cjs} and dist/renderer/.
const here = __dirname;
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).toString();
let workbench: Workbench | null = null;
let win: BrowserWindow | null = null;

async function openCaseFile(path: string): Promise<void> {
  await workbench?.close();
  workbench = openWorkbench(path, { workerFile: pathToFileURL(join(here, 'import-worker.cjs')), layoutWorkerFile: pathToFileURL(join(here, 'layout-worker.cjs')) });
  rememberCase(app.getPath('userData'), path);
  buildMenu();
  await win?.loadURL(appUrl);
}

async function chooseCase(): Promise<void> {
  const r = await dialog.showOpenDialog({ properties: ['openFile'], filters: [{ name: 'Trailscope case', extensions: ['case', 'sqlite'] }] });
  if (!r.canceled && r.filePaths[0]) await openCaseFile(r.filePaths[0]);
}

async function newCaseFrom(kind: 'openFile' | 'openDirectory'): Promise<void> {
  const r = await dialog.showOpenDialog({ properties: [kind, 'multiSelections'] });
  if (r.canceled || !r.filePaths.length) return;
  const target = await dialog.showSaveDialog({ defaultPath: 'investigation.case' });
  if (target.canceled || !target.filePath) return;
  await openCaseFile(target.filePath);
  await workbench?.dispatch('import:start', { paths: r.filePaths });
}

async function exportTimeline(): Promise<void> {
  if (!workbench) return;
  const r = await workbench.dispatch('export:timeline', { filter: { includeReadOnly: true }, format: 'csv' });
  if (!r.ok) return void dialog.showErrorBox('Export failed', r.error.message);
  const value = r.value as { filename: string; content: string };
  const target = await dialog.showSaveDialog({ defaultPath: value.filename });
  if (!target.canceled && target.filePath) await writeFile(target.filePath, value.content);
}

function buildMenu(): void {
  const recent = recentCases(app.getPath('userData')).map((p) => ({ label: p, click: () => void openCaseFile(p) }));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: () => void chooseCase() },
          { label: 'New Case from Files…', click: () => void newCaseFrom('openFile') },
          { label: 'New Case from Folder…', click: () => void newCaseFrom('openDirectory') },
          { label: 'Open Recent', submenu: recent.length ? recent : [{ label: 'No recent cases', enabled: false }] },
          { type: 'separator' },
          { label: 'Export Timeline…', accelerator: 'CmdOrCtrl+E', click: () => void exportTimeline() },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { label: 'Help', submenu: [{ label: 'Trailscope on the web', click: () => void shell.openExternal('https://github.com/') }] },
    ]),
  );
}

app.on('web-contents-created', (_e, contents) => lockContents(contents, appUrl));

app.whenReady().then(async () => {
  lockSession();
  registerIpc(() => workbench?.dispatch ?? null, () => appUrl);
  win = new BrowserWindow({ width: 1500, height: 950, show: true, webPreferences: secureWebPreferences(join(here, 'preload.cjs')) });
  const casePath = process.env.TRAILSCOPE_CASE ?? process.argv.find((a) => a.endsWith('.case'));
  if (casePath) await openCaseFile(casePath);
  else {
    buildMenu();
    await chooseCase();
  }
});

app.on('window-all-closed', () => {
  void workbench?.close().finally(() => app.quit());
});
