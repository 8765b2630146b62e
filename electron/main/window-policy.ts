// What a Trailscope window may do, as plain values and functions (no electron import, so plain Node
// tests them): the page's webPreferences, its CSP, and which navigations are allowed. window-security.ts
// applies them to Electron's sessions and web contents.

/** No inline script or style, nothing from outside the app; workers from the app or blobs of its code. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; object-src 'none'";

export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  } as const;
}

/** The page may only (re)load the app itself: any other URL, scheme or query is refused. */
export function mayNavigate(url: string, appUrl: string): boolean {
  return url === appUrl;
}

/** The session of the hidden window that prints a report: its own, so its request filter touches nothing else. */
export const REPORT_PRINT_PARTITION = 'trailscope-report-print';

/**
 * The hidden window that prints a report to PDF: no script at all (the report has none and needs none),
 * no preload, the same sandbox as the app's window, and its own session.
 */
export function reportPrintPreferences() {
  const { preload: _none, ...locked } = secureWebPreferences('');
  return { ...locked, javascript: false, partition: REPORT_PRINT_PARTITION } as const;
}

/** The printing window loads its one page and nothing else: no image, font or link the report names. */
export function mayLoadForPrint(url: string, pageUrl: string): boolean {
  return url === pageUrl;
}
