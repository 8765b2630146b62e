import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ReaderBatch } from '../types.ts';
import { enumerateInputs, openSource, SourceError } from './index.ts';
import { CLOUDTRAIL_BATCH } from './item-batches.ts';
import { syntheticRecord } from './measure-readers.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-open-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function read(name: string, content: string | Buffer) {
  const path = join(dir, name);
  await writeFile(path, content);
  for await (const input of enumerateInputs([path])) {
    const source = await openSource(input);
    const batches: ReaderBatch[] = [];
    for await (const b of source.batches) batches.push(b);
    return { kind: source.kind, batches, records: batches.flatMap((b) => (b.type === 'cloudtrail' ? b.records : [])), rows: batches.flatMap((b) => (b.type === 'flows' ? b.records.rows() : [])), rejected: batches.flatMap((b) => (b.type === 'config' ? [] : b.rejected)) };
  }
  throw new Error('no input');
}

async function refusal(name: string, content: string | Buffer): Promise<string> {
  try {
    await read(name, content);
  } catch (err) {
    assert.ok(err instanceof SourceError, String(err));
    return err.message;
  }
  assert.fail(`${name} was not refused`);
}

const rec = (id: string, extra: object = {}) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', ...extra });

test('refuses empty, binary, truncated gzip and non-JSON input with specific reasons', async () => {
  assert.equal(await refusal('empty', ''), 'empty file');
  assert.equal(await refusal('blank', '  \n\n'), 'empty file');
  assert.equal(await refusal('gz-empty', gzipSync('')), 'empty file (gzip with no content)');
  const random = Buffer.alloc(8192);
  for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
  assert.equal(await refusal('random', random), 'binary data, not a log or config format');
  const gz = gzipSync(JSON.stringify({ Records: [rec('a'), rec('b')] }));
  assert.equal(await refusal('cut.gz', gz.subarray(0, gz.length - 12)), 'truncated gzip: unexpected end of file');
  // Reasons say where and what kind of fault, never what the file holds (not even a key or a letter).
  assert.equal(await refusal('bad.json', '{"Records": [ {"eventName": x} ]}'), 'invalid JSON at byte 28: unexpected character: a letter');
  assert.equal(await refusal('bad2.json', '{"Records": [ {"eventName" <} ]}'), "invalid JSON at byte 27: expected ':' but found '<'");
  assert.equal(await refusal('policy.json', '{"Version":"2012-10-17","Statement":[]}'), 'unrecognized JSON document (2 top-level keys, none of them one Trailscope reads)');
  assert.equal(await refusal('rule.yml', 'AnalysisType: rule\nTests:\n  - Name: x\n'), 'unrecognized format: YAML or other text');
  assert.equal(await refusal('proj.json', '[{"Name":"web","ID":"sg-1"}]'), 'unrecognized JSON array (first element: an object with 2 keys, not a CloudTrail record)');
  assert.equal(
    await refusal('passwd', 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n'),
    'unrecognized format: text that is neither a VPC flow log nor a credential report (first line: 1 field, 31 characters)',
  );
});

test('reads CloudTrail in its shapes: S3 file, gzip, array, JSON Lines, LookupEvents, EventBridge', async () => {
  const s3 = await read('s3.json.gz', gzipSync(JSON.stringify({ Records: [rec('1'), rec('2'), 'not an object'] })));
  assert.equal(s3.kind, 'cloudtrail');
  assert.deepEqual(s3.records.map((r) => (typeof r === 'object' ? (r as { eventID: string }).eventID : r)), ['1', '2', 'not an object']);

  const lines = await read('lines', `${JSON.stringify(rec('1'))}\n{"eventName": oops}\n\n${JSON.stringify(rec('3'))}\n`);
  assert.equal(lines.records.length, 2);
  assert.equal(lines.rejected.length, 1);
  assert.equal(lines.rejected[0].position, 'line 2');
  assert.match(lines.rejected[0].reason, /^invalid JSON: /);

  const lookup = await read('lookup.json', JSON.stringify({
    Events: [
      { EventId: 'e1', EventTime: 1424476529.0, CloudTrailEvent: JSON.stringify({ eventVersion: '1.02', eventID: 'e1', eventName: 'X' }) },
      { EventId: 'e2', EventTime: '2021-11-18T09:41:02-08:00', CloudTrailEvent: '{broken' },
    ],
  }));
  assert.equal(lookup.kind, 'cloudtrail');
  assert.deepEqual(lookup.records, [{ eventVersion: '1.02', eventID: 'e1', eventName: 'X', eventTime: '2015-02-20T23:55:29Z' }]);
  assert.equal(lookup.rejected[0].position, 'record 2');

  const bridge = await read('bridge.json', JSON.stringify([{ 'detail-type': 'AWS API Call via CloudTrail', detail: rec('eb') }]));
  assert.deepEqual(bridge.records, [rec('eb')]);

  const digest = await read('digest.json', JSON.stringify({ awsAccountId: '1', digestStartTime: 'a', digestEndTime: 'b', logFiles: [] }));
  assert.equal(digest.kind, 'cloudtrail-digest');
  assert.equal(digest.batches.length, 0);
});

test('reads VPC flow logs: default format, headers, comments, NODATA, CloudWatch Logs envelopes', async () => {
  const text = [
    '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
    '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
    '...',
    '2 123456789010 eni-1  10.0.0.1 10.0.0.2 1 abc 6 1 1 1 2 ACCEPT OK',
  ].join('\n');
  const plain = await read('flows.log', text);
  assert.equal(plain.kind, 'flowlog');
  assert.equal(plain.rows.length, 2);
  assert.equal(plain.rows[0].dstport, 22);
  assert.equal(plain.rows[0].startTime, 1418530010000);
  assert.equal(plain.rows[1].srcaddr, null);
  assert.equal(plain.rows[1].logStatus, 'NODATA');
  assert.deepEqual(plain.rejected, [
    { position: 'line 3', reason: '1 field, expected 14' },
    { position: 'line 4', reason: 'dstport is not a number' },
  ]);

  const custom = await read('custom.log.gz', gzipSync('version vpc-id instance-id srcaddr dstaddr tcp-flags flow-direction traffic-path\n5 vpc-1 i-1 10.0.0.1 52.95.1.1 2 egress 8 # to S3\n'));
  assert.deepEqual({ ...custom.rows[0] }, { ...custom.rows[0], version: 5, vpcId: 'vpc-1', instanceId: 'i-1', tcpFlags: 2, flowDirection: 'egress', trafficPath: 8, interfaceId: null });

  const message = '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 60 1700000000 1700000060 REJECT OK';
  const cwl = await read('cwl.json', JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message }] }) + JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '2', timestamp: 2, message }] }));
  assert.equal(cwl.kind, 'flowlog');
  assert.equal(cwl.rows.length, 2);
  const filtered = await read('filter.json', JSON.stringify({ events: [{ logStreamName: 's', timestamp: 1, message }], searchedLogStreams: [] }));
  assert.equal(filtered.rows[0].action, 'REJECT');
});

test('reads a flow log whose lines and characters cross the 64 KB slices it is decoded in', async () => {
  // Text is decoded 64 KB at a time (text-source.ts): a two-byte character is made to start on the
  // slice's last byte, and lines of every length run across the later slices.
  const line = (eni: string) => `2 123456789010 ${eni} 10.0.0.1 10.0.0.2 443 49152 6 1 60 1700000000 1700000060 ACCEPT OK`;
  const enis: string[] = [];
  let bytes = 0;
  const add = (eni: string) => {
    enis.push(eni);
    bytes += Buffer.byteLength(line(eni)) + 1;
  };
  while (bytes < 65_000) add(`eni-${'a'.repeat(enis.length % 23)}`);
  const before = Buffer.byteLength(line('eni-').split('eni-')[0] + 'eni-');
  add(`eni-${'b'.repeat(65_535 - bytes - before)}\u00fc${'\u00fc'.repeat(3)}`);
  for (let k = 0; enis.length < 3_000; k++) add(`eni-${'\u00fc'.repeat(k % 5)}${'c'.repeat(k % 17)}`);
  const text = enis.map(line).join('\n') + '\n';
  assert.equal(Buffer.from(text).subarray(65_535, 65_537).toString('utf8'), '\u00fc');
  for (const [name, content] of [['slices.log', text], ['slices.log.gz', gzipSync(text)]] as const) {
    const { rows, rejected } = await read(name, content);
    assert.deepEqual(rejected, [], name);
    assert.deepEqual(rows.map((r) => r.interfaceId), enis, name);
  }
});

test('a flow log cut short keeps the records read before the cut, then names the fault', async () => {
  const line = (i: number) => `2 123456789010 eni-${i % 9} 10.0.${i % 250}.1 10.1.0.${i % 200} 443 ${1024 + i} 6 1 60 ${1_700_000_000 + i} ${1_700_000_060 + i} ACCEPT OK`;
  const gz = gzipSync(Array.from({ length: 12_000 }, (_, i) => line(i)).join('\n') + '\n');
  const path = join(dir, 'cut-flows.log.gz');
  await writeFile(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const kept: string[] = [];
  let fault: unknown = null;
  for await (const input of enumerateInputs([path])) {
    try {
      for await (const b of (await openSource(input)).batches) if (b.type === 'flows') kept.push(...b.records.rows().map((r) => `${r.srcaddr} ${r.srcport}`));
    } catch (err) {
      fault = err;
    }
  }
  assert.ok(fault instanceof SourceError && /truncated gzip/.test(fault.message), String(fault));
  assert.ok(kept.length > 1_000 && kept.length < 12_000, `${kept.length} records kept`);
  assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => `10.0.${i % 250}.1 443`));
});

test('reads configuration documents and the credential report, plain or base64', async () => {
  const vpcs = await read('vpcs.json', JSON.stringify({ Vpcs: [{ VpcId: 'vpc-1' }] }));
  assert.equal(vpcs.kind, 'config:describe-vpcs');
  assert.deepEqual(vpcs.batches, [{ type: 'config', kind: 'describe-vpcs', document: { Vpcs: [{ VpcId: 'vpc-1' }] } }]);
  const csv = 'user,arn,user_creation_time,password_enabled\n<root_account>,arn:aws:iam::1:root,2018-08-12T17:20:55+00:00,not_supported\n';
  const raw = await read('report.csv', csv);
  const wrapped = await read('report.json', JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv' }));
  for (const r of [raw, wrapped]) {
    assert.equal(r.kind, 'config:get-credential-report');
    assert.deepEqual(r.batches[0], { type: 'config', kind: 'get-credential-report', document: [{ user: '<root_account>', arn: 'arn:aws:iam::1:root', user_creation_time: '2018-08-12T17:20:55+00:00', password_enabled: 'not_supported' }] });
  }
});

test('a 100 MB line of random text is refused quickly, without reading it all', async () => {
  const path = join(dir, 'noise.txt');
  const out = createWriteStream(path);
  const block = Buffer.from('abcdefghij klmnopqrst '.repeat(48 * 1024)); // ~1 MB, no line break
  for (let i = 0; i < 100; i++) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  for await (const input of enumerateInputs([path])) {
    await assert.rejects(openSource(input), (err: unknown) => err instanceof SourceError && /no line break in the first 64 KB/.test(err.message));
  }
  await rm(path);
});

test('a ~100 MB one-line CloudTrail file streams with bounded memory', async () => {
  const path = join(dir, 'big.json');
  const out = createWriteStream(path);
  out.write('{"Records":[');
  let written = 0;
  for (let i = 0; written < 100 * 1024 * 1024; i++) {
    const s = (i === 0 ? '' : ',') + syntheticRecord(i);
    written += s.length;
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(']}', () => r()));
  let count = 0;
  let peak = 0;
  const base = process.memoryUsage();
  for await (const input of enumerateInputs([path])) {
    const source = await openSource(input);
    for await (const batch of source.batches) {
      assert.equal(batch.type, 'cloudtrail');
      if (batch.type === 'cloudtrail') {
        assert.ok(batch.records.length <= CLOUDTRAIL_BATCH);
        count += batch.records.length;
      }
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }
  }
  await rm(path);
  assert.ok(count > 70_000, `read ${count} records`);
  // Holding the file as one string would take 100-200 MB before a single record is parsed; streaming
  // holds a chunk, a window and a batch (about 35 MB measured, GC slack included).
  assert.ok(peak < 80 * 1024 * 1024, `peak ${Math.round(peak / 2 ** 20)} MB`);
});

test('a configuration document past the fast path is streamed to the same document, extra keys and all', async () => {
  // ~6 MB: past FAST_LIMIT, so its lists are read element by element within the document's bounds.
  const groups = Array.from({ length: 16_000 }, (_, i) => ({
    GroupId: `sg-${i.toString(16).padStart(8, '0')}`,
    Description: 'd'.repeat(200),
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  }));
  const doc = { NextToken: null, SecurityGroups: groups, ResponseMetadata: { RequestId: 'r' } };
  const text = JSON.stringify(doc, null, 1);
  assert.ok(text.length > 5 * 1024 * 1024);
  const streamed = await read('big-groups.json.gz', gzipSync(text));
  assert.equal(streamed.kind, 'config:describe-security-groups');
  assert.deepEqual(streamed.batches, [{ type: 'config', kind: 'describe-security-groups', document: doc }]);

  const gaad = { UserDetailList: groups.slice(0, 2), RoleDetailList: [], Policies: [{ PolicyName: 'p', PolicyVersionList: [] }], IsTruncated: false, Pad: 'x'.repeat(5 * 1024 * 1024) };
  const big = await read('gaad.json', JSON.stringify(gaad));
  assert.equal(big.kind, 'config:get-account-authorization-details');
  // A value past 1 MB outside the lists is skipped, never held: detection only needs the keys.
  const { Pad: _pad, ...kept } = gaad;
  assert.deepEqual(big.batches, [{ type: 'config', kind: 'get-account-authorization-details', document: kept }]);
});

test('a configuration document out of bounds is refused with the bound it broke, streamed or not', async () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  assert.equal(await refusal('deep-small.json', `{"Vpcs":[${deep(70)}]}`), 'configuration document nested deeper than 64 levels');
  // Past FAST_LIMIT (4 MB): streamed. The value bound is exercised end to end in ../hostile-inputs.test.ts.
  assert.equal(await refusal('deep-big.json', `{"Vpcs":[${'{},'.repeat(1_500_000)}${deep(70)}]}`), 'configuration document nested deeper than 64 levels');
  assert.equal(
    await refusal('bad-element.json', `{"Vpcs":[${'{},'.repeat(1_500_000)}{"a" 1}]}`),
    "configuration document, Vpcs element 1500001: invalid JSON: Expected ':' after property name",
  );
  // Tens of thousands of top-level keys are held for detection, so their number is bounded too.
  const keys = Array.from({ length: 10_001 }, (_, i) => `"k${i}":"${'v'.repeat(500)}"`).join(',');
  assert.equal(await refusal('keys.json', `{${keys}}`), 'JSON document with more than 10,000 top-level keys');
});
