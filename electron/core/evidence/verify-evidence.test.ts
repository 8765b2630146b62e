// Evidence verification as an investigator runs it (`trailscope verify`): a generated account's
// CloudTrail logs all verify against their digests; a log file edited after delivery is reported as
// contradicted, a deleted one as missing, a digest removed from the chain as a gap and a broken link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import type { VerifyReport } from './verify-evidence.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

async function generated(t: { after(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-verify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'account');
  await generateAccount({ out, events: 600, flows: 400, hours: 6 });
  const files = walk(out);
  const logs = files.filter((f) => f.includes('/CloudTrail/') && f.endsWith('.json.gz'));
  const digests = files.filter((f) => f.includes('/CloudTrail-Digest/'));
  return { dir, out, logs, digests };
}

async function verify(dir: string, out: string): Promise<{ code: number; report: VerifyReport }> {
  const casePath = join(dir, 'v.case');
  const db = openCase(casePath);
  await ingestPaths(db, [out]);
  db.close();
  const r = await runTrailscope(['verify', '--case', casePath, '--json']);
  return { code: r.code, report: JSON.parse(r.out) as VerifyReport };
}

test('the generated logs verify against their digests: hashValue is the SHA-256 of the decompressed file', async (t) => {
  const { dir, out, logs, digests } = await generated(t);
  assert.ok(digests.length >= 2, 'the generator writes digests');
  const listed = digests.flatMap((d) => (JSON.parse(gunzipSync(readFileSync(d)).toString()) as { logFiles: { hashValue: string }[] }).logFiles);
  assert.ok(listed.length > 0);
  // What validate-logs computes: SHA-256 of the uncompressed log file.
  const uncompressed = new Set(logs.map((f) => createHash('sha256').update(gunzipSync(readFileSync(f))).digest('hex')));
  for (const l of listed) assert.ok(uncompressed.has(l.hashValue), 'each listed hash is that of a decompressed log file');

  const { code, report } = await verify(dir, out);
  assert.equal(code, 0, JSON.stringify(report.problems.slice(0, 3)));
  assert.equal(report.counts.verified, listed.length);
  assert.equal(report.counts.contradicted + report.counts.missing + report.counts.gaps + report.counts.chainBroken, 0);
  assert.equal(report.signatures, 'unsigned copy');
  // Every source is listed with the SHA-256 of its bytes as ingested.
  const byPath = new Map(report.sources.map((s) => [s.path, s.sha256]));
  for (const f of logs) assert.equal(byPath.get(f), createHash('sha256').update(readFileSync(f)).digest('hex'));
});

test('handed over as a .tar.gz, the same logs verify against the same digests, each member a source of its own', async (t) => {
  const { dir, out, logs, digests } = await generated(t);
  const archive = join(dir, 'trail.tgz');
  execFileSync('tar', ['-czf', archive, '-C', out, '.']);
  const listed = digests.flatMap((d) => (JSON.parse(gunzipSync(readFileSync(d)).toString()) as { logFiles: unknown[] }).logFiles);
  const { code, report } = await verify(dir, archive);
  assert.equal(code, 0, JSON.stringify(report.problems.slice(0, 3)));
  assert.equal(report.counts.verified, listed.length);
  assert.equal(report.counts.contradicted + report.counts.missing + report.counts.gaps + report.counts.chainBroken, 0);
  const byPath = new Map(report.sources.map((s) => [s.path, s.sha256]));
  for (const f of logs) assert.equal(byPath.get(`${archive}!/${f.slice(out.length + 1)}`), createHash('sha256').update(readFileSync(f)).digest('hex'));
});

test('a log file edited after delivery is contradicted by its digest; a deleted one is missing; a lost digest is a gap', async (t) => {
  const { dir, out, digests } = await generated(t);
  const firstDigest = JSON.parse(gunzipSync(readFileSync(digests.sort()[0])).toString()) as { logFiles: { s3Object: string }[] };
  const [editedKey, deletedKey] = firstDigest.logFiles.map((l) => l.s3Object);
  assert.ok(editedKey && deletedKey, 'the first digest lists at least two files');
  // The attacker rewrites a source address in a delivered log and deletes another log file.
  const edited = join(out, editedKey);
  const text = gunzipSync(readFileSync(edited)).toString();
  const changed = text.replace(/"sourceIPAddress":"[^"]*"/, '"sourceIPAddress":"10.0.0.1"');
  assert.notEqual(changed, text);
  writeFileSync(edited, gzipSync(changed));
  unlinkSync(join(out, deletedKey));
  // And one digest of the middle of the chain disappears.
  const regionDigests = digests.filter((d) => d.includes('/us-east-1/') || d.includes('/eu-west-1/'));
  const middle = regionDigests.sort()[1];
  unlinkSync(middle);

  const { code, report } = await verify(dir, out);
  assert.equal(code, 3);
  const name = (k: string) => k.split('/').pop();
  assert.deepEqual(report.problems.filter((p) => p.kind === 'contradicted').map((p) => p.file), [name(editedKey)]);
  assert.deepEqual(report.sources.filter((s) => s.integrity === 'contradicted').map((s) => s.path), [edited]);
  assert.ok(report.problems.some((p) => p.kind === 'missing' && p.file === name(deletedKey)));
  assert.ok(report.problems.some((p) => p.kind === 'gap'), 'the lost digest leaves a gap');
  assert.ok(report.problems.some((p) => p.kind === 'chain-broken' && p.previous === name(middle)));

  const text2 = await runTrailscope(['verify', '--case', join(dir, 'v.case')]);
  assert.match(text2.out, new RegExp(`CONTRADICTED ${name(editedKey)!.replace(/\./g, '\\.')}: edited after delivery`));
  // Every event says whether its file is verified: one from the edited file is contradicted.
  const editedEvent = (JSON.parse(changed) as { Records: { eventID: string }[] }).Records[0].eventID;
  const ofEvent = await runTrailscope(['verify', '--case', join(dir, 'v.case'), '--event', editedEvent, '--json']);
  assert.equal(ofEvent.code, 3, ofEvent.err);
  assert.deepEqual(JSON.parse(ofEvent.out), { source: edited, sha256: JSON.parse(ofEvent.out).sha256, kind: 'cloudtrail', integrity: 'contradicted' });
  const verifiedFile = firstDigest.logFiles.map((l) => join(out, l.s3Object)).find((f) => f !== edited && f !== join(out, deletedKey));
  if (verifiedFile) {
    const other = (JSON.parse(gunzipSync(readFileSync(verifiedFile)).toString()) as { Records: { eventID: string }[] }).Records[0].eventID;
    const ok = await runTrailscope(['verify', '--case', join(dir, 'v.case'), '--event', other]);
    assert.match(ok.out, /^verified {2}[0-9a-f]{64} {2}/);
  }
});
