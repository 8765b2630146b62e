// Exported formats are as hostile as any input: odd shapes are rejected per record with a reason, a
// look-alike of another kind is not taken for an export, bounds hold, and names from the data never
// reach an object's prototype.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeCloudTrailRecord } from '../../normalize/index.ts';
import type { ReaderBatch } from '../../types.ts';
import { CsvParser } from '../csv.ts';
import { enumerateInputs, openSource, SourceError } from '../index.ts';
import { parseStructText } from './struct-text.ts';
import { recordFromColumns } from './query-columns.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-exported-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function read(name: string, content: string) {
  const path = join(dir, name);
  await writeFile(path, content);
  for await (const input of enumerateInputs([path])) {
    const source = await openSource(input);
    const batches: ReaderBatch[] = [];
    for await (const b of source.batches) batches.push(b);
    return {
      kind: source.kind,
      records: batches.flatMap((b) => (b.type === 'cloudtrail' ? b.records : [])),
      rejected: batches.flatMap((b) => (b.type === 'config' ? [] : b.rejected)),
    };
  }
  throw new Error('no input');
}

async function refusal(name: string, content: string): Promise<string> {
  try {
    await read(name, content);
  } catch (err) {
    assert.ok(err instanceof SourceError, String(err));
    return err.message;
  }
  assert.fail(`${name} was not refused`);
}

const record = { eventVersion: '1.08', eventID: 'b0c1d2e3-0000-4000-8000-000000000001', eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' };

describe('hostile exports', () => {
  it('look-alikes are not exports: an unrelated CSV, a document with a "hits" number, a timestamped non-JSON log', async () => {
    assert.match(await refusal('people.csv', 'name,email\nalice,a@example.com\n'), /^unrecognized format: text/);
    assert.match(await refusal('hits.json', '{"hits": 5, "took": 1}'), /^unrecognized JSON document/);
    assert.match(await refusal('app.log', '2024-05-01T10:00:00.000Z GET /index.html 200\n'), /^unrecognized format: text/);
  });

  it('per-record rejections with reasons; the good records of the same file stand', async () => {
    const es = await read('search.json', JSON.stringify({ hits: { hits: [{ _index: 'web', _id: '1', _source: { message: 'GET /' } }, { _index: 'ct', _id: '2', _source: record }] } }));
    assert.equal(es.records.length, 1);
    assert.deepEqual(es.rejected, [{ position: 'record 1', reason: 'Elasticsearch hit that holds no CloudTrail record' }]);
    const cw = await read('export.txt', [
      `2024-05-01T10:00:00.000Z ${JSON.stringify(record)}`,
      '2024-05-01T10:00:01.000Z {not json',
      'no timestamp here',
      '',
    ].join('\n'));
    assert.equal(cw.records.length, 1);
    assert.deepEqual(cw.rejected.map((r) => `${r.position}: ${r.reason}`), [
      'line 2: message is not JSON: not a CloudTrail record',
      'line 3: not a "<timestamp> <message>" line of a CloudWatch Logs export',
    ]);
    const csv = await read('splunk.csv', `_time,_raw\n2024-05-01T10:00:00.000+00:00,"${JSON.stringify(record).replace(/"/g, '""')}"\n2024-05-01T10:00:01.000+00:00,plain text event\n`);
    assert.equal(csv.records.length, 1);
    assert.deepEqual(csv.rejected, [{ position: 'row 2', reason: 'CSV row holds no CloudTrail record' }]);
    // A Logstash line whose numeric @timestamp is no time: that record is rejected, not the file
    // (new Date(1e20).toISOString() had thrown for the whole export).
    const { eventTime: _time, ...untimed } = record;
    const stamped = (i: number, at: string | number) => JSON.stringify({ '@timestamp': at, '@version': '1', ...untimed, eventID: `${untimed.eventID.slice(0, -1)}${i}` });
    const logstash = await read('logstash.ndjson', [stamped(1, '2024-05-01T10:00:00.000Z'), stamped(2, 1714557601000), stamped(3, 1e20)].join('\n') + '\n');
    assert.deepEqual(logstash.records.map((r) => normalizeCloudTrailRecord(r).ok), [true, true, false]);
    const second = normalizeCloudTrailRecord(logstash.records[1]);
    assert.equal(second.ok && second.value.eventTime, 1714557601000);
  });

  it('a CSV row past the bound is rejected by number without being held; the next row is read', () => {
    const parser = new CsvParser(64);
    parser.push(`a,b\n"${'x'.repeat(200)}",1\nc,"d""e"\n`);
    parser.end();
    assert.deepEqual(parser.take(), [['a', 'b'], null, ['c', 'd"e']]);
    // Any cut of the text gives the same rows (quotes, doubled quotes and CRLF across pieces).
    const text = 'h1,h2\r\n"q,""x""\r\nline",2\r\nplain,"3"\r\n';
    const whole = new CsvParser();
    whole.push(text);
    whole.end();
    const expected = whole.take();
    assert.deepEqual(expected, [['h1', 'h2'], ['q,"x"\r\nline', '2'], ['plain', '3']]);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvParser();
      p.push(text.slice(0, cut));
      p.push(text.slice(cut));
      p.end();
      assert.deepEqual(p.take(), expected, `cut at ${cut}`);
    }
  });

  it('struct text: odd input gives undefined or text, never a throw; depth is bounded', () => {
    assert.deepEqual(parseStructText('{type=IAMUser, arn=arn:aws:iam::1:user/a, sessioncontext=null}'), { type: 'IAMUser', arn: 'arn:aws:iam::1:user/a', sessioncontext: null });
    assert.deepEqual(parseStructText('[{arn=a, type=AWS::S3::Object}, {arn=b, type=AWS::S3::Bucket}]'), [{ arn: 'a', type: 'AWS::S3::Object' }, { arn: 'b', type: 'AWS::S3::Bucket' }]);
    for (const odd of ['{', '{=}', '{a=1', '[a, b', '{a=1}}', 'plain', '{a={b={c=}}}x']) assert.doesNotThrow(() => parseStructText(odd), odd);
    assert.equal(parseStructText(`${'{a='.repeat(5000)}1${'}'.repeat(5000)}`), undefined);
  });

  it('names from the data never reach a prototype', () => {
    const row = recordFromColumns({ eventname: 'X', eventsource: 's', eventtime: '2024-05-01 10:00:00.000', __proto__: 'p', useridentity: '{__proto__={polluted=yes}, type=IAMUser}' } as Record<string, unknown>);
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((row.userIdentity as Record<string, unknown>).type, 'IAMUser');
    assert.ok(Object.hasOwn(row.userIdentity as object, '__proto__'));
  });

  it('a record without eventID nested past any real depth is rejected, not a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { eventID: _id, ...noId } = record;
    assert.deepEqual(normalizeCloudTrailRecord({ ...noId, requestParameters: deep }), { ok: false, reason: 'record has no eventID and is nested too deeply to derive one' });
  });
});
