// The detection grammar shared by Sigma and the built-in rules, on records shaped like CloudTrail's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDetection, mayMatch, RuleError } from './detection.ts';
import { compileGlob, globMatch } from './glob.ts';

const rec = {
  eventName: 'AuthorizeSecurityGroupIngress', eventSource: 'ec2.amazonaws.com', sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.15 Python/3.11',
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/admin/alice', sessionContext: { sessionIssuer: { type: 'Role' } } },
  requestParameters: { groupId: 'sg-1', ipPermissions: { items: [{ fromPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }, { fromPort: 443 }] }, layers: ['arn:layer:a', 'arn:layer:b'] },
  responseElements: null,
};
const run = (detection: unknown, r: Record<string, unknown> = rec) => compileDetection(detection).test(r, () => JSON.stringify(r));

test('selections: fields ANDed, value lists ORed, plain values case-insensitive, dotted paths through lists', () => {
  assert.equal(run({ s: { eventName: 'authorizesecuritygroupingress', 'userIdentity.type': ['IAMUser', 'AssumedRole'] }, condition: 's' }), true);
  assert.equal(run({ s: { eventName: 'AuthorizeSecurityGroupIngress', 'userIdentity.type': 'IAMUser' }, condition: 's' }), false);
  assert.equal(run({ s: { 'requestParameters.ipPermissions.items.ipRanges.items.cidrIp': '0.0.0.0/0' }, condition: 's' }), true, 'lists fan out');
  assert.equal(run({ s: { 'requestParameters.ipPermissions.items.fromPort': 443 }, condition: 's' }), true, 'numbers match numbers');
  assert.equal(run({ s: [{ eventName: 'X' }, { eventSource: 'ec2.amazonaws.com' }], condition: 's' }), true, 'a list of maps is OR');
  assert.equal(run({ s: { 'userIdentity.sessionContext.sessionIssuer.type': 'Role' }, condition: 's' }), true);
});

test('modifiers: contains, startswith, endswith, all, re, cidr, cased, exists, fieldref, wildcards', () => {
  assert.equal(run({ s: { 'userAgent|contains': 'python' }, condition: 's' }), true);
  assert.equal(run({ s: { 'userAgent|contains|cased': 'python' }, condition: 's' }), false);
  assert.equal(run({ s: { 'eventName|startswith': 'Authorize', 'eventSource|endswith': '.amazonaws.com' }, condition: 's' }), true);
  assert.equal(run({ s: { 'userAgent|contains|all': ['aws-cli', 'Python'] }, condition: 's' }), true);
  assert.equal(run({ s: { 'userAgent|contains|all': ['aws-cli', 'boto'] }, condition: 's' }), false);
  assert.equal(run({ s: { 'userIdentity.arn|re': '.+:assumed-role/admin/.+' }, condition: 's' }), true);
  assert.equal(run({ s: { 'userIdentity.arn|re|i': 'ASSUMED-ROLE' }, condition: 's' }), true);
  assert.equal(run({ s: { 'userIdentity.arn|re': 'ASSUMED-ROLE' }, condition: 's' }), false, 're is case-sensitive by default');
  assert.equal(run({ s: { 'sourceIPAddress|cidr': '203.0.113.0/24' }, condition: 's' }), true);
  assert.equal(run({ s: { 'sourceIPAddress|cidr': ['10.0.0.0/8', '2001:db8::/32'] }, condition: 's' }), false);
  assert.equal(run({ s: { 'requestParameters.groupId|exists': true, 'requestParameters.nope|exists': false }, condition: 's' }), true);
  assert.equal(run({ s: { 'requestParameters.groupId|fieldref': 'requestParameters.groupId' }, condition: 's' }), true);
  assert.equal(run({ s: { 'userIdentity.arn|fieldref': 'requestParameters.groupId' }, condition: 's' }), false);
  assert.equal(run({ s: { eventName: 'Authorize*Ingress' }, condition: 's' }), true);
  assert.equal(run({ s: { eventName: 'Authorize?ecurityGroupIngress' }, condition: 's' }), true);
  assert.equal(run({ s: { 'requestParameters.layers|contains': '*' }, condition: 's' }), true, 'a wildcard alone matches any present value');
  assert.equal(run({ s: { 'requestParameters|contains': '"groupId":"sg-1"' }, condition: 's' }), true, 'an object is matched as its JSON');
  assert.equal(run({ s: { 'requestParameters.ipPermissions.items.fromPort|gte': 400 }, condition: 's' }), true);
});

test('null checks: a missing or null field', () => {
  assert.equal(run({ s: { errorCode: null }, condition: 's' }), true);
  assert.equal(run({ s: { responseElements: null }, condition: 's' }), true);
  assert.equal(run({ s: { eventName: null }, condition: 's' }), false);
  assert.equal(run({ s: { errorCode: [null, 'Success'] }, condition: 's' }), true);
});

test('conditions: and, or, not, parentheses, 1 of / all of patterns and them, keywords, condition lists', () => {
  const d = { sel_a: { eventName: 'AuthorizeSecurityGroupIngress' }, sel_b: { eventSource: 'iam.amazonaws.com' }, filter_x: { 'userAgent|contains': 'terraform' } };
  assert.equal(run({ ...d, condition: 'sel_a and not filter_x' }), true);
  assert.equal(run({ ...d, condition: 'sel_a and sel_b' }), false);
  assert.equal(run({ ...d, condition: '1 of sel_*' }), true);
  assert.equal(run({ ...d, condition: 'all of sel_*' }), false);
  assert.equal(run({ ...d, condition: '(sel_b or sel_a) and not (filter_x or sel_b)' }), true);
  assert.equal(run({ ...d, condition: 'not 1 of filter_*' }), true);
  assert.equal(run({ ...d, condition: 'all of them' }), false);
  assert.equal(run({ ...d, condition: ['sel_b', 'sel_a'] }), true, 'a list of conditions is OR');
  assert.equal(run({ k: ['aws-cli/2.15'], condition: 'k' }), true, 'keywords search the whole record');
  assert.equal(run({ k: ['nothing-like-this'], condition: 'k' }), false);
});

test('unsupported or malformed constructs are refused with the construct named', () => {
  const refused = (d: unknown, re: RegExp) => assert.throws(() => compileDetection(d), (e: unknown) => e instanceof RuleError && re.test(e.message));
  refused({ s: { eventName: 'x' }, condition: 's | count() by sourceIPAddress > 5' }, /aggregation '\| count\(\) by sourceIPAddress > 5'/);
  refused({ s: { eventName: 'x' }, condition: 's and t' }, /names 't', which is not a selection/);
  refused({ s: { eventName: 'x' }, condition: '2 of s*' }, /'2 of' is not supported/);
  refused({ s: { eventName: 'x' }, condition: '1 of f*' }, /matches no selection/);
  refused({ s: { eventName: 'x' }, condition: '(s' }, /expected '\)'/);
  refused({ s: { 'eventName|base64offset|contains': 'x' }, condition: 's' }, /modifier 'base64offset' \(base64-offset matching\)/);
  refused({ s: { 'eventName|frobnicate': 'x' }, condition: 's' }, /unknown modifier 'frobnicate'/);
  refused({ s: { 'eventName|re': '(a+)+$' }, condition: 's' }, /nested quantifier/);
  refused({ s: { 'sourceIPAddress|cidr': 'not-a-cidr' }, condition: 's' }, /not a CIDR range/);
  refused({ s: { eventName: { nested: 1 } }, condition: 's' }, /a map or list as a value/);
  refused({ s: { eventName: 'x' } }, /no condition/);
});

test('the column prefilter excludes only what cannot match, and knows when a rule names its events', () => {
  const named = compileDetection({ s: { eventName: ['StopLogging', 'DeleteTrail'], errorCode: null }, condition: 's' });
  assert.equal(mayMatch(named.pre, { event_name: 'StopLogging' }), true);
  assert.equal(mayMatch(named.pre, { event_name: 'GetObject' }), false);
  assert.equal(mayMatch(named.pre, { event_name: 'StopLogging', error_code: 'AccessDenied' }), false);
  assert.equal(mayMatch(named.pre, { event_name: 'StopLogging', error_code: null }), true, 'NULL proves nothing');
  const broad = compileDetection({ s: { 'userIdentity.type': 'Root' }, f: { eventType: 'AwsServiceEvent' }, condition: 's and not f' });
  assert.equal(mayMatch(broad.pre, { event_name: 'anything' }), true, 'no event name: a scan');
  assert.equal(mayMatch(broad.pre, { identity_type: 'IAMUser' }), false);
  const either = compileDetection({ a: { eventName: 'X' }, b: { 'userAgent|contains': 'TruffleHog' }, condition: 'a or b' });
  assert.equal(mayMatch(either.pre, { event_name: 'Y' }), true, 'the other branch may still match');
});

test('glob matching is linear-ish on hostile patterns', () => {
  const g = compileGlob('*a*a*a*a*a*a*a*a*b');
  const t0 = performance.now();
  assert.equal(globMatch(g, 'a'.repeat(20_000)), false);
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(globMatch(compileGlob('\\*literal\\?'), '*literal?'), true);
  assert.equal(globMatch(compileGlob('\\*literal'), 'xliteral'), false);
});
