// End to end in browser mode: the questions a responder asks of the planted incident that go past
// "who changed it" — is this key compromised, what else came from that address — and the keyboard
// and clock controls they rely on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runTrailscope } from '../test-support/run-cli.ts';
import { startFixture, openApp, withScreenshot, keepScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
let f: Fixture;

before(async () => {
  if (!skip) f = await startFixture();
});
after(async () => {
  await f?.close();
});

test('search the stolen instance-role key: the Actor panel resolves it to the instance and warns of the foreign address', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'actor', async () => {
    const stolen = f.incident.stolenInstanceCredentials;
    await page.getByRole('searchbox', { name: 'Search' }).fill(stolen.accessKeyId);
    await page.getByRole('button', { name: 'Find' }).click();
    const actor = page.getByRole('region', { name: 'Actor' });
    await actor.getByRole('heading', { name: new RegExp(`Actor: ${stolen.instanceId}`) }).waitFor({ timeout: 10_000 });
    // The one warning about the instance's key (others may name the address as new for this actor).
    const warning = actor.getByRole('list', { name: 'Warnings' }).getByRole('listitem').filter({ hasText: f.incident.attacker.ip }).filter({ hasText: /credentials of instance/ });
    assert.match(await warning.innerText(), new RegExp(`credentials of instance ${stolen.instanceId} used from`));
    // The attacker's address is listed among the key's sources and leads the timeline to it.
    const ips = actor.getByRole('table', { name: 'Source IP addresses' });
    await ips.getByRole('button', { name: `Show events from ${f.incident.attacker.ip}` }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const rows = timeline.getByRole('listbox', { name: 'Events' }).getByRole('option');
    await rows.first().filter({ hasText: f.incident.attacker.ip }).waitFor();
    await keepScreenshot(page, 'actor');
  });
  await page.close();
});

test('the timeline says how many read-only calls it hides, and shows them on request', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'read-only', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const whole = timeline.getByRole('status').filter({ hasText: /\d+ read-only calls? hidden/ });
    const wholeText = await whole.innerText();
    await page.getByRole('searchbox', { name: 'Search' }).fill(f.incident.attacker.ip);
    await page.getByRole('button', { name: 'Find' }).click();
    await timeline.getByRole('button', { name: `Remove node filter ip/${f.incident.attacker.ip}` }).waitFor();
    const count = timeline.getByRole('status').filter({ hasText: /\d+ read-only calls? hidden/ }).filter({ hasNotText: wholeText });
    await count.waitFor();
    const m = /^([\d,]+) events? · ([\d,]+) read-only/.exec(await count.innerText());
    assert.ok(m, await count.innerText());
    const [shown, hidden] = [Number(m[1].replaceAll(',', '')), Number(m[2].replaceAll(',', ''))];
    assert.ok(hidden > 0, 'the attacker made read-only reconnaissance calls');
    await timeline.getByRole('checkbox', { name: 'Show read-only calls' }).check();
    await timeline.getByRole('status').getByText(new RegExp(`^${(shown + hidden).toLocaleString('en')} events$`)).waitFor();
  });
  await page.close();
});

test('keyboard only: Tab reaches the event list, arrows move an outlined row and show its details; the clock toggle', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'keyboard', async () => {
    const events = page.getByRole('listbox', { name: 'Events' });
    await events.getByRole('option').first().filter({ hasText: /\d{4}-\d\d-\d\d/ }).waitFor();
    // Until the list has focus no row carries the keyboard outline.
    const outlined = () => events.evaluate((el) => [...el.querySelectorAll('[role=option]')].filter((r) => getComputedStyle(r).outlineStyle !== 'none').length);
    assert.equal(await outlined(), 0);
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await events.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, 'Tab reaches the event list');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await outlined(), 1, 'the keyboard row is outlined while the list has focus');
    const active = await events.getAttribute('aria-activedescendant');
    assert.equal(active, 'event-row-2');
    const selected = events.getByRole('option', { selected: true });
    const time = await selected.locator('.t').innerText();
    await page.getByRole('region', { name: 'Details' }).getByText(time).first().waitFor();
    // The clock toggle keeps its name; its pressed state says which clock is shown.
    const utc = page.getByRole('button', { name: 'UTC' });
    assert.equal(await utc.getAttribute('aria-pressed'), 'true');
    await utc.click();
    assert.equal(await utc.getAttribute('aria-pressed'), 'false');
    await page.getByText('Time (local)').waitFor();
    await keepScreenshot(page, 'keyboard');
  });
  await page.close();
});

// The size the workbench is designed for: the new views must stay usable there.
const DESKTOP = { width: 1600, height: 1000 };

test('flows of the scanned, then entered interface: the scan as one peer of many rejected ports, the SSH chain to rule, call and person', { skip }, async () => {
  const page = await openApp(f, DESKTOP);
  await withScreenshot(page, 'flows', async () => {
    const { sshFlows, portScan, openPort, leakedKey } = f.incident;
    await page.getByRole('searchbox', { name: 'Search' }).fill(sshFlows.interfaceId);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('region', { name: 'Details' }).getByRole('button', { name: 'Show its flows' }).click();
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.getByRole('heading', { name: `Flows: ${sshFlows.interfaceId}` }).waitFor();

    // The accepted SSH from outside, traced: the rule, the call that added it, the person.
    // By the flow itself: every chain through the rule names the address it was added from, the intruder's too.
    const chain = flows.getByRole('list', { name: 'Remote access from outside' }).getByRole('listitem').filter({ hasText: `${sshFlows.srcIp} → ${sshFlows.privateIp}:${sshFlows.dstPort}` });
    await chain.first().waitFor({ timeout: 10_000 });
    const ruleButton = chain.getByRole('button', { name: new RegExp(`^History of ${openPort.groupId} \\(rule ${openPort.ruleId}\\)`) });
    assert.equal(await ruleButton.innerText(), openPort.ruleId);
    const eventButton = chain.getByRole('button', { name: `Select event ${openPort.eventName} ${openPort.eventId}` });
    assert.equal(await eventButton.innerText(), openPort.eventName);
    assert.equal(await chain.getByRole('button', { name: /^Actor / }).innerText(), `user/${leakedKey.userName}`);

    // The scanner: one peer, its ports counted, nothing accepted.
    const peers = flows.getByRole('table', { name: /^Peers/ });
    const scanner = peers.getByRole('row').filter({ has: page.getByRole('button', { name: `Show events from ${portScan.srcIp}` }) });
    const scanText = await scanner.innerText();
    assert.match(scanText, new RegExp(`${portScan.distinctDstPorts} ports`));
    assert.match(scanText, /all rejected/);
    assert.match(scanText, /scan/);
    await scanner.getByRole('button', { name: `Conversations with ${portScan.srcIp}` }).click();
    // A conversation is starred under its stable key, the key `trailscope notes --flow` takes.
    const star = peers.getByRole('button', { name: /^Star conversation / }).first();
    const key = (await star.getAttribute('aria-label'))!.slice('Star conversation '.length);
    assert.match(key, new RegExp(`^eni-[^|]+\\|inbound\\|${portScan.srcIp.replaceAll('.', '\\.')}\\|\\d+\\|6$`));
    await star.click();
    await peers.getByRole('button', { name: `Unstar conversation ${key}` }).waitFor();
    const starred = JSON.parse((await runTrailscope(['notes', '--case', f.casePath, '--flow', key, '--json'])).out) as { kind: string }[];
    assert.deepEqual(starred.map((a) => a.kind), ['star']);
    await keepScreenshot(page, 'flows');

    // The rule leads to the group's history, the call to the event selected in the timeline.
    await ruleButton.click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('listitem').filter({ hasText: openPort.eventName }).first().waitFor();
    await page.getByRole('tab', { name: 'Flows' }).click();
    await eventButton.click();
    await page.getByRole('region', { name: 'Details' }).getByText(openPort.eventId).first().waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('option', { selected: true }).filter({ hasText: openPort.eventName }).waitFor();

    // A peer's address narrows the timeline to it.
    await page.getByRole('tab', { name: 'Flows' }).click();
    await peers.getByRole('button', { name: `Show events from ${sshFlows.srcIp}` }).first().click();
    await timeline.getByRole('button', { name: `Remove IP filter ${sshFlows.srcIp}` }).waitFor();
    await timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').first().filter({ hasText: sshFlows.srcIp }).waitFor();
  });
  await page.close();
});

test('findings: the backdoor key and the stolen instance credentials among the high ones, each a way to its events and actor', { skip }, async () => {
  const page = await openApp(f, DESKTOP);
  await withScreenshot(page, 'findings', async () => {
    const { persistence, stolenInstanceCredentials: stolen, leakedKey } = f.incident;
    await page.getByRole('tab', { name: /^Findings/ }).click();
    const findings = page.getByRole('region', { name: 'Findings' });
    // Findings sit in their incidents (the high and critical ones open).
    const high = findings.getByRole('list', { name: 'Incidents' });
    const backdoor = high.getByRole('listitem', { name: /^high finding:/ }).filter({ has: page.getByRole('button', { name: `Select event ${persistence.eventName} ${persistence.eventId}` }) });
    await backdoor.waitFor({ timeout: 10_000 });
    assert.match(await backdoor.getByRole('heading').innerText(), new RegExp(`${persistence.eventName} for user ${persistence.targetUserName}`));
    const offInstance = high.getByRole('listitem', { name: /^high finding:/ }).filter({ hasText: `Credentials of ${stolen.instanceId} used from ${stolen.usedFromIp}` });
    await offInstance.waitFor();
    await keepScreenshot(page, 'findings');

    // The finding's event is selected and shown; its actor narrows the timeline.
    await backdoor.getByRole('button', { name: `Select event ${persistence.eventName} ${persistence.eventId}` }).click();
    await page.getByRole('region', { name: 'Details' }).getByText(persistence.eventId).first().waitFor();
    await page.getByRole('tab', { name: /^Findings/ }).click();
    await backdoor.getByRole('button', { name: `Show events of user/${leakedKey.userName}` }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    assert.equal(await timeline.getByLabel('Actor').inputValue(), leakedKey.userArn);
  });
  await page.close();
});
