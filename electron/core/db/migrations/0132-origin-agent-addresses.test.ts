// Migration 132 on a case of the previous version: the addresses each instance's SSM agent called from
// move from a facet of each credential to a roll-up of the instance (its sessions' origin), the same
// rows the refresh keeps afterwards; the credentials' facets, stored and of single calls, no longer
// hold them; and the instance's known addresses stay what they were.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase, type CaseDb } from '../open-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { chainCutsAsText } from '../../../../test-support/chain-cuts-as-text.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { instanceAddresses } from '../../analysis/attribution/instance-addresses.ts';

const A = '111122223333';
const INSTANCE = 'i-0a1b2c3d4e5f60789';
let n = 0;
const call = (key: string, time: string, ip: string, name: string, source: string, error?: string) => ({
  eventVersion: '1.10', eventID: `ev-${++n}`, eventTime: time, eventSource: source, eventName: name, awsRegion: 'eu-west-1',
  sourceIPAddress: ip, userAgent: 'amazon-ssm-agent/3.3', recipientAccountId: A, ...(error ? { errorCode: error } : {}),
  userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web-role/${INSTANCE}`, accountId: A, accessKeyId: key,
    principalId: `AROA3V4QW7ZXWEBROLE1:${INSTANCE}`,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/web-role`, accountId: A } } },
});

const agentRows = (db: CaseDb) => db.prepare(`SELECT o.origin_key, s.value, f.first_seen, f.count FROM origin_facet_rows f
  JOIN origins o ON o.id = f.origin JOIN strings s ON s.id = f.value WHERE f.facet = 'agent-ip' ORDER BY 1, 2`).raw().all();

test('a version 131 case keeps its instances\' agent addresses per instance, equal to what the refresh keeps', (t) => {
  const c = tempCase('migration-132');
  t.after(() => c.cleanup());
  loadRecords(c.db, [
    // A session of one call (its facets read from its event), a longer one (stored facets), a refused agent call (not the agent's address).
    call('ASIA3V4QW7ZXINST0001', '2025-03-10T01:00:00Z', '10.0.1.5', 'UpdateInstanceInformation', 'ssm.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0002', '2025-03-10T02:00:00Z', '10.0.1.6', 'AcknowledgeMessage', 'ec2messages.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0002', '2025-03-10T02:01:00Z', '10.0.1.6', 'GetMessages', 'ec2messages.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0002', '2025-03-10T02:02:00Z', '10.0.1.6', 'DescribeInstances', 'ec2.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0003', '2025-03-10T03:00:00Z', '10.0.1.7', 'UpdateInstanceInformation', 'ssm.amazonaws.com', 'AccessDenied'),
  ]);
  const kept = agentRows(c.db);
  assert.deepEqual(kept.map((r) => (r as unknown[]).slice(1).map(String)), [['10.0.1.5', String(Date.parse('2025-03-10T01:00:00Z')), '1'],
    ['10.0.1.6', String(Date.parse('2025-03-10T02:00:00Z')), '2']]);
  assert.deepEqual(instanceAddresses(c.db, INSTANCE), ['10.0.1.5', '10.0.1.6']);
  // The same case as version 131 left it: the agent's addresses a facet of each credential of several calls, and of the view.
  chainCutsAsText(c.db);
  schemaAt(c.db, 131);
  // Written once the roll-ups are as version 131 kept them (their values as text, before migration 0139).
  c.db.exec(`DELETE FROM origin_facet_rows WHERE facet = 'agent-ip';
    INSERT INTO actor_facet_rows (actor, facet, value, count, errors, first_seen, last_seen)
      SELECT ea.actor, 'agent-ip', s.value, count(*), 0, min(e.event_time), max(e.event_time) FROM event_actors ea JOIN event_rows e ON e.id = ea.event
        JOIN strings s ON s.id = e.source_ip JOIN actor_rows a ON a.id = ea.actor
      WHERE a.only_event IS NULL AND e.error_code IS NULL AND s.value LIKE '10.%' AND e.event_source = (SELECT id FROM strings WHERE value = 'ec2messages.amazonaws.com')
      GROUP BY ea.actor, s.value`);
  assert.equal(c.db.prepare(`SELECT count(*) FROM actor_facets WHERE facet = 'agent-ip'`).pluck().get(), 2, 'one stored, one of a single call');
  c.db.pragma('user_version = 131');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(agentRows(db), kept);
  assert.equal(db.prepare(`SELECT count(*) FROM actor_facets WHERE facet = 'agent-ip'`).pluck().get(), 0);
  assert.deepEqual(instanceAddresses(db, INSTANCE), ['10.0.1.5', '10.0.1.6']);
});
