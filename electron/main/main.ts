// Electron shell: app lifecycle, the window, the menu and IPC. All case work happens in the plain
// Node core (electron/core); ingest runs on a worker thread, so the window never freezes.
import { app, BrowserWindow, Menu, dialog, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { openWorkbench, type Workbench } from '../core/api/open-workbench.ts';
import { RENDERER_DIR } from '../core/runtime-files.ts';
import { secureWebPreferences, lockSession, lockContents } from './window-security.ts';
import { registerIpc } from './ipc.ts';
import { clearRecentCases, recentMenuEntries, rememberCase } from './recent-cases.ts';
import { validateDroppedPaths } from './dropped-paths.ts';
import { switchCase } from './case-switch.ts';
import { printWithElectron } from './print-pdf.ts';
import { limitHeapGrowth } from '../core/heap-growth.ts';

// Before any worker starts: imports run on worker threads of this process.
limitHeapGrowth();

// Built layout: dist/electron/{main,preload,import-worker,pull-worker,read-worker,layout-worker}.cjs and dist/renderer/.
const here = __dirname;
const rendererIndex = join(RENDERER_DIR, 'index.html');
const appUrl = pathToFileURL(rendererIndex).toString();
let workbench: Workbench | null = null;

/** A case as the window uses it: PDF reports printed by Electron itself. */
const openForWindow = (path: string) => openWorkbench(path, { printPdf: printWithElectron });
let win: BrowserWindow | null = null;

/** Opens a case in the window; on failure the current case stays and the reason is shown. */
async function openCaseFile(path: string): Promise<boolean> {
  const outcome = await switchCase(workbench, path, openForWindow);
  if (!outcome.ok) {
    dialog.showErrorBox('Cannot open this case', `${path}\n\n${outcome.reason}`);
    return false;
  }
  workbench = outcome.workbench;
  rememberCase(app.getPath('userData'), path);
  app.addRecentDocument(path);
  win?.setTitle(`Trailscope — ${path}`);
  buildMenu();
  await win?.loadURL(appUrl);
  return true;
}

async function chooseCase(): Promise<void> {
  const r = await dialog.showOpenDialog({ properties: ['openFile'], filters: [{ name: 'Trailscope case', extensions: ['case', 'trailscope', 'sqlite'] }] });
  if (!r.canceled && r.filePaths[0]) await openCaseFile(r.filePaths[0]);
}

// A new case file, then an import of the chosen inputs into it. The page, loaded fresh for the new
// case, finds the running import with `job:current` and shows its progress.
async function newCaseFrom(kind: 'openFile' | 'openDirectory'): Promise<void> {
  const r = await dialog.showOpenDialog({ title: kind === 'openFile' ? 'Files to import' : 'Folder to import', properties: [kind, 'multiSelections'] });
  if (r.canceled || !r.filePaths.length) return;
  const paths = validateDroppedPaths(r.filePaths);
  if (!paths.ok) return void dialog.showErrorBox('Cannot import', paths.error.message);
  const target = await dialog.showSaveDialog({ title: 'New case file', defaultPath: 'investigation.case', filters: [{ name: 'Trailscope case', extensions: ['case'] }] });
  if (target.canceled || !target.filePath) return;
  const outcome = await switchCase(workbench, target.filePath, openForWindow);
  if (!outcome.ok) return void dialog.showErrorBox('Cannot create this case', `${target.filePath}\n\n${outcome.reason}`);
  workbench = outcome.workbench;
  const job = await workbench.dispatch('import:start', { paths: paths.value });
  if (!job.ok) dialog.showErrorBox('Import failed to start', job.error.message);
  rememberCase(app.getPath('userData'), target.filePath);
  app.addRecentDocument(target.filePath);
  win?.setTitle(`Trailscope — ${target.filePath}`);
  buildMenu();
  await win?.loadURL(appUrl);
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
  const userData = app.getPath('userData');
  const recent: MenuItemConstructorOptions[] = recentMenuEntries(userData).map((e) => ({ label: e.path, enabled: e.exists, click: () => void openCaseFile(e.path) }));
  const clear: MenuItemConstructorOptions[] = recent.length
    ? [{ type: 'separator' }, { label: 'Clear Recent', click: () => (clearRecentCases(userData), app.clearRecentDocuments(), buildMenu()) }]
    : [];
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: () => void chooseCase() },
          { label: 'New Case from Files…', click: () => void newCaseFrom('openFile') },
          { label: 'New Case from Folder…', click: () => void newCaseFrom('openDirectory') },
          { label: 'Open Recent', submenu: recent.length ? [...recent, ...clear] : [{ label: 'No recent cases', enabled: false }] },
          { type: 'separator' },
          { label: 'Export Timeline…', accelerator: 'CmdOrCtrl+E', click: () => void exportTimeline() },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
    ]),
  );
}

app.on('web-contents-created', (_e, contents) => lockContents(contents, appUrl));

app.whenReady().then(async () => {
  lockSession();
  registerIpc(() => workbench?.dispatch ?? null, () => appUrl);
  win = new BrowserWindow({ width: 1500, height: 950, show: true, webPreferences: secureWebPreferences(join(here, 'preload.cjs')) });
  const casePath = process.env.TRAILSCOPE_CASE ?? process.argv.find((a) => a.endsWith('.case'));
  if (!casePath || !(await openCaseFile(casePath))) {
    buildMenu();
    await chooseCase();
  }
});

app.on('window-all-closed', () => {
  void workbench?.close().finally(() => app.quit());
});
