// The raw store holds each record as JSON.stringify writes it. A record's own bytes stand in for that
// text only when they are exactly it: checked here on real records written compactly (kept) and on
// every way a file can write the same record differently (never kept; stringified instead).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecordsFile, recordSource } from './record-source.ts';
import { prepareCloudTrailBatch, REDACTED_SESSION_TOKEN } from '../prepare-batch.ts';
import { normalizeCloudTrailRecord } from '../normalize/index.ts';
import { RAW_CODEC, unpackRawBlock } from '../../db/raw-events.ts';
import { allStratusRecords, awsdocsRecords } from '../../../../test-support/real-samples.ts';

/** What the raw store must hold for a record: JSON.stringify's text, the session token replaced. */
function expectedText(record: unknown): string {
  const copy = structuredClone(record) as { responseElements?: { credentials?: { sessionToken?: unknown } } };
  const credentials = copy?.responseElements?.credentials;
  if (credentials && typeof credentials === 'object' && typeof credentials.sessionToken === 'string') credentials.sessionToken = REDACTED_SESSION_TOKEN;
  return JSON.stringify(copy);
}

/** Reads a file's bytes as the JSON reader does; returns its records, which sources were kept, and the stored texts. */
function read(bytes: Buffer): { records: unknown[]; kept: boolean[]; stored: string[]; expected: string[] } {
  const document = (parseRecordsFile(bytes) ?? JSON.parse(bytes.toString('utf8'))) as { Records: unknown[] };
  const records = document.Records;
  const kept = records.map((r) => recordSource(r) !== undefined);
  const expected = records.map(expectedText);
  const batch = prepareCloudTrailBatch(records, [], 0);
  assert.equal(batch.events.length, records.length);
  return { records, kept, expected, stored: batch.blocks.flatMap((b) => unpackRawBlock(RAW_CODEC, b)) };
}

const base = {
  eventVersion: '1.08', eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
  eventID: 'e-1', awsRegion: 'eu-west-1', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accessKeyId: 'AKIAQWERTYUIOPASDFGH' },
};

describe('a record\'s own bytes as its stored text', () => {
  it('keeps the bytes of compactly written real records, and they are exactly what JSON.stringify writes', () => {
    const records = [...allStratusRecords(), ...awsdocsRecords()].map((s) => s.record).filter((r) => normalizeCloudTrailRecord(r).ok);
    assert.ok(records.length > 300);
    const { kept, stored, expected } = read(Buffer.from(JSON.stringify({ Records: records })));
    assert.deepEqual(stored, expected);
    assert.equal(kept.filter(Boolean).length, records.length);
  });

  it('never keeps bytes that JSON.stringify would write otherwise, and stores its text instead', () => {
    const variants = [
      '{"eventName":"A", "eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // whitespace
      '{"eventName":"A\\/B","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // \/
      '{"eventName":"caf\\u00e9","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // \u for a printable character
      '{"eventName":"A\\u001F","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // upper-case hex
      '{"eventName":"A\\u000a","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // \u000a for \n
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","n":1.0}',
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","n":1e3}',
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","n":-0}',
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","n":12345678901234567890}',
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","n":0.10}',
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","requestParameters":{"b":1,"7":2}}', // JSON.parse puts "7" first
      '{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","eventName":"B"}', // repeated key
      `{"eventName":"A","eventTime":"2024-05-01T10:00:00Z","eventSource":"s","deep":${'['.repeat(100)}${']'.repeat(100)}}`,
      '{"eventName":"\\ud83d\\ude00","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}', // a surrogate pair written as escapes
    ];
    const { kept, stored, expected } = read(Buffer.from(`{"Records":[${variants.join(',')}]}`));
    assert.deepEqual(stored, expected);
    assert.deepEqual(kept, variants.map(() => false));
  });

  it('keeps what JSON.stringify writes the same: escapes it uses, numbers in shortest form, non-ASCII text', () => {
    const records = [
      { ...base, errorMessage: 'quote " backslash \\ newline \n tab \t control \u0001 \u001f' },
      { ...base, requestParameters: { n: [0, -1, 1.5, 1e21, 123456789012345, 2.5e-7, true, false, null, {}, []] } },
      { ...base, userAgent: 'café ☕ 日本 \u2028' },
    ];
    const { kept, stored, expected } = read(Buffer.from(JSON.stringify({ Records: records })));
    assert.deepEqual(stored, expected);
    assert.deepEqual(kept, [true, true, true]);
  });

  it('removes the session token from kept bytes, and falls back to JSON.stringify when the token shows twice', () => {
    const credentials = { accessKeyId: 'ASIAQWERTYUIOPASDFGH', sessionToken: 'IQoJb3JpZ2luX2VjE"secret\\', expiration: 'x' };
    const once = { ...base, eventName: 'AssumeRole', responseElements: { credentials } };
    const twice = { ...base, eventName: 'AssumeRole', requestParameters: { sessionToken: credentials.sessionToken }, responseElements: { credentials: { ...credentials } } };
    const { kept, stored, expected } = read(Buffer.from(JSON.stringify({ Records: [once, twice] })));
    assert.deepEqual(kept, [true, true]);
    assert.deepEqual(stored, expected);
    assert.ok(stored.every((s) => !s.includes('IQoJb3JpZ2luX2VjE')) === false, 'the second record keeps the token in requestParameters, as it always has');
    assert.ok(!stored[0].includes('IQoJb3JpZ2luX2VjE'));
    assert.ok(stored[0].includes(REDACTED_SESSION_TOKEN) && stored[1].includes(REDACTED_SESSION_TOKEN));
  });

  it('keeps nothing from bytes that are not UTF-8 (decoded with replacement characters) or from another layout', () => {
    const bytes = Buffer.concat([Buffer.from('{"Records":[{"eventName":"A'), Buffer.from([0xff]), Buffer.from('","eventTime":"2024-05-01T10:00:00Z","eventSource":"s"}]}')]);
    assert.deepEqual(read(bytes).kept, [false]);
    const twoKeys = Buffer.from(`{"Records":[${JSON.stringify(base)}],"Records":[${JSON.stringify(base)}]}`);
    assert.deepEqual(read(twoKeys).kept, [false]);
    const pretty = Buffer.from(JSON.stringify({ Records: [base] }, null, 2));
    assert.deepEqual(read(pretty).kept, [false]);
    const spacedOut = Buffer.from(`{ "Records" : [ ${JSON.stringify(base)} , ${JSON.stringify(base)} ] }`);
    const { kept, stored, expected } = read(spacedOut);
    assert.deepEqual(kept, [true, true]);
    assert.deepEqual(stored, expected);
  });

  it('reads a Records file record by record into exactly what JSON.parse of the whole gives, and refuses anything that is not valid JSON', () => {
    const record = JSON.stringify(base);
    const layouts = [
      `{"Records":[${record},${record}]}`,
      `\n\t{ "Records" :\r\n[ ${record} ,\n${record}\n]\n}\n`,
      '{"Records":[]}',
      '{"Records":[1,"two",null,[3],{"__proto__":{"polluted":true},"constructor":1}]}',
      `{"Records":[${JSON.stringify({ ...base, errorMessage: 'café ☕ "quoted" \\ \u0001' })}]}`,
      `{"Records":[{"deep":${'['.repeat(80)}${']'.repeat(80)}}]}`,
    ];
    for (const text of layouts) {
      const parsed = parseRecordsFile(Buffer.from(text));
      assert.ok(parsed, text);
      assert.deepEqual(parsed, JSON.parse(text));
      assert.equal(Object.getPrototypeOf(parsed.Records[4] ?? {}), Object.prototype);
    }
    const notJson = [
      `{"Records":[${record} ${record}]}`, // no comma
      `{"Records":[${record},]}`, // trailing comma
      `{"Records":[,${record}]}`,
      `{"Records":[${record}]`, // unclosed
      `{"Records":[${record}]}}`,
      `{"Records":[${record}]} x`,
      `{"Records":[{"eventName":"A}]}`, // unterminated string
      `{"Records":[{"eventName":"A\nB"}]}`.replace('\\n', '\n'), // a raw newline inside a string
      `{"Records":[{"eventName":"A"]}]}`,
      `{"Records":[{"a":1}}]}`,
      `{"Records":[tru]}`,
      `{"Records":[01]}`,
      '{"Records":[',
      '{"Records":',
      '',
    ];
    for (const text of notJson) {
      assert.equal(parseRecordsFile(Buffer.from(text)), null, text);
      assert.throws(() => JSON.parse(text), text);
    }
    // Valid documents laid out otherwise are left to JSON.parse of the whole.
    for (const text of [`{"Records":[${record}],"Next":1}`, `{"Other":1,"Records":[${record}]}`, `[${record}]`, `\ufeff{"Records":[${record}]}`]) {
      assert.equal(parseRecordsFile(Buffer.from(text)), null, text);
    }
  });
});
