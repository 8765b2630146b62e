// Rule regexes are untrusted: the safe subset refuses what can backtrack without bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSafeRegex, requiredLiteral, safeTest, RE_INPUT_CAP } from './safe-regex.ts';

test('catastrophic shapes are refused with the reason', () => {
  for (const [p, why] of [
    ['(a+)+$', /nested quantifier/], ['(a|aa)*b', /nested quantifier/], ['((ab)*c)+', /nested quantifier/], ['(\\w+\\s?)*$', /nested quantifier/],
    ['(a)\\1', /backreference/], ['(?<=x)y', /lookaround/], ['a(?=b)', /lookaround/], ['.*.*.*x', /more than 2 unbounded/], ['a**', /quantifier applied to a quantifier/],
    ['(abc', /unclosed group/], ['[abc', /unclosed character class/], ['*a', /nothing to repeat/], ['x'.repeat(2000), /longer than 1024/],
  ] as const) {
    const r = compileSafeRegex(p);
    assert.equal(r.ok, false, p);
    assert.match(r.ok ? '' : r.reason, why, p);
  }
});

test('ordinary rule regexes compile, with inline flags; input is capped', () => {
  for (const p of ['.+:assumed-role/aws:.+', '^arn:aws:iam::\\d{12}:user/', '(?i)trufflehog', '(foo|bar)?baz', '[a-z]{3,8}-\\d+']) assert.equal(compileSafeRegex(p).ok, true, p);
  const r = compileSafeRegex('(?i)TRUFFLEHOG');
  assert.ok(r.ok && safeTest(r, 'ua trufflehog/3'));
  const end = compileSafeRegex('x$');
  assert.ok(end.ok && !safeTest(end, `${'a'.repeat(RE_INPUT_CAP)}x`), 'only the first RE_INPUT_CAP characters are tested');
  const slow = compileSafeRegex('.+:assumed-role/aws:.+');
  assert.ok(slow.ok);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) safeTest(slow, `arn:aws:sts::1:${'x'.repeat(3000)}`);
  assert.ok(performance.now() - t0 < 2000, 'the required literal answers most values without the regex');
});

test('the literal every match needs', () => {
  assert.equal(requiredLiteral('.+:assumed-role/aws:.+'), ':assumed-role/aws:');
  assert.equal(requiredLiteral('a{0,2}bcd'), 'bcd');
  assert.equal(requiredLiteral('ab?c'), 'a');
  assert.equal(requiredLiteral('x(ab)+yz'), 'yz');
  assert.equal(requiredLiteral('foo|bar'), null, 'alternation at the top: nothing is required');
  assert.equal(requiredLiteral('\\d+'), null);
});
