// CloudTrail as Amazon Security Lake keeps it (OCSF events, exported as JSON Lines, saved from Athena's
// console as CSV, printed by get-query-results, or in its own Parquet) reads as the CloudTrail it was made from: the real samples' records give the same columns, and a generated
// account's records the same people behind every call, chains of assumed roles included.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { readOutput } from '../../../tools/gen/read-output.ts';
import { generatedWithCases } from '../../../test-support/generated-cases.ts';
import { allStratusRecords, awsdocsRecords } from '../../../test-support/real-samples.ts';
import { asAthenaCsv, asAthenaQueryResults, asSecurityLakeOcsf, flowAsSecurityLakeOcsf } from '../../../test-support/security-lake-ocsf.ts';
import { writeParquet } from '../../../test-support/parquet-files.ts';
import { readInput } from '../../../test-support/read-input.ts';
import { flowRecordsAsText } from '../../../test-support/temp-case.ts';
import type { CaseDb } from '../db/open-case.ts';
import { reshapeExported } from './parse/exported/exported-record.ts';
import { normalizeCloudTrailRecord } from './normalize/index.ts';
import { ingestPaths } from './pipeline.ts';
import { prepareFindings } from './prepare-batch.ts';

const { gen, cases } = generatedWithCases('security-lake', 'records', 'ocsf', 'ocsf-parquet', 'flows', 'ocsf-flows', 'ocsf-flows-parquet', 'ocsf-csv', 'ocsf-flows-csv', 'ocsf-query-results');

/** Flow record fields OCSF has no place for: Security Lake does not keep them. */
const FLOW_FIELDS_NOT_MAPPED = ['trafficPath', 'sublocationType', 'sublocationId'];


/**
 * Columns OCSF has no place for, so Security Lake does not keep them: the session's source identity
 * and the identity store user a call was made on behalf of (OCSF 1.1 maps neither), and the search
 * text made of every value of the record.
 */
const NOT_MAPPED = new Set(['sourceIdentity', 'onBehalfOf', 'searchText']);

function columns(record: unknown): Record<string, unknown> | string {
  const n = normalizeCloudTrailRecord(record);
  if (!n.ok) return n.reason;
  // A record without an eventID is known by a hash of its content, which OCSF does not keep whole.
  const derived = n.value.eventId.startsWith('derived-');
  const kept = Object.entries(n.value).filter(([k]) => !NOT_MAPPED.has(k) && !(derived && k === 'eventId'));
  return { ...Object.fromEntries(kept), resources: n.value.resources.map((r) => `${r.id} ${r.touch}`) };
}

/** Every event's id with the person (or service) behind it, as the case resolved them. */
function whoIsBehind(db: CaseDb): string[] {
  return (db.prepare(`SELECT e.event_id || ' ' || o.label AS who FROM events e JOIN event_actors a ON a.event = e.id JOIN origins o ON o.id = a.origin ORDER BY e.event_id`).pluck().all() as string[]);
}

describe('CloudTrail from Security Lake (OCSF)', () => {
  it('each real sample record, mapped to OCSF as Security Lake maps it, reads back to the same columns', () => {
    const samples = [...allStratusRecords(), ...awsdocsRecords()];
    assert.ok(samples.length > 100, `${samples.length} samples`);
    let compared = 0;
    for (const { file, record } of samples) {
      const original = columns(record);
      if (typeof original === 'string') continue; // a sample the reader refuses as CloudTrail too
      const reshaped = reshapeExported(asSecurityLakeOcsf(record as Record<string, unknown>));
      assert.ok(reshaped, file);
      assert.deepEqual(columns(reshaped.record), original, file);
      compared++;
    }
    assert.ok(compared > 100, `${compared} compared`);
  });

  it("a generated account's records exported from Security Lake, and in its Parquet: the same events, and the same person behind each", async () => {
    const out = join(gen, 'account');
    await generateAccount({ events: 3_000, flows: 2_000, out, seed: 44 });
    const records = readOutput(out).records;
    const ocsf = join(gen, 'security-lake.ndjson');
    writeFileSync(ocsf, records.map((r) => JSON.stringify(asSecurityLakeOcsf(r))).join('\n'));
    const original = join(gen, 'records.ndjson');
    writeFileSync(original, records.map((r) => JSON.stringify(r)).join('\n'));
    const [a, b] = [await ingestPaths(cases[0].db, [original]), await ingestPaths(cases[1].db, [ocsf])];
    assert.deepEqual(b.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.equal(b.events, a.events);
    const expected = whoIsBehind(cases[0].db);
    assert.equal(expected.length, a.events);
    assert.deepEqual(whoIsBehind(cases[1].db), expected);
    const readAs = cases[1].db.prepare('SELECT read_as FROM sources').pluck().get() as string;
    assert.match(readAs, /Security Lake \(OCSF\) CloudTrail event: record rebuilt from OCSF fields/);

    // The same events as Security Lake stores them: Parquet, each OCSF object a struct column.
    const parquet = join(gen, 'security-lake.parquet');
    await writeParquet(parquet, `SELECT * FROM read_json('${ocsf}', format = 'newline_delimited', sample_size = -1)`, { codec: 'ZSTD', rowGroupSize: 1_000 });
    const c = await ingestPaths(cases[2].db, [parquet]);
    assert.deepEqual(c.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.deepEqual(whoIsBehind(cases[2].db), expected);

    // And as Athena's console saves a query of that table: CSV, each struct printed as text.
    const csv = join(gen, 'security-lake.csv');
    writeFileSync(csv, asAthenaCsv(records.map(asSecurityLakeOcsf)));
    const d = await ingestPaths(cases[6].db, [csv]);
    assert.deepEqual(d.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.deepEqual(whoIsBehind(cases[6].db), expected);

    // And as `aws athena get-query-results` prints that query.
    const results = join(gen, 'security-lake-results.json');
    writeFileSync(results, JSON.stringify(asAthenaQueryResults(records.map(asSecurityLakeOcsf))));
    const e = await ingestPaths(cases[8].db, [results]);
    assert.deepEqual(e.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.deepEqual(whoIsBehind(cases[8].db), expected);
  });

  it("a generated account's VPC flow logs from Security Lake, as JSON Lines and in its Parquet: the same flow records", async () => {
    const out = join(gen, 'account');
    const { files, flows } = readOutput(out);
    assert.equal(flows.length, 2_000);
    const text = files.filter((f) => f.endsWith('.log.gz')).map((f) => join(out, f));
    await ingestPaths(cases[3].db, text);
    const expected = flowRecordsAsText(cases[3].db, FLOW_FIELDS_NOT_MAPPED);
    assert.equal(expected.length, 2_000);
    const ocsf = join(gen, 'security-lake-flows.ndjson');
    writeFileSync(ocsf, flows.map((f) => JSON.stringify(flowAsSecurityLakeOcsf(f))).join('\n'));
    const fromJson = await ingestPaths(cases[4].db, [ocsf]);
    assert.deepEqual(fromJson.sources.map((x) => [x.kind, x.status, x.rejectedRecords]), [['flowlog', 'done', 0]]);
    assert.deepEqual(flowRecordsAsText(cases[4].db, FLOW_FIELDS_NOT_MAPPED), expected);
    const parquet = join(gen, 'security-lake-flows.parquet');
    await writeParquet(parquet, `SELECT * FROM read_json('${ocsf}', format = 'newline_delimited', sample_size = -1)`, { codec: 'ZSTD', rowGroupSize: 500 });
    const fromParquet = await ingestPaths(cases[5].db, [parquet]);
    assert.deepEqual(fromParquet.sources.map((x) => [x.kind, x.status, x.rejectedRecords]), [['flowlog', 'done', 0]]);
    assert.deepEqual(flowRecordsAsText(cases[5].db, FLOW_FIELDS_NOT_MAPPED), expected);
    const csv = join(gen, 'security-lake-flows.csv');
    writeFileSync(csv, asAthenaCsv(flows.map(flowAsSecurityLakeOcsf)));
    const fromCsv = await ingestPaths(cases[7].db, [csv]);
    assert.deepEqual(fromCsv.sources.map((x) => [x.kind, x.status, x.rejectedRecords]), [['flowlog', 'done', 0]]);
    assert.deepEqual(flowRecordsAsText(cases[7].db, FLOW_FIELDS_NOT_MAPPED), expected);
    for (const c of [cases[4], cases[5], cases[7]]) {
      assert.match(c.db.prepare('SELECT read_as FROM sources').pluck().get() as string, /^Security Lake \(OCSF\) VPC flow log events: flow fields from OCSF, without the traffic path and sublocation/);
    }
  });

  it('a Security Lake flow event with values no flow record holds is rejected by its line; the rest are read', async () => {
    const good = { 'account-id': '111122223333', 'interface-id': 'eni-1', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', srcport: '443', dstport: '5000', protocol: '6', packets: '3', bytes: '120', start: '1700000000', end: '1700000060', action: 'ACCEPT', 'log-status': 'OK' };
    type Event = { traffic: Record<string, unknown>; dst_endpoint: Record<string, unknown>; src_endpoint: Record<string, unknown>; start_time: unknown };
    const event = (change: (e: Event) => void) => {
      const e = flowAsSecurityLakeOcsf(good) as unknown as Event;
      change(e);
      return JSON.stringify(e);
    };
    const path = join(gen, 'hostile-flows.ndjson');
    writeFileSync(path, [
      event(() => {}),
      event((e) => (e.traffic.bytes = -5)),
      event((e) => (e.dst_endpoint.port = 'ssh')),
      event((e) => (e.start_time = 9e18)),
      event((e) => (e.traffic.packets = 1.5)),
      event((e) => (e.src_endpoint.ip = { nested: true })),
    ].join('\n'));
    const { kind, batches } = await readInput(path);
    assert.equal(kind, 'flowlog');
    const flows = batches.flatMap((b) => (b.type === 'flows' ? [b] : []));
    assert.equal(flows.reduce((n, b) => n + b.records.length, 0), 2, 'the good event, and the one whose address is no text (left empty)');
    assert.deepEqual(flows.flatMap((b) => b.rejected), [
      { position: 'line 2', reason: 'bytes is not a number' },
      { position: 'line 3', reason: 'dstport is not a number' },
      { position: 'line 4', reason: 'start is past the last date a time can hold' },
      { position: 'line 5', reason: 'packets is not a number' },
    ]);
  });

  it("Security Lake's findings saved from Athena as CSV, or printed by get-query-results, read as the same findings in JSON", async () => {
    const fixture = join(import.meta.dirname, 'parse', 'detectors', 'fixtures', 'security-lake-findings.jsonl');
    const findings = readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.class_uid !== 6003);
    const normalized = async (path: string) => {
      const { kind, batches } = await readInput(path);
      const found = batches.flatMap((b) => (b.type === 'findings' ? b.findings : []));
      const { rows, rejected } = prepareFindings(found, batches.flatMap((b) => (b.type === 'findings' ? b.rejected : [])));
      return { kind, rejected, rows: rows.map(({ raw: _raw, ...finding }) => finding) };
    };
    const json = join(gen, 'findings.ndjson');
    writeFileSync(json, findings.map((f) => JSON.stringify(f)).join('\n'));
    const csv = join(gen, 'findings.csv');
    writeFileSync(csv, asAthenaCsv(findings));
    const results = join(gen, 'findings-results.json');
    writeFileSync(results, JSON.stringify(asAthenaQueryResults(findings)));
    const expected = await normalized(json);
    assert.equal(expected.rows.length, 2);
    for (const path of [csv, results]) {
      const got = await normalized(path);
      assert.deepEqual([got.kind, got.rejected], ['findings:ocsf', []], path);
      assert.deepEqual(got.rows, expected.rows, path);
    }
  });

  it("what Security Lake leaves in `unmapped` under CloudTrail's names is put back, never over a mapped field", () => {
    const event = {
      class_uid: 3002,
      metadata: { product: { name: 'CloudTrail', version: '1.08' }, uid: 'e0c9a7b2-1f3d-4c5e-9a8b-7c6d5e4f3a21' },
      time: 1_709_294_400_000,
      api: { operation: 'ConsoleLogin', service: { name: 'signin.amazonaws.com' } },
      user: { type: 'IAMUser', uid: 'arn:aws:iam::111122223333:user/alice', uid_alt: 'AIDAQ4ALICEKJ7UPH2NX', name: 'alice', account: { uid: '111122223333' } },
      src_endpoint: { ip: '203.0.113.10' },
      unmapped: {
        'responseElements.ConsoleLogin': 'Failure',
        'additionalEventData.MFAUsed': 'No',
        errorMessage: 'Failed authentication',
        readOnly: 'false',
        eventName: 'NotTheOperation',
        'userIdentity.arn': 'arn:aws:iam::111122223333:user/mallory',
      },
    };
    // A name from the data that would be the prototype if it were assigned.
    const text = JSON.stringify(event).replace('"unmapped":{', '"unmapped":{"__proto__":{"polluted":true},');
    const reshaped = reshapeExported(JSON.parse(text) as Record<string, unknown>);
    assert.ok(reshaped);
    const r = reshaped.record;
    assert.deepEqual([r.eventName, r.responseElements, r.additionalEventData, r.errorMessage, r.readOnly], ['ConsoleLogin', { ConsoleLogin: 'Failure' }, { MFAUsed: 'No' }, 'Failed authentication', false]);
    assert.deepEqual(r.userIdentity, { type: 'IAMUser', principalId: 'AIDAQ4ALICEKJ7UPH2NX', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' });
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
