// The report as PDF: the same HTML printed by Chromium (headless here; the desktop app uses
// Electron's printToPDF on the same HTML). JavaScript is off and every request is refused, so the
// page can only lay out the text it was given.

import { chromiumPath, HEADLESS_WITHOUT_BROWSER_UI } from '../headless-chromium.ts';

/** Prints one self-contained HTML page to PDF bytes: headless Chromium here, Electron's printToPDF in the app. */
export type PdfPrinter = (html: string) => Promise<Buffer>;

export async function htmlToPdf(html: string, executablePath = chromiumPath()): Promise<Buffer> {
  // Loaded only when a PDF is asked for: it is large, and it locates its own files from node_modules.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', ...HEADLESS_WITHOUT_BROWSER_UI] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
