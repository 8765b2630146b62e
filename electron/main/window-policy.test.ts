// The desktop window's policy, checked without an Electron binary: the preferences every window gets,
// the CSP (the same one the page's own meta tag and the browser-mode server send) and navigation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CSP, REPORT_PRINT_PARTITION, mayLoadForPrint, mayNavigate, reportPrintPreferences, secureWebPreferences } from './window-policy.ts';
import { CSP as SERVER_CSP } from '../server/http-server.ts';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));

test('windows are isolated and sandboxed, with no Node, no webviews and web security on', () => {
  assert.deepEqual(
    { ...secureWebPreferences('/app/preload.cjs') },
    {
      preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false, spellcheck: false,
    },
  );
});

test('the CSP allows no inline or evaluated script and no outside origin, in the window, the page and browser mode', () => {
  const page = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8'))?.[1];
  assert.equal(page, CSP, 'renderer/index.html carries the window CSP (file:// pages get no response headers)');
  for (const csp of [CSP, SERVER_CSP]) {
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:/);
    const d = directives(csp);
    assert.equal(d.get('default-src'), "'none'");
    assert.equal(d.get('script-src'), "'self'");
    assert.equal(d.get('object-src'), "'none'");
    assert.equal(d.get('base-uri'), "'none'");
  }
});

test('the window may only load the app itself', () => {
  const app = 'file:///opt/Trailscope/resources/app/dist/renderer/index.html';
  assert.equal(mayNavigate(app, app), true);
  for (const url of ['https://evil.example/', 'file:///etc/passwd', `${app}?x=1`, 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///opt/Trailscope/resources/app/dist/renderer/other.html']) {
    assert.equal(mayNavigate(url, app), false, url);
  }
});

test('the hidden window that prints a report runs no script, has no preload, is sandboxed in its own session and loads only its page', () => {
  const prefs = reportPrintPreferences();
  assert.equal(prefs.javascript, false);
  assert.equal('preload' in prefs, false);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.partition, REPORT_PRINT_PARTITION);
  assert.notEqual(REPORT_PRINT_PARTITION, '', 'not the default session (the app window keeps its own request rules)');
  const page = 'file:///tmp/trailscope-report-x/report.html';
  assert.equal(mayLoadForPrint(page, page), true);
  for (const other of ['https://attacker.example/pixel.png', 'file:///etc/passwd', `${page}?x`, 'data:text/html,hi']) assert.equal(mayLoadForPrint(other, page), false, other);
});
