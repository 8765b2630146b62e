// The headless Chromium this project starts: to print PDF reports (report/report-pdf.ts), and in the
// browser tests and benchmarks (e2e/support.ts).

/** Debian's Chromium unless CHROMIUM_PATH names another. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Keeps headless Chromium from building browser UI that no page of ours shows. Chromium 156's headless
 * mode is the whole browser without a window, and each new page (a window of its own) loads the
 * omnibox's popup as a web page in a renderer of its own: 353 chrome:// resources and about 1.5 s of
 * CPU on a 2-core machine, beside the page being opened or printed. Measured: a million-event case's
 * workbench painted its graph at 1.8-2.3 s with it and 1.2 s without; a short report's PDF took
 * 1.8-1.9 s with it and 1.5 s without. A Chromium that does not know these features ignores them.
 */
export const HEADLESS_WITHOUT_BROWSER_UI = ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'];
