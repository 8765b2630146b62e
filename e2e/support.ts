// Shared set-up for the end-to-end specs: a case built from the project's generator (the demo's
// planted incident, with its incident.json ground truth) plus one hostile record, served in browser
// mode, driven by Debian's Chromium through playwright-core.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openWorkbench, type Workbench } from '../electron/core/api/open-workbench.ts';
import { startServer, type RunningServer } from '../electron/server/http-server.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { generateAccount } from '../tools/gen/generate.ts';
import { chromiumPath, HEADLESS_WITHOUT_BROWSER_UI } from '../electron/core/headless-chromium.ts';
import type { GenerateOptions } from '../tools/gen/types.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = chromiumPath();
/** How every spec and benchmark starts Chromium: headless, no GPU, nothing fetched, no browser UI built. */
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...HEADLESS_WITHOUT_BROWSER_UI];
// Specs skip without a browser on a developer's machine; in CI a missing browser is a failure, not a
// quiet skip of every end-to-end test.
if (process.env.CI && !existsSync(CHROMIUM)) throw new Error(`CI has no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium`);
/** The `skip` option of every browser spec: the reason, where this machine has no Chromium. */
export const SKIP_WITHOUT_CHROMIUM: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
export const XSS_AGENT = '<img src=x onerror=alert(1)>';
export const XSS_EVENT_NAME = 'CreateTags';

export type Fixture = { dir: string; casePath: string; incident: Incident; workbench: Workbench; server: RunningServer; browser: Browser; close(): Promise<void> };

export type Incident = {
  attacker: { ip: string };
  openPort: { eventId: string; eventName: string; groupId: string; groupName: string; ruleId: string; cidr: string; fromPort: number; sessionArn: string };
  assumeRole: { sessionArn: string; sessionName: string };
  leakedKey: { userArn: string; userName: string };
  stolenInstanceCredentials: { instanceId: string; accessKeyId: string; usedFromIp: string };
  persistence: { eventId: string; eventName: string; targetUserName: string };
  sshFlows: { srcIp: string; dstPort: number; interfaceId: string; instanceId: string; privateIp: string };
  portScan: { srcIp: string; interfaceId: string; instanceId: string; distinctDstPorts: number; records: number };
};

/** The newest modification time under a folder (sources the renderer build depends on). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the renderer when it is missing or older than its sources, so a spec never tests a stale build. */
export function ensureRendererBuilt(): void {
  const index = join(ROOT, 'dist/renderer/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'shared')))) return;
  // Spec files may run in parallel: one build at a time.
  execFileSync('flock', ['/tmp/trailscope-renderer-build.lock', process.execPath, join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(ROOT, 'vite.config.ts')], { cwd: ROOT, stdio: 'ignore' });
}

function hostileRecord(time: string) {
  return {
    Records: [
      {
        eventVersion: '1.08',
        userIdentity: { type: 'IAMUser', principalId: 'AIDAXSSXSSXSSXSSXSS', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAXSSXSSXSSXSSXSS1', userName: 'mallory' },
        eventTime: time,
        eventSource: 'ec2.amazonaws.com',
        eventName: XSS_EVENT_NAME,
        awsRegion: 'us-east-1',
        sourceIPAddress: '203.0.113.66',
        userAgent: XSS_AGENT,
        requestParameters: { resourcesSet: { items: [{ resourceId: 'i-0badc0ffee0000001' }] }, tagSet: { items: [{ key: '<script>alert(2)</script>', value: '"><svg onload=alert(3)>' }] } },
        responseElements: { _return: true },
        requestID: '0f5c6a1e-1d2b-4c3d-9e8f-000000000001',
        eventID: '0f5c6a1e-1d2b-4c3d-9e8f-0000000000aa',
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: '111122223333',
      },
    ],
  };
}

/** A case built from `inputs` in a fresh temp folder, served in browser mode with a browser to drive it; close() removes all. */
export async function serveInputs(name: string, write: (dir: string) => string[]): Promise<{ server: RunningServer; browser: Browser; close(): Promise<void> }> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), `ts-e2e-${name}-`));
  const db = openCase(join(dir, `${name}.case`));
  await ingestPaths(db, write(dir));
  db.close();
  const workbench = openWorkbench(join(dir, `${name}.case`));
  const server = await startServer({ dispatch: workbench.dispatch, staticDir: join(ROOT, 'dist/renderer') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  return {
    server, browser,
    async close() {
      await browser.close();
      await server.close();
      await workbench.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The generated account of every spec (3,000 events), or another shape a spec asks for. */
export async function startFixture(gen: Partial<Omit<GenerateOptions, 'out'>> = {}): Promise<Fixture> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ts-e2e-'));
  const data = join(dir, 'data');
  await generateAccount({ events: 3000, flows: 1000, ...gen, out: data });
  const incident = JSON.parse(readFileSync(join(data, 'incident.json'), 'utf8')) as Incident;
  rmSync(join(data, 'incident.json'));
  mkdirSync(join(data, 'hostile'));
  writeFileSync(join(data, 'hostile', 'xss.json'), JSON.stringify(hostileRecord('2025-03-10T12:00:00Z')));
  const casePath = join(dir, 'e2e.case');
  const db = openCase(casePath);
  await ingestPaths(db, [data]);
  db.close();
  const workbench = openWorkbench(casePath);
  const server = await startServer({ dispatch: workbench.dispatch, staticDir: join(ROOT, 'dist/renderer') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  return {
    dir, casePath, incident, workbench, server, browser,
    async close() {
      await browser.close();
      await server.close();
      await workbench.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** With TRAILSCOPE_E2E_SHOTS=1, keeps a screenshot of a passing step too (to look at the UI). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  if (!process.env.TRAILSCOPE_E2E_SHOTS) return;
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results', `ok-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
}

/** Runs a step; on failure keeps a screenshot in test-results/ and rethrows. */
export async function withScreenshot(page: Page, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', `${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
    throw err;
  }
}

/** Finds a node by id with the workbench's search box, as a user types it. */
export async function searchFor(page: Page, id: string): Promise<void> {
  await page.getByLabel('Search').fill(id);
  await page.getByRole('button', { name: 'Find' }).click();
}

export async function openApp(f: Fixture, viewport = { width: 1500, height: 950 }): Promise<Page> {
  const page = await f.browser.newPage({ viewport });
  await page.goto(f.server.url);
  await page.getByText(/Graph ready/).waitFor({ timeout: 30_000 });
  return page;
}
