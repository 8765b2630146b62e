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
    assert.equal(parseAwsTime('9999-12-31T23:59:59.999Z'), Date.parse('9999-12-31T23:59:59.999Z'), 'the last date of a four-digit year');
  });

  it('tells epoch seconds, milliseconds, microseconds and nanoseconds by their size', () => {
    const t = Date.UTC(2024, 6, 31, 14, 23, 44, 841);
    assert.equal(parseAwsTime(t / 1000), t);
    assert.equal(parseAwsTime(t), t);
    assert.equal(parseAwsTime(t * 1000 + 442), t, 'microseconds');
    assert.equal(parseAwsTime(t * 1e6 + 442_289), t, 'nanoseconds');
    assert.equal(parseAwsTime('1722435824841442289'), t, 'nanoseconds as text');
    assert.equal(new Date(parseAwsTime(1e9)!).toISOString(), '2001-09-09T01:46:40.000Z');
    // Each unit reaches the year 5138: a millisecond count past it is read as microseconds.
    assert.equal(new Date(parseAwsTime(99_999_999_999_999)!).toISOString(), '5138-11-16T09:46:39.999Z');
    assert.equal(new Date(parseAwsTime(100_000_000_000_000)!).toISOString(), '1973-03-03T09:46:40.000Z');
  });

  it('reads years before 100 as themselves, not as the 1900s', () => {
    assert.equal(new Date(parseAwsTime('0050-03-01T12:00:00Z')!).toISOString(), '0050-03-01T12:00:00.000Z');
    assert.equal(new Date(parseAwsTime('0000-01-01T00:00:00Z')!).toISOString(), '0000-01-01T00:00:00.000Z');
    assert.equal(new Date(parseAwsTime('0099-12-31T23:59:59+01:00')!).toISOString(), '0099-12-31T22:59:59.000Z');
  });

  it('gives null for what is not a time', () => {
    // Past the year 9999 in any unit: no time (1e308 was stored as a REAL and failed the ingest).
    for (const v of ['...', 'redacted', 'eventTime', '', '2021-13-01T00:00:00Z', '2021-11-18T17:41:02Zjunk', null, {}, [], -1, Number.NaN,
      1e308, '1e308', 1e20, '100000000000000000000']) {
      assert.equal(parseAwsTime(v), null, String(v));
    }
  });
});
