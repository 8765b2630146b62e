// The planted incident again, with the flow logs in AWS's default format (version 2: no direction, TCP
// flags, vpc-id, subnet-id or instance-id), as most accounts create them. The instance the intruder
// terminated is gone from the snapshots taken after, so nothing in the case names its interface's
// groups or network but the address its records were logged with: the connections through the
// opening are still found, by the subnet that address lies in, and nothing in the account's everyday
// traffic reads as a scan without the flags that tell a connection's sides apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { memoryCase } from '../../../test-support/case-fixtures.ts';
import { remoteAccessChains } from './flows/flows-query.ts';
import { flowRecords } from './flows/flow-records.ts';
import { findings } from './findings/findings.ts';
import { CONNECTIONS_RULE } from './findings/opening-connections.ts';

/** The incident's case with version 2 flow logs, with or without the configuration snapshots. */
async function incidentCase(config: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-incident-v2-'));
  await generateAccount({ out: dir, events: 3000, flows: 3000, seed: 7, shape: { flowVersion: 2, config } });
  const truth = JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8'));
  const db = memoryCase();
  await ingestPaths(db, [join(dir, 'AWSLogs'), ...(config ? [join(dir, 'config')] : [])]);
  rmSync(dir, { recursive: true, force: true });
  return { db, truth, all: findings(db).findings };
}
const { db, truth, all } = await incidentCase(true);

test('the records are version 2: no direction, flags or network of their own', () => {
  const { records } = flowRecords(db, {}, 5000);
  assert.equal(records.length, 3000);
  assert.deepEqual([...new Set(records.map((r) => r.version))], [2]);
  assert.ok(records.every((r) => r.flowDirection === null && r.tcpFlags === null && r.vpcId === null && r.instanceId === null));
});

test('the SSH flow from the attacker is traced to the rule, the call that added it and the leaked key', () => {
  const c = remoteAccessChains(db, { port: 22 }).find((x) => x.flow.srcaddr === truth.sshFlows.srcIp && x.flow.interfaceId === truth.sshFlows.interfaceId);
  assert.ok(c, 'the attacker flow is among the remote-access flows');
  assert.equal(c.rule?.groupId, truth.openPort.groupId);
  assert.equal(c.ruleEvent?.eventId, truth.openPort.eventId);
  assert.equal(c.actor?.origin.id, truth.leakedKey.userArn);
  assert.ok(c.gaps.some((g) => g.includes(`the best match among`) && g.includes(truth.victimInstance.vpcId)), c.gaps.join('\n'));
});

test('the connections the opening let in, to an interface the snapshots no longer hold, placed by its address\'s subnet', () => {
  const connections = all.find((f) => f.rule?.id === CONNECTIONS_RULE && f.eventIds.includes(truth.openPort.eventId));
  assert.ok(connections, all.map((f) => f.title).join('\n'));
  assert.equal(connections.sourceIPAddress, truth.sshFlows.srcIp);
  assert.equal(connections.severity, 'critical');
  assert.equal(connections.actor?.origin.id, truth.leakedKey.userArn);
  assert.ok(connections.detail.includes(`to ${truth.victimInstance.interfaceId}, whose groups the case does not record, in the group's ${truth.victimInstance.vpcId} ` +
    `(its address ${truth.victimInstance.privateIp} lies in ${truth.victimInstance.subnetId})`), connections.detail);
  assert.ok(connections.detail.includes(`the most data first: ${truth.sshFlows.srcIp} (${truth.sshFlows.inboundAccepted} records`), connections.detail);
});

test('the scans without flags: the one from outside and the intruder\'s look at the neighbour, and nothing else', () => {
  const scans = all.filter((f) => f.kind === 'port-scan');
  const outside = scans.find((f) => f.sourceIPAddress === truth.portScan.srcIp);
  assert.equal(outside?.title, `Port scan from outside: ${truth.portScan.srcIp} tried ${truth.portScan.distinctDstPorts} ports of ${truth.victimInstance.privateIp}`);
  assert.equal(outside.severity, 'low');
  const lateral = scans.find((f) => f.sourceIPAddress === truth.lateralScan.srcIp);
  assert.equal(lateral?.title, `Port scan from ${truth.lateralScan.srcIp}: ${truth.lateralScan.distinctDstPorts} ports of ${truth.lateralScan.dstIp} (${truth.lateralScan.dstInstanceId} (${truth.lateralScan.dstName}))`);
  assert.equal(lateral.severity, 'medium');
  assert.equal(scans.length, 2, scans.map((f) => f.title).join('\n'));
});

test('without the snapshots too: the interface of no known groups or network that took nothing on port 22 before the opening, the intruder first', async () => {
  const bare = await incidentCase(false);
  const connections = bare.all.find((f) => f.rule?.id === CONNECTIONS_RULE && f.eventIds.includes(bare.truth.openPort.eventId));
  assert.ok(connections, bare.all.map((f) => f.title).join('\n'));
  assert.equal(connections.sourceIPAddress, bare.truth.sshFlows.srcIp);
  assert.equal(connections.actor?.origin.id, bare.truth.leakedKey.userArn);
  assert.ok(connections.detail.includes(`to ${bare.truth.victimInstance.interfaceId}, whose groups and network the case does not record, which took no connection on these ports ` +
    `from outside before the opening, the most data first: ${bare.truth.sshFlows.srcIp} (${bare.truth.sshFlows.inboundAccepted} records`), connections.detail);
  bare.db.close();
});
