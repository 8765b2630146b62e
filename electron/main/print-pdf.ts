// The desktop app's PDF printer for the incident report: Electron's own Chromium (printToPDF in a
// hidden, script-less window), so the app needs no browser installed beside it. The HTML goes through
// a private temp file, not a data: URL (Chromium caps URLs at 2 MB; a report can be larger), and the
// window's session refuses every request but that file.
import { BrowserWindow, session } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPORT_PRINT_PARTITION, mayLoadForPrint, reportPrintPreferences } from './window-policy.ts';

// Margins as the headless printer's (14 mm top and bottom, 12 mm at the sides), in inches.
const MARGINS = { top: 14 / 25.4, bottom: 14 / 25.4, left: 12 / 25.4, right: 12 / 25.4 };

export async function printWithElectron(html: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'trailscope-report-'));
  const file = join(dir, 'report.html');
  const pageUrl = pathToFileURL(file).toString();
  const printSession = session.fromPartition(REPORT_PRINT_PARTITION);
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !mayLoadForPrint(details.url, pageUrl) }));
  const win = new BrowserWindow({ show: false, webPreferences: reportPrintPreferences() });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  try {
    await writeFile(file, html, { mode: 0o600 });
    await win.loadURL(pageUrl);
    return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: MARGINS });
  } finally {
    win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
