// The evidence manifest as an investigator checks it: `trailscope verify --manifest` prints one
// sha256sum line per input, coreutils' `sha256sum -c` accepts them against the files handed over (a
// backslash in a name escaped as sha256sum writes it), and the report states the SHA-256 of exactly
// what was printed, while listing only the first of many inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';
import { REPORT_LIMITS } from '../report/report-model.ts';
import { evidenceManifest, manifestLine } from './evidence-manifest.ts';

const record = (i: number) => ({
  eventVersion: '1.08', eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, eventTime: '2024-05-01T10:00:00Z',
  eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.7', readOnly: true,
  recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
});

test('a manifest line is sha256sum\'s: names with a backslash or newline escaped and marked, other controls made visible', () => {
  const hash = 'a'.repeat(64);
  assert.equal(manifestLine(hash, '/cases/trail.json'), `${hash}  /cases/trail.json`);
  assert.equal(manifestLine(hash, 'C:\\cases\\trail.json'), `\\${hash}  C:\\\\cases\\\\trail.json`);
  assert.equal(manifestLine(hash, 'two\nlines'), `\\${hash}  two\\nlines`);
  assert.equal(manifestLine(hash, 'evil\u001b[2Jname'), `${hash}  evil\\u001b[2Jname`, 'no escape sequence reaches a terminal');
  assert.equal(manifestLine('ab\ncd', 'x'), 'ab\\u000acd  x', 'a crafted case\'s hash stays one line');
  const m = evidenceManifest([{ path: 'b', sha256: hash }, { path: 'a', sha256: hash }]);
  assert.deepEqual(m.lines, [`${hash}  a`, `${hash}  b`], 'in path order');
  assert.equal(m.sha256, createHash('sha256').update(`${hash}  a\n${hash}  b\n`).digest('hex'));
});

test('verify --manifest: sha256sum -c checks the inputs, and the report pins them all by its hash while listing the first', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-manifest-'));
  t.after(() => removeFolder(dir));
  const inputs = join(dir, 'handed over');
  mkdirSync(inputs);
  const files = REPORT_LIMITS.sources + 20;
  for (let i = 0; i < files; i++) writeFileSync(join(inputs, i === 0 ? 'back\\slash.json' : `trail-${i}.json`), JSON.stringify({ Records: [record(i)] }));
  const casePath = join(dir, 'm.case');
  const db = openCase(casePath);
  await ingestPaths(db, [inputs]);
  db.close();
  const printed = await runTrailscope(['verify', '--case', casePath, '--manifest']);
  assert.equal(printed.code, 0, printed.err);
  const lines = printed.out.trimEnd().split('\n');
  assert.equal(lines.length, files);
  assert.ok(lines.some((l) => l.startsWith('\\') && l.endsWith('back\\\\slash.json')), 'the backslash escaped as sha256sum writes it');
  const summary = await runTrailscope(['verify', '--case', casePath]);
  assert.match(summary.out, new RegExp(`^manifest SHA-256 ${createHash('sha256').update(printed.out).digest('hex')} `, 'm'), 'verify names the hash of the lines');
  writeFileSync(join(dir, 'manifest.sha256'), printed.out);
  const checked = execFileSync('sha256sum', ['-c', join(dir, 'manifest.sha256')], { encoding: 'utf8' });
  assert.equal(checked.trimEnd().split('\n').filter((l) => l.endsWith(': OK')).length, files, checked);
  // Edited after ingest: sha256sum says so.
  writeFileSync(join(inputs, 'trail-5.json'), JSON.stringify({ Records: [record(999)] }));
  const recheck = spawnSync('sha256sum', ['--quiet', '-c', join(dir, 'manifest.sha256')], { encoding: 'utf8' });
  assert.equal(recheck.status, 1);
  assert.match(recheck.stdout, /trail-5\.json: FAILED$/m);
  const out = join(dir, 'report.html');
  const r = await runTrailscope(['report', '--case', casePath, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  const stated = /Manifest SHA-256: <code>([0-9a-f]{64})<\/code>, over its (\d+) lines/.exec(html);
  assert.ok(stated, 'the report states the manifest\'s hash');
  assert.equal(stated[1], createHash('sha256').update(printed.out).digest('hex'), 'the hash of exactly what verify --manifest printed');
  assert.equal(Number(stated[2]), files);
  const manifest = html.slice(html.indexOf('<h2>Evidence manifest'), html.indexOf('<h3>Inputs not read whole'));
  assert.equal((manifest.match(/<tr><td><code>[0-9a-f]{64}<\/code>/g) ?? []).length, REPORT_LIMITS.sources);
  assert.match(manifest, new RegExp(`and ${files - REPORT_LIMITS.sources} more sources, each in the manifest`));
});
