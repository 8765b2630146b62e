// The timeline sorted by a column, as an investigator clicks a column head or runs `timeline --sort`:
// case-insensitive order, ties in time order, blanks last both ways, pages that tile, and a filter too
// wide to sort refused with what to do instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { runTrailscope } from '../../../../test-support/run-cli.ts';
import { SortTooWideError, timelineSortedPage } from './timeline-sorted.ts';

const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::111111111111:user/${name}`, accountId: '111111111111', principalId: `AIDA${name.toUpperCase()}`, accessKeyId: `AKIA${name.toUpperCase().padEnd(16, 'X')}`, userName: name });
const rec = (i: number, name: string, who: string, ip: string, error?: string) => ({
  eventVersion: '1.08', eventID: `sorted-${i}`, eventTime: `2025-03-10T10:${String(i).padStart(2, '0')}:00Z`, eventName: name, eventSource: 'ec2.amazonaws.com', awsRegion: 'us-east-1',
  recipientAccountId: '111111111111', sourceIPAddress: ip, userAgent: 'aws-cli/2.15.0', userIdentity: user(who), ...(error ? { errorCode: error } : {}),
});

const c = tempCase('sorted');
loadRecords(c.db, [
  rec(1, 'RunInstances', 'carol', '203.0.113.9'),
  rec(2, 'authorizeSecurityGroupIngress', 'alice', '198.51.100.7', 'UnauthorizedOperation'),
  rec(3, 'DeleteVpc', 'bob', '198.51.100.7'),
  rec(4, 'AuthorizeSecurityGroupIngress', 'bob', '192.0.2.1', 'AccessDenied'),
  rec(5, 'TerminateInstances', 'alice', '203.0.113.9'),
]);
test.after(() => c.cleanup());

const names = (rows: { eventName: string }[]) => rows.map((r) => r.eventName);

test('by event name: case-insensitive, equal names in time order; descending reverses both', () => {
  const up = timelineSortedPage(c.db, { filter: {}, by: 'eventName', descending: false }, 0);
  assert.equal(up.total, 5);
  assert.deepEqual(names(up.rows), ['authorizeSecurityGroupIngress', 'AuthorizeSecurityGroupIngress', 'DeleteVpc', 'RunInstances', 'TerminateInstances']);
  assert.equal(up.nextOffset, null);
  const down = timelineSortedPage(c.db, { filter: {}, by: 'eventName', descending: true }, 0);
  assert.deepEqual(names(down.rows), ['TerminateInstances', 'RunInstances', 'DeleteVpc', 'AuthorizeSecurityGroupIngress', 'authorizeSecurityGroupIngress']);
});

test('by error: the calls without one come last whichever the direction', () => {
  assert.deepEqual(timelineSortedPage(c.db, { filter: {}, by: 'errorCode', descending: false }, 0).rows.map((r) => r.errorCode), ['AccessDenied', 'UnauthorizedOperation', null, null, null]);
  assert.deepEqual(timelineSortedPage(c.db, { filter: {}, by: 'errorCode', descending: true }, 0).rows.map((r) => r.errorCode), ['UnauthorizedOperation', 'AccessDenied', null, null, null]);
});

test('by actor (the person the row shows) within a filter, paged by offset: the pages tile the whole answer', () => {
  const whole = timelineSortedPage(c.db, { filter: { includeReadOnly: true }, by: 'actor', descending: false }, 0).rows.map((r) => r.eventId);
  const paged: string[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page = timelineSortedPage(c.db, { filter: { limit: 2 }, by: 'actor', descending: false }, offset);
    paged.push(...page.rows.map((r) => r.eventId));
    offset = page.nextOffset;
  }
  assert.deepEqual(paged, whole);
  assert.deepEqual(whole, ['sorted-2', 'sorted-5', 'sorted-3', 'sorted-4', 'sorted-1'], 'alice, alice, bob, bob, carol; each in time order');
  const fromOneAddress = timelineSortedPage(c.db, { filter: { ip: '198.51.100.7' }, by: 'actor', descending: false }, 0);
  assert.deepEqual(fromOneAddress.rows.map((r) => r.eventId), ['sorted-2', 'sorted-3']);
  assert.equal(fromOneAddress.total, 2);
});

test('more matches than a sort may read: refused with the bound and what to do', () => {
  assert.throws(() => timelineSortedPage(c.db, { filter: {}, by: 'sourceIPAddress', descending: false }, 0, 4), (err: Error) => err instanceof SortTooWideError && /at most 4; more match: narrow the filter/.test(err.message));
  assert.equal(timelineSortedPage(c.db, { filter: { ip: '203.0.113.9' }, by: 'sourceIPAddress', descending: false }, 0, 4).total, 2);
});

test('trailscope timeline --sort and --desc write the sorted rows; a wrong column is a usage error', async () => {
  const r = await runTrailscope(['timeline', '--case', c.path, '--sort', 'ip', '--desc', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { sourceIPAddress: string; eventTime: string }[];
  assert.deepEqual(rows.map((x) => x.sourceIPAddress), ['203.0.113.9', '203.0.113.9', '198.51.100.7', '198.51.100.7', '192.0.2.1']);
  assert.ok(rows[0].eventTime > rows[1].eventTime, 'equal addresses newest first under --desc');
  const wrong = await runTrailscope(['timeline', '--case', c.path, '--sort', 'colour']);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.err, /--sort must be one of event, actor, ip, agent, error/);
});
