import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAwsTime } from './time.ts';

describe('parseAwsTime', () => {
  it('reads the forms CloudTrail and the CLI write, always as UTC', () => {
    const t = Date.UTC(2021, 10, 18, 17, 41, 2);
    assert.equal(parseAwsTime('2021-11-18T17:41:02Z'), t);
    assert.equal(parseAwsTime('2021-11-18T09:41:02-08:00'), t);
    assert.equal(parseAwsTime('2021-11-18T17:41:02+0000'), t);
    assert.equal(parseAwsTime('2021-11-18 17:41:02+00:00'), t); // cloudsplaining's CreateDate
    assert.equal(parseAwsTime('2021-11-18T17:41:02'), t);
    assert.equal(parseAwsTime('2021-11-18T17:41:02.644Z'), t + 644);
    assert.equal(parseAwsTime('2024-07-31T14:23:44.841442289Z'), Date.UTC(2024, 6, 31, 14, 23, 44, 841));
    assert.equal(parseAwsTime('Nov 18, 2021, 5:41:02 PM'), t);
    assert.equal(parseAwsTime('Nov 18, 2021 5:41:02 PM'), t);
    assert.equal(parseAwsTime('Jan 1, 2024, 12:00:00 AM'), Date.UTC(2024, 0, 1));
    assert.equal(parseAwsTime(1637257262), t); // LookupEvents epoch seconds
    assert.equal(parseAwsTime(1637257262.5), t + 500);
    assert.equal(parseAwsTime(t), t);
    assert.equal(parseAwsTime(8.64e15), 8.64e15, 'the last date JavaScript holds');
  });

  it('reads years before 100 as themselves, not as the 1900s', () => {
    assert.equal(new Date(parseAwsTime('0050-03-01T12:00:00Z')!).toISOString(), '0050-03-01T12:00:00.000Z');
    assert.equal(new Date(parseAwsTime('0000-01-01T00:00:00Z')!).toISOString(), '0000-01-01T00:00:00.000Z');
    assert.equal(new Date(parseAwsTime('0099-12-31T23:59:59+01:00')!).toISOString(), '0099-12-31T22:59:59.000Z');
  });

  it('gives null for what is not a time', () => {
    // Past the last date JavaScript holds: no time (1e308 was stored as a REAL and failed the ingest).
    for (const v of ['...', 'redacted', 'eventTime', '', '2021-13-01T00:00:00Z', '2021-11-18T17:41:02Zjunk', null, {}, [], -1, Number.NaN,
      1e308, '1e308', 8.64e15 + 1, Number.MAX_SAFE_INTEGER]) {
      assert.equal(parseAwsTime(v), null, String(v));
    }
  });
});
