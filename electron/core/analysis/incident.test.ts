// End to end on the generator's planted incident: ingest what tools/gen writes, ask the engine the
// investigator's questions, and check the answers against the ground truth in incident.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { memoryCase } from '../../../test-support/case-fixtures.ts';
import { whoChanged } from './history/who-changed.ts';
import { actorReport } from './attribution/actor-report.ts';
import { remoteAccessChains } from './flows/flows-query.ts';
import { timelinePage } from './timeline/timeline-query.ts';
import { graphAt } from './graph/graph-at.ts';
import { findings } from './findings/findings.ts';
import { CONNECTIONS_RULE } from './findings/opening-connections.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-incident-'));
await generateAccount({ out: dir, events: 3000, flows: 3000, seed: 7 });
const truth = JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8'));
const db = memoryCase();
await ingestPaths(db, [join(dir, 'AWSLogs'), join(dir, 'config')]);
rmSync(dir, { recursive: true, force: true });

test('who opened SSH on the prod web group: the leaked key behind the admin role session', () => {
  const r = whoChanged(db, truth.openPort.groupId);
  const item = r.items.find((i) => i.eventId === truth.openPort.eventId);
  assert.ok(item, 'the planted AuthorizeSecurityGroupIngress is listed');
  assert.equal(item.actor.arn, truth.openPort.sessionArn);
  assert.equal(item.actor.origin.id, truth.leakedKey.userArn);
  assert.equal(item.actor.origin.proven, true);
  assert.equal(item.actor.chain[0].issuedBy?.eventId, truth.assumeRole.eventId);
  assert.equal(item.actor.chain[1].accessKeyId, truth.assumeRole.callerAccessKeyId);
  assert.equal(item.change.kind, 'security-group-rules');
  if (item.change.kind === 'security-group-rules') {
    const rule = item.change.added[0];
    assert.deepEqual([rule.ruleId, rule.protocol, rule.fromPort, rule.toPort, rule.cidr], [truth.openPort.ruleId, 'tcp', 22, 22, truth.openPort.cidr]);
  }
});

test('the SSH flow from the attacker is traced to the rule, the call that added it and the leaked key', () => {
  const chains = remoteAccessChains(db, { port: 22 });
  const c = chains.find((x) => x.flow.srcaddr === truth.sshFlows.srcIp && x.flow.interfaceId === truth.sshFlows.interfaceId);
  assert.ok(c, 'the attacker flow is among the remote-access flows');
  assert.equal(c.rule?.groupId, truth.openPort.groupId);
  assert.equal(c.rule?.rule.ruleId, truth.openPort.ruleId);
  assert.equal(c.ruleEvent?.eventId, truth.openPort.eventId);
  assert.equal(c.actor?.origin.id, truth.leakedKey.userArn);
});

test('the connections the opening let in: the attacker\'s SSH session first, to the instance he later terminated, then the scanners', () => {
  const connections = findings(db).findings.find((f) => f.rule?.id === CONNECTIONS_RULE && f.eventIds.includes(truth.openPort.eventId));
  assert.ok(connections, 'a finding of the connections, on the opening\'s call');
  assert.equal(connections.sourceIPAddress, truth.sshFlows.srcIp);
  assert.equal(connections.severity, 'critical', 'through a port opened on production, as the opening is');
  assert.equal(connections.actor?.origin.id, truth.leakedKey.userArn);
  // The internet's scanners knocked on the open port too: the session that moved data comes first.
  const addresses = 1 + truth.sshFlows.knocks.length;
  assert.ok(connections.detail.startsWith(`Accepted flows from ${addresses} addresses outside came in through the opening while it was open, to ${truth.victimInstance.instanceId} (${truth.victimInstance.name})`), connections.detail);
  assert.ok(connections.detail.includes(`the most data first: ${truth.sshFlows.srcIp} (${truth.sshFlows.inboundAccepted} records`), connections.detail);
  assert.ok(connections.detail.includes(`; and ${addresses - 3} more.`), connections.detail);
});

test('the scans: the intruder\'s look at the neighbour from the instance, the neighbour named by its snapshot, joins the instance\'s incident; the scan from outside is low and alone', () => {
  const all = findings(db).findings;
  const scans = all.filter((f) => f.kind === 'port-scan');
  const lateral = scans.find((f) => f.sourceIPAddress === truth.lateralScan.srcIp);
  assert.ok(lateral, scans.map((f) => f.title).join('\n'));
  assert.equal(lateral.title, `Port scan from ${truth.lateralScan.srcIp} (${truth.victimInstance.instanceId} (${truth.victimInstance.name})): ${truth.lateralScan.distinctDstPorts} ports of ${truth.lateralScan.dstIp} (${truth.lateralScan.dstInstanceId} (${truth.lateralScan.dstName}))`);
  assert.equal(lateral.severity, 'medium');
  assert.equal(lateral.firstTime, truth.lateralScan.first.replace('Z', '.000Z'));
  assert.equal(lateral.actor?.origin.id, truth.victimInstance.instanceId);
  const stolen = all.find((f) => f.kind === 'instance-credentials-off-instance' && f.actor?.origin.id === truth.victimInstance.instanceId);
  assert.ok(stolen && stolen.incident !== undefined);
  assert.equal(lateral.incident, stolen.incident, 'one incident: the instance\'s');
  const outside = scans.find((f) => f.sourceIPAddress === truth.portScan.srcIp);
  assert.equal(outside?.title, `Port scan from outside: ${truth.portScan.srcIp} tried ${truth.portScan.distinctDstPorts} ports of ${truth.victimInstance.privateIp} (${truth.victimInstance.instanceId} (${truth.victimInstance.name}))`);
  assert.equal(outside.severity, 'low');
  assert.equal(outside.count, truth.portScan.records);
  assert.equal(scans.length, 2, 'nothing else in the account\'s traffic reads as a scan');
});

test('stolen instance credentials: traced to the instance and flagged at the attacker address', () => {
  const s = truth.stolenInstanceCredentials;
  const r = actorReport(db, s.accessKeyId);
  assert.ok(r);
  assert.equal(r.actor.origin.kind, 'instance');
  assert.equal(r.actor.origin.id, s.instanceId);
  const flagged = r.flags.filter((f) => f.kind === 'instance-credentials-off-instance').map((f) => f.kind === 'instance-credentials-off-instance' && f.sourceIp);
  assert.deepEqual(flagged, [s.usedFromIp]);
  const names = new Set(r.eventNames.map((n) => n.value));
  for (const u of s.externalUses) assert.ok(names.has(u.eventName));
});

test('the timeline for the leaked key shows its first use and the persistence key creation', () => {
  const rows = timelinePage(db, { actor: truth.leakedKey.accessKeyId, from: truth.firstUse.time, limit: 5000 }).rows;
  assert.equal(rows[0].eventId, truth.firstUse.eventId);
  assert.ok(rows.some((r) => r.eventId === truth.persistence.eventId));
  // Through the origin, the role session's calls count too.
  const all = timelinePage(db, { actor: truth.leakedKey.userArn, from: truth.firstUse.time, limit: 5000 }).rows;
  assert.ok(all.some((r) => r.eventId === truth.openPort.eventId));
  assert.ok(all.some((r) => r.eventId === truth.terminate.eventId));
});

test('the account graph at the moment SSH was opened: who changed the group, from where, and who connected', () => {
  const g = graphAt(db, { at: truth.openPort.time });
  const has = (kind: string, source: string, target: string) => g.edges.find((e) => e.kind === kind && e.source === source && e.target === target);
  assert.ok(has('acted-on', truth.openPort.sessionArn, truth.openPort.groupId), 'the admin session changed the web group');
  assert.ok((has('source-ip', `ip/${truth.attacker.ip}`, truth.leakedKey.userArn)?.eventCount ?? 0) > 0, 'the leaked key was used from the attacker address');
  assert.equal(has('connected', `ip/${truth.sshFlows.srcIp}`, truth.sshFlows.interfaceId), undefined, 'no SSH yet at that moment');
  const later = graphAt(db, { at: truth.sshFlows.last });
  assert.ok(later.edges.some((e) => e.kind === 'connected' && e.source === `ip/${truth.sshFlows.srcIp}` && e.target === truth.sshFlows.interfaceId));
  const before = graphAt(db, { at: truth.firstUse.time }).nodes.find((n) => n.id === truth.openPort.groupId)?.eventCount ?? 0;
  const whole = graphAt(db).nodes.find((n) => n.id === truth.openPort.groupId)?.eventCount ?? 0;
  assert.ok(before < whole, `counts stop at T (${before} before first use, ${whole} in the whole case)`);
});
