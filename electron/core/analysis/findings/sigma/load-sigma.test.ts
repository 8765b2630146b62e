// Sigma rules for CloudTrail, offline: the SigmaHQ set loads whole, the aggregation rules are refused
// with the construct named, hostile rule folders are bounded, and hits come out as findings with the
// rule's title, level and id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../../test-support/case-fixtures.ts';
import { findings } from '../findings.ts';
import { loadSigmaFolder, sigmaRule } from './load-sigma.ts';

const SIGMA = join(REAL, 'sigma-cloudtrail');

test('all 57 SigmaHQ CloudTrail rules load; the 8 "unsupported" ones load or name what they need', () => {
  const r = loadSigmaFolder(join(SIGMA, 'rules'));
  assert.deepEqual(r.rejected, []);
  assert.equal(r.rules.length, 57);
  assert.equal(new Set(r.rules.map((x) => x.meta.id)).size, 57, 'every rule keeps its own id');
  assert.ok(r.rules.every((x) => x.meta.source === 'sigma' && x.meta.file?.endsWith('.yml') && x.meta.title.length > 3));
  const root = r.rules.find((x) => x.meta.file === 'aws_root_account_usage.yml')!;
  assert.deepEqual([root.meta.id, root.meta.level, root.meta.author, root.meta.techniques], ['8ad1600d-e9dc-4251-b0ee-a65268f29add', 'medium', 'vitaliy0x1', ['T1078.004']]);

  const u = loadSigmaFolder(join(SIGMA, 'unsupported'));
  assert.equal(u.rules.length + u.rejected.length, 8);
  const reasons = Object.fromEntries(u.rejected.map((x) => [x.file.split('/').pop(), x.reason]));
  assert.match(reasons['aws_enum_listing.yml'], /aggregation '\| count\(\) > 50' in the condition is not supported/);
  assert.match(reasons['aws_macic_evasion.yml'], /aggregation '\| count\(\) by sourceIPAddress > 5'/);
  assert.match(reasons['aws_lambda_function_created_or_invoked.yml'], /aggregation '\| near selection2'/);
  assert.equal(u.rejected.length, 7, 'the SES rule is two selections of one record: it loads (and can never match)');
});

test('Sigma hits on real detonations are findings with the rule title, level, id and file', () => {
  const sigma = loadSigmaFolder(join(SIGMA, 'rules'));
  const run = (technique: string) => {
    const db = memoryCase();
    loadRecords(db, readRecords(join(REAL, 'stratus-red-team', `aws.${technique}.json`)));
    return findings(db, {}, sigma);
  };
  const stop = run('defense-evasion.cloudtrail-stop');
  const hit = stop.findings.find((f) => f.kind === 'sigma' && f.rule?.file === 'aws_cloudtrail_disable_logging.yml');
  assert.ok(hit, 'the Sigma rule for disabled logging fires');
  assert.equal(hit.rule?.id, '4db60cc0-36fb-42b7-9b58-a5b53019fb74');
  assert.equal(hit.rule?.level, 'medium');
  assert.equal(hit.severity, 'medium');
  assert.match(hit.title, /^AWS CloudTrail Important Change/);
  assert.deepEqual(hit.eventNames, ['StopLogging']);
  assert.ok(hit.incident, 'grouped into an incident like the built-in findings');
  assert.ok(stop.findings.some((f) => f.rule?.id === 'cloudtrail-logging-stopped'), 'next to the built-in rule');
  assert.equal(stop.sigma?.loaded, 57);

  const login = run('initial-access.console-login-without-mfa').findings.find((f) => f.rule?.file === 'aws_cloudtrail_console_login_success_without_mfa.yml');
  assert.ok(login, "'NO' matches the record's 'No': Sigma strings are case-insensitive");
  const ssm = run('execution.ssm-send-command').findings.find((f) => f.rule?.file === 'aws_cloudtrail_ssm_malicious_usage.yml');
  assert.equal(ssm?.severity, 'high', '1 of selection_status_* with errorCode: null');
  const layer = run('persistence.lambda-layer-extension').findings.find((f) => f.rule?.file === 'aws_new_lambda_layer_attached.yml');
  assert.ok(layer, "eventName|startswith and requestParameters.layers|contains: '*'");
  const backdoor = run('persistence.iam-backdoor-user').findings.find((f) => f.rule?.file === 'aws_iam_backdoor_users_keys.yml');
  assert.ok(backdoor, 'not filter on a literal that never matches');
  assert.ok(!run('persistence.iam-backdoor-user').findings.some((f) => f.rule?.file === 'aws_root_account_usage.yml'), 'no root, no root rule');
});

test('hostile rule folders: sizes, counts, depth, symlinks, YAML bombs, other log sources', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-sigma-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ok = 'title: ok\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: StopLogging}, condition: s}\n';
  writeFileSync(join(dir, 'a-ok.yml'), ok);
  writeFileSync(join(dir, 'b-big.yml'), `${ok}description: ${'x'.repeat(5000)}\n`);
  writeFileSync(join(dir, 'c-bomb.yml'), `title: bomb\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`);
  writeFileSync(join(dir, 'd-windows.yml'), ok.replace('{product: aws, service: cloudtrail}', '{product: windows, category: process_creation}'));
  writeFileSync(join(dir, 'e-multi.yml'), `action: global\ntitle: g\n---\n${ok}`);
  writeFileSync(join(dir, 'f-bad.yml'), 'title: [unclosed\n');
  writeFileSync(join(dir, 'g-dup.yml'), `id: same\n${ok}`);
  writeFileSync(join(dir, 'h-dup.yml'), `id: same\n${ok}`);
  writeFileSync(join(dir, 'i-correlation.yml'), 'title: c\ncorrelation: {type: event_count, rules: [x]}\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a rule');
  symlinkSync(join(dir, 'a-ok.yml'), join(dir, 'z-link.yml'));
  mkdirSync(join(dir, 'deep', 'deeper'), { recursive: true });
  writeFileSync(join(dir, 'deep', 'deeper', 'x.yml'), ok);
  const r = loadSigmaFolder(dir, { maxFiles: 50, maxFileBytes: 2048, maxDepth: 1 });
  const why = Object.fromEntries(r.rejected.map((x) => [x.file.split('/').pop(), x.reason]));
  assert.deepEqual(r.rules.map((x) => x.meta.file), ['a-ok.yml', 'g-dup.yml'], 'the symlink is not followed, notes.txt is not a rule');
  assert.match(why['b-big.yml'], /larger than 2048/);
  assert.match(why['c-bomb.yml'], /YAML error: Excessive alias count/);
  assert.match(why['d-windows.yml'], /logsource is product 'windows'/);
  assert.match(why['e-multi.yml'], /2 YAML documents/);
  assert.match(why['f-bad.yml'], /YAML error/);
  assert.match(why['h-dup.yml'], /id same is already used by g-dup.yml/);
  assert.match(why['i-correlation.yml'], /correlation rules are not supported/);
  assert.match(why.deeper, /deeper than 1 levels/);
  const few = loadSigmaFolder(dir, { maxFiles: 2, maxFileBytes: 2048, maxDepth: 3 });
  assert.match(few.rejected[0].reason, /only the first 2 were read/);
  assert.throws(() => sigmaRule(ok.replace('condition: s', "condition: 's | count() > 5'"), 'x.yml'), /aggregation/);
});
