// The workbench's flow and findings calls, through the same gate both transports use (contract
// names, zod-parsed inputs, Result values), on the generator's planted incident.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openCase } from '../db/open-case.ts';
import { openWorkbench } from './open-workbench.ts';
import type { FlowList, RemoteAccessChain, FindingsResult } from '../../../shared/api/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-flows-api-'));
await generateAccount({ out: join(dir, 'data'), events: 2000, flows: 800, seed: 3 });
const truth = JSON.parse(readFileSync(join(dir, 'data', 'incident.json'), 'utf8'));
const casePath = join(dir, 'api.case');
const db = openCase(casePath);
await ingestPaths(db, [join(dir, 'data', 'AWSLogs'), join(dir, 'data', 'config')]);
db.close();
const wb = openWorkbench(casePath);
after(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function value<T>(name: string, input: unknown): Promise<T> {
  const r = await wb.dispatch(name, input);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as T;
}

test('flows:list of the scanned interface: the scanner is one peer, many ports, all rejected, marked as a scan', async () => {
  const list = await value<FlowList>('flows:list', { eni: truth.portScan.interfaceId });
  assert.deepEqual(list.interfaces, [truth.portScan.interfaceId]);
  const scanner = list.peers.find((p) => p.peerAddress === truth.portScan.srcIp);
  assert.ok(scanner, 'the scanner is a peer of the interface');
  assert.equal(scanner.portCount, truth.portScan.distinctDstPorts);
  assert.equal(scanner.accepted, 0);
  assert.equal(scanner.rejected, truth.portScan.records);
  assert.equal(scanner.scanLike, true);
  assert.equal(list.peers[0].peerAddress, truth.portScan.srcIp, 'scans come first');
  // The SSH client is no scan: one port, accepted.
  const ssh = list.peers.find((p) => p.peerAddress === truth.sshFlows.srcIp && p.direction === 'inbound');
  assert.ok(ssh && ssh.accepted > 0 && !ssh.scanLike && ssh.ports.includes(22));
  const scanConversations = list.conversations.filter((c) => c.peerAddress === truth.portScan.srcIp);
  assert.equal(new Set(scanConversations.map((c) => c.port)).size, truth.portScan.distinctDstPorts);
});

test('flows:list of an instance covers its interfaces, of an address only that peer; a port narrows it', async () => {
  const byInstance = await value<FlowList>('flows:list', { instance: truth.victimInstance.instanceId });
  assert.ok(byInstance.interfaces.includes(truth.victimInstance.interfaceId));
  assert.ok(byInstance.peers.some((p) => p.peerAddress === truth.portScan.srcIp));
  const byIp = await value<FlowList>('flows:list', { ip: truth.portScan.srcIp });
  assert.ok(byIp.peers.length >= 1 && byIp.peers.every((p) => p.peerAddress === truth.portScan.srcIp));
  const port22 = await value<FlowList>('flows:list', { ip: truth.sshFlows.srcIp, port: 22 });
  assert.ok(port22.conversations.length > 0 && port22.conversations.every((c) => c.port === 22));
  const limited = await value<FlowList>('flows:list', { eni: truth.portScan.interfaceId, limit: 5 });
  assert.equal(limited.conversations.length, 5);
  assert.equal(limited.truncated, true);
});

test('flows:chains: the accepted SSH flow → the rule → the call that added it → the leaked key owner', async () => {
  const chains = await value<RemoteAccessChain[]>('flows:chains', { eni: truth.sshFlows.interfaceId });
  const chain = chains.find((c) => c.flow.srcaddr === truth.sshFlows.srcIp && c.flow.dstport === 22);
  assert.ok(chain, JSON.stringify(chains));
  assert.equal(chain.rule?.rule.ruleId, truth.openPort.ruleId);
  assert.equal(chain.rule?.groupId, truth.openPort.groupId);
  assert.equal(chain.ruleEvent?.eventId, truth.openPort.eventId);
  assert.equal(chain.actor?.origin.id, truth.leakedKey.userArn);
  // The scanner's rejected probes are no chain.
  assert.ok(chains.every((c) => c.flow.srcaddr !== truth.portScan.srcIp));
});

test('findings:list has the backdoor key and the stolen instance credentials, and narrows by actor', async () => {
  const all = await value<FindingsResult>('findings:list', {});
  const persistence = all.findings.find((f) => f.eventIds.includes(truth.persistence.eventId));
  assert.ok(persistence, 'the CreateAccessKey for another user is a finding');
  assert.equal(persistence.severity, 'high');
  const stolen = all.findings.find((f) => f.kind === 'instance-credentials-off-instance' && f.sourceIPAddress === truth.stolenInstanceCredentials.usedFromIp);
  assert.ok(stolen, 'the instance key used off the instance is a finding');
  const mine = await value<FindingsResult>('findings:list', { actor: truth.leakedKey.userArn });
  assert.ok(mine.findings.length > 0 && mine.findings.length < all.findings.length);
  assert.ok(mine.findings.every((f) => f.actor?.origin.id === truth.leakedKey.userArn || f.actor?.chain.some((l) => l.id === truth.leakedKey.userArn)));
});

test('the flow calls refuse ids of the wrong shape; a question about no one place is answered within its limit', async () => {
  const all = await wb.dispatch('flows:list', { port: 22, limit: 5 });
  assert.ok(all.ok, JSON.stringify(all));
  if (all.ok) assert.ok((all.value as { conversations: unknown[] }).conversations.length <= 5);
  for (const input of [{ eni: "eni-1' OR 1=1" }, { instance: 'sg-0123abcd' }, { ip: '<script>' }, { limit: 100000 }]) {
    const r = await wb.dispatch('flows:list', input);
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.equal(r.error.kind, 'invalid-input');
  }
  const r = await wb.dispatch('findings:list', { from: 'yesterday' });
  assert.equal(r.ok, false);
});
