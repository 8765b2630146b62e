// Locked-down windows: isolated, sandboxed, no Node in the page; navigation, new windows, webviews
// and permission requests denied; a CSP without inline script on every response. The policy itself
// (preferences, CSP, allowed navigation) is in window-policy.ts, tested without Electron.
import { session, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { CSP, mayNavigate, secureWebPreferences as policyPreferences } from './window-policy.ts';

export { CSP };

export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return { ...policyPreferences(preload) };
}

export function lockSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function lockContents(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, appUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || !mayNavigate(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
