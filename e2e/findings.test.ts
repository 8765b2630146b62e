// End to end in browser mode: the findings workbench on the planted incident — the attacker's
// incident ranked first, a finding's event marked on the timeline and its actor ringed on the graph,
// a finding marked as expected (kept in the case, where the engine the CLI uses sees it too), and a
// folder of Sigma rules loaded from the app with the rule it cannot run named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFixture, openApp, withScreenshot, keepScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { findings as engineFindings } from '../electron/core/analysis/findings/findings.ts';
import { runTrailscope } from '../test-support/run-cli.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
let f: Fixture;

before(async () => {
  if (!skip) f = await startFixture();
});
after(async () => {
  await f?.close();
});

/** What `trailscope findings` would say of the case now: the engine on the same file, read-only. */
function fromCase() {
  const db = openCase(f.casePath, { readonly: true });
  try {
    return engineFindings(db, { includeSuppressed: true });
  } finally {
    db.close();
  }
}

async function findingsTab(page: Page) {
  await page.getByRole('tab', { name: /^Findings/ }).click();
  const panel = page.getByRole('region', { name: 'Findings' });
  await panel.getByRole('list', { name: 'Incidents' }).getByRole('listitem').first().waitFor({ timeout: 20_000 });
  return panel;
}

test('incidents first: the attacker ranks first; a finding leads to its event, marked on the timeline; the graph rings its nodes; the severity filter', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'findings-incidents', async () => {
    const { leakedKey, openPort } = f.incident;
    const panel = await findingsTab(page);
    const first = panel.getByRole('list', { name: 'Incidents' }).getByRole('listitem').first();
    assert.match(await first.locator('summary').getAttribute('aria-label') ?? '', new RegExp(`^Incident 1: critical, user/${leakedKey.userName},`));
    const exposure = first.getByRole('listitem', { name: /^critical finding: Security group opened to the internet/ });
    // Beside the opening, in the same incident: who came in through it, the intruder's session first.
    await first.getByRole('listitem', { name: new RegExp(`^critical finding: Connections from outside through ${openPort.groupId}: ${f.incident.sshFlows.srcIp.replaceAll('.', '\\.')} and \\d+ more`) }).waitFor();
    await exposure.getByRole('button', { name: `Select event ${openPort.eventName} ${openPort.eventId}` }).click();
    await page.getByRole('region', { name: 'Details' }).getByText(openPort.eventId).first().waitFor();
    // The selected row carries the finding's badge.
    const row = page.getByRole('listbox', { name: 'Events' }).getByRole('option', { selected: true });
    await row.getByRole('img', { name: /^critical finding: Security group opened to the internet/ }).waitFor();
    await page.getByRole('region', { name: 'Graph' }).getByText(/^Finding rings: .*\d+ (critical|high)/).waitFor();
    await keepScreenshot(page, 'findings-incidents');

    const findings = await findingsTab(page);
    await findings.getByLabel('Severity').selectOption('critical');
    await findings.getByRole('list', { name: 'Incidents' }).getByRole('listitem', { name: /^high finding/ }).first().waitFor({ state: 'detached' });
    const labels = await findings.getByRole('list', { name: 'Incidents' }).getByRole('listitem', { name: /finding: / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.ok(labels.every((l) => l?.startsWith('critical finding')), labels.join('\n'));
  });
  await page.close();
});

test('mark a finding as expected with a reason: hidden and counted, stored in the case, listed on request, and back with Unsuppress', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'findings-suppress', async () => {
    const panel = await findingsTab(page);
    const sweep = panel.getByRole('listitem', { name: new RegExp(`^low finding: Discovery sweep by user/${f.incident.leakedKey.userName}: `) });
    await sweep.getByRole('button', { name: 'Suppress…' }).click();
    const form = sweep.getByRole('form', { name: 'Suppress finding' });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Give a reason' }).waitFor();
    await form.getByLabel('Reason').fill('the nightly inventory job: <b>expected</b>');
    await form.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('status').filter({ hasText: '· 1 suppressed' }).waitFor();
    await sweep.waitFor({ state: 'detached' });

    const stored = fromCase().findings.filter((x) => x.suppressed);
    assert.deepEqual(stored.map((x) => [x.rule?.id, x.suppressed?.scope, x.suppressed?.reason]), [['discovery-sweep', 'finding', 'the nightly inventory job: <b>expected</b>']]);

    await page.reload();
    await page.getByText(/Graph ready/).waitFor({ timeout: 30_000 });
    const again = await findingsTab(page);
    await again.getByRole('status').filter({ hasText: '· 1 suppressed' }).waitFor();
    await again.getByText('Suppressed (1)').click();
    const hidden = again.getByRole('list', { name: 'Suppressed findings' }).getByRole('listitem', { name: /Discovery sweep by user/ });
    await hidden.getByText('Marked as expected by').waitFor();
    // The reason is text, never markup.
    assert.match(await hidden.innerText(), /the nightly inventory job: <b>expected<\/b>/);
    await keepScreenshot(page, 'findings-suppress');
    await hidden.getByRole('button', { name: 'Unsuppress' }).click();
    await again.getByText('Nothing is suppressed.').waitFor();
    assert.equal(fromCase().suppressed, 0);
  });
  await page.close();
});

test('Sigma from the app: a folder loads, the rule it cannot run is named, its hits are findings, and the case keeps the rules', { skip }, async () => {
  const rules = join(f.dir, 'sigma');
  mkdirSync(rules);
  writeFileSync(join(rules, 'ingress.yml'), `title: Lab ingress opened
id: 5f0e6c1a-0000-4000-8000-00000000e2e1
level: high
tags: [attack.t1562.007]
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventSource: ec2.amazonaws.com, eventName: AuthorizeSecurityGroupIngress}
  condition: selection
`);
  writeFileSync(join(rules, 'count.yml'), 'title: c\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: x}, condition: s | count() > 3}\n');
  const page = await openApp(f);
  await withScreenshot(page, 'findings-sigma', async () => {
    const panel = await findingsTab(page);
    await panel.getByText(/^Sigma rules/).click();
    const form = panel.getByRole('form', { name: 'Load Sigma rules' });
    await form.getByLabel('Folder on the server').fill(rules);
    await form.getByRole('button', { name: 'Load rules' }).click();
    await panel.getByRole('status').filter({ hasText: /^Loaded 1 rule from .*; 1 not loaded\.$/ }).waitFor();
    const rejected = panel.getByRole('list', { name: 'Rules not loaded' }).getByRole('listitem');
    assert.match(await rejected.innerText(), /count\.yml: aggregation '\| count\(\) > 3' in the condition is not supported/);
    const hit = panel.getByRole('listitem', { name: /^high finding: Lab ingress opened/ }).first();
    await hit.waitFor({ state: 'attached', timeout: 20_000 });
    await panel.getByRole('status').filter({ hasText: '· 1 Sigma rules' }).waitFor();
    await keepScreenshot(page, 'findings-sigma');
  });
  await page.close();
  const r = fromCase();
  assert.equal(r.sigma?.loaded, 1);
  assert.ok(r.findings.some((x) => x.rule?.id === '5f0e6c1a-0000-4000-8000-00000000e2e1' && x.eventIds.includes(f.incident.openPort.eventId)));
});

test('a finding is starred and tagged from its item: the badge shows it and the case keeps it under the finding id', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'findings-annotate', async () => {
    const panel = await findingsTab(page);
    const exposure = panel.getByRole('list', { name: 'Incidents' }).getByRole('listitem', { name: /^critical finding: Security group opened to the internet/ }).first();
    await exposure.getByRole('button', { name: /^Annotate finding / }).click();
    const box = exposure.getByRole('region', { name: 'Annotations' });
    await box.getByRole('button', { name: '☆ Star' }).click();
    await box.getByLabel('Tag').fill('attacker');
    await box.getByRole('button', { name: 'Add tag' }).click();
    await exposure.getByLabel('Marks: ★ #attacker').waitFor();
    const id = fromCase().findings.find((x) => x.title.startsWith('Security group opened to the internet') && x.eventIds.includes(f.incident.openPort.eventId))?.id;
    assert.ok(id, 'the finding has an id');
    const listed = await runTrailscope(['notes', '--case', f.casePath, '--finding', id, '--json']);
    const kinds = (JSON.parse(listed.out) as { kind: string; value: string }[]).map((a) => `${a.kind}:${a.value}`).sort();
    assert.deepEqual(kinds, ['star:', 'tag:attacker']);
  });
});

test('a port scan from outside is a finding of the flow records: counted in records, and Show flows opens the scanned instance\'s flows', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'findings-port-scan', async () => {
    const { portScan } = f.incident;
    const panel = await findingsTab(page);
    const item = panel.getByRole('listitem', { name: new RegExp(`^low finding: Port scan from outside: ${portScan.srcIp.replaceAll('.', '\\.')} tried ${portScan.distinctDstPorts} ports of `) });
    // A low finding of no actor: its incident is folded, and drawn when opened.
    const scan = fromCase().findings.find((x) => x.kind === 'port-scan' && x.sourceIPAddress === portScan.srcIp);
    assert.ok(scan?.incident, 'the engine has the scan in an incident');
    assert.equal(scan.severity, 'low');
    const summary = panel.locator(`summary[aria-label^="Incident ${scan.incident}: "]`);
    if (!(await item.isVisible())) await summary.click();
    await item.getByRole('definition').filter({ hasText: `${portScan.records} flow records, ${portScan.records} rejected` }).waitFor();
    await item.getByText('none: found in the flow records alone').waitFor();
    await item.getByRole('button', { name: 'Show flows' }).click();
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.getByRole('heading', { name: `Flows: ${portScan.instanceId}` }).waitFor();
    await flows.getByText(portScan.srcIp).first().waitFor();
    await keepScreenshot(page, 'findings-port-scan');
  });
  await page.close();
});
