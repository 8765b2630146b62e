// Every real CloudTrail sample either normalizes or is rejected with a reason; nothing throws, and
// every row is well-formed (valid resource types and touches, bounded search text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESOURCE_TYPES } from '../../../../shared/resource-ids.ts';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
import { allStratusRecords, awsdocsRecords, pantherEvents, readJson, streamalertEvents } from '../../../../test-support/real-samples.ts';

const TOUCHES = new Set(['created', 'modified', 'deleted', 'read', 'used', 'attached', 'detached']);
const TYPES = new Set<string>(RESOURCE_TYPES);

function check(samples: { file: string; record: unknown }[]): { ok: number; derived: number; rejected: Record<string, number> } {
  let ok = 0;
  let derived = 0;
  const rejected: Record<string, number> = {};
  for (const { file, record } of samples) {
    const res = normalizeCloudTrailRecord(record);
    if (!res.ok) {
      assert.ok(res.reason.length > 0, file);
      rejected[res.reason] = (rejected[res.reason] ?? 0) + 1;
      continue;
    }
    ok++;
    const e = res.value;
    if (e.eventIdDerived) derived++;
    assert.equal(e.eventIdDerived, /^derived-[0-9a-f]{32}$/.test(e.eventId), file);
    assert.ok(Number.isFinite(e.eventTime), file);
    assert.ok(e.searchText.length <= 2048, file);
    assert.ok(e.searchText.includes(e.eventName), file);
    const ids = new Set<string>();
    for (const r of e.resources) {
      assert.ok(TYPES.has(r.type), `${file}: ${r.type}`);
      assert.ok(TOUCHES.has(r.touch), `${file}: ${r.touch}`);
      assert.ok(!ids.has(r.id), `${file}: ${r.id} twice`);
      ids.add(r.id);
    }
    if (e.issuedCredentials.length > 0) assert.equal(e.errorCode, null, file);
  }
  return { ok, derived, rejected };
}

describe('all real samples', () => {
  it('stratus-red-team: all 310 records normalize', () => {
    const samples = allStratusRecords();
    assert.equal(samples.length, 310);
    assert.deepEqual(check(samples), { ok: 310, derived: 0, rejected: {} });
  });

  it('awsdocs: old versions without eventID get derived ids; fragments are rejected with reasons', () => {
    // Before derived ids, 5 eventVersion 1.0 records were rejected for lacking eventID.
    assert.deepEqual(check(awsdocsRecords()), { ok: 19, derived: 10, rejected: { 'record has no eventTime': 6, 'record has no eventSource': 3 } });
  });

  it('panther: test events normalize unless they lack eventTime; missing or placeholder eventIDs ("1", "...") are derived', () => {
    const samples = pantherEvents();
    assert.ok(samples.length > 300);
    const { ok, derived, rejected } = check(samples);
    assert.equal(ok, 312);
    assert.equal(derived, 179);
    for (const reason of Object.keys(rejected)) assert.match(reason, /eventTime/);
  });

  it('streamalert: redacted times ("...") are rejected, the rest normalize', () => {
    const { ok, rejected } = check(streamalertEvents());
    assert.ok(ok >= 40);
    assert.ok((rejected['record has an unparseable eventTime'] ?? 0) > 0);
  });

  it('trailscraper: the S3-delivered file', () => {
    const file = readJson('trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json') as { Records: unknown[] };
    assert.deepEqual(check(file.Records.map((record) => ({ file: 'trailscraper', record }))), { ok: 2, derived: 0, rejected: {} });
  });
});
