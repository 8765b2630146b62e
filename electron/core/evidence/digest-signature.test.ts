// Digest signatures as an investigator meets them: a live pull from the (fake) trail bucket keeps each
// digest with the signature in its S3 metadata and CloudTrail's public keys, and `trailscope verify`
// then says 'signature verified' for every digest. A digest edited in the bucket, a signature changed,
// hostile metadata (not hex, oversized, another algorithm) each give 'signature invalid' with the
// reason; a digest whose key CloudTrail does not list gives 'no public key'. The signer is the fake's
// own (tools/gen/digest-signing.ts), written from AWS's documentation apart from the checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildFakeAccount, FAKE_BUCKETS, type FakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws, type FakeAwsOptions } from '../../../test-support/fake-aws/server.ts';
import type { FaultRule } from '../../../test-support/fake-aws/faults.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import { pullAccount } from '../pull/index.ts';
import { verifyEvidence, type VerifyReport } from './verify-evidence.ts';
import { CaseWriter } from '../ingest/writer.ts';
import { recordPublicKeys, recordSourceEvidence } from '../ingest/source-evidence.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 8 * 3_600_000);
const credentials = async () => ({ accessKeyId: 'ASIATESTCREDENTIAL03', secretAccessKey: 'trailscopeTestSecretKey0000000000000000003' });

const account = () => buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: 16, regions: ['us-east-1'] });
const digestKeys = (fake: FakeAccount) => [...fake.buckets.get(FAKE_BUCKETS.trail)!.keys()].filter((k) => k.includes('/CloudTrail-Digest/')).sort();
const fileOf = (key: string) => key.split('/').pop()!;

async function pullAndVerify(fake: FakeAccount, t: { after(f: () => unknown): void }, options: FakeAwsOptions = {}, faults: FaultRule[] = []): Promise<{ code: number; report: VerifyReport; text: string; messages: string[] }> {
  const aws = await startFakeAws(fake, options);
  t.after(() => aws.close());
  for (const f of faults) aws.addFault(f);
  const c = tempCase('signatures');
  t.after(() => c.cleanup());
  const pulled = await pullAccount(c.db, { regions: fake.regions, since: SINCE, until: UNTIL, what: ['cloudtrail'], trailBucket: FAKE_BUCKETS.trail, endpoint: aws.url, credentials, retry: { baseMs: 20, capMs: 200 } });
  assert.deepEqual(pulled.collectors.filter((x) => x.status !== 'done').map((x) => x.message), []);
  c.db.close();
  const json = await runTrailscope(['verify', '--case', c.path, '--json']);
  const text = await runTrailscope(['verify', '--case', c.path]);
  // What the pull's summary still says of each collector once it is done.
  const messages = pulled.collectors.map((x) => x.message).filter((m): m is string => Boolean(m));
  return { code: json.code, report: JSON.parse(json.out) as VerifyReport, text: text.out, messages };
}

test('a live pull keeps every digest with its signature: verify says signature verified and the logs verified', async (t) => {
  const fake = account();
  const { code, report, text } = await pullAndVerify(fake, t);
  assert.equal(code, 0, JSON.stringify(report.problems.slice(0, 3)));
  assert.equal(report.digests.length, digestKeys(fake).length);
  assert.equal(report.signatures, 'signature verified');
  assert.deepEqual(new Set(report.digests.map((d) => d.signature)), new Set(['signature verified']));
  assert.equal(report.counts.signaturesVerified, report.digests.length);
  assert.ok(report.counts.verified > 0 && report.counts.unverified === 0, 'every pulled log file is verified by a signed digest');
  assert.match(text, /digest signatures: \d+ verified, 0 invalid, 0 unsigned copies, 0 without a public key/);
  assert.match(text, new RegExp(`signature verified\\s+s3://${FAKE_BUCKETS.trail}/\\S+CloudTrail-Digest`));
});

test('a digest edited in the bucket or a changed signature is invalid; hostile metadata gives a clear status', async (t) => {
  const fake = account();
  const bucket = fake.buckets.get(FAKE_BUCKETS.trail)!;
  const keys = digestKeys(fake);
  assert.ok(keys.length >= 6, `${keys.length} digests`);
  // keys[1] stays untouched: it names keys[0] as its previous digest.
  const [edited, , resigned, notHex, huge, otherAlgorithm] = keys;
  // The attacker drops the digest's list of log files, keeping the signature CloudTrail made.
  const e = bucket.get(edited)!;
  const json = JSON.parse(gunzipSync(e.body).toString()) as { logFiles: unknown[] };
  json.logFiles = [];
  bucket.set(edited, { ...e, body: gzipSync(JSON.stringify(json)) });
  const r = bucket.get(resigned)!;
  const sig = r.metadata!.signature;
  bucket.set(resigned, { ...r, metadata: { ...r.metadata, signature: (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1) } });
  bucket.set(notHex, { ...bucket.get(notHex)!, metadata: { signature: 'zz<script>', 'signature-algorithm': 'SHA256withRSA' } });
  bucket.set(huge, { ...bucket.get(huge)!, metadata: { signature: 'ab'.repeat(4000), 'signature-algorithm': 'SHA256withRSA' } });
  bucket.set(otherAlgorithm, { ...bucket.get(otherAlgorithm)!, metadata: { ...bucket.get(otherAlgorithm)!.metadata, 'signature-algorithm': 'MD5withRSA' } });

  const { code, report, text } = await pullAndVerify(fake, t);
  assert.equal(code, 3);
  const status = new Map(report.digests.map((d) => [d.file, d]));
  for (const k of [edited, resigned, notHex, huge, otherAlgorithm]) assert.equal(status.get(fileOf(k))?.signature, 'signature invalid', fileOf(k));
  assert.match(status.get(fileOf(edited))!.signatureReason!, /does not match/);
  assert.match(status.get(fileOf(resigned))!.signatureReason!, /does not match/);
  assert.match(status.get(fileOf(notHex))!.signatureReason!, /not hexadecimal/);
  assert.match(status.get(fileOf(huge))!.signatureReason!, /longer than/);
  assert.match(status.get(fileOf(otherAlgorithm))!.signatureReason!, /unknown signature algorithm "MD5withRSA"/);
  assert.equal(report.counts.signaturesInvalid, 5);
  assert.equal(report.counts.signaturesVerified, keys.length - 5);
  assert.equal(report.signatures, 'mixed');
  // The edited digest's next one names a hash the edited bytes no longer have.
  assert.ok(report.problems.some((p) => p.kind === 'chain-broken' && p.previous === fileOf(edited)));
  assert.match(text, new RegExp(`SIGNATURE    ${fileOf(resigned).replace(/\./g, '\\.')}: signature invalid`));
  assert.ok(!text.includes('<script>'), 'hostile metadata is not echoed');
});

test('without ListPublicKeys the digests say no public key; with the digest prefix denied the events still come', async (t) => {
  const fake = account();
  const { report, text, messages } = await pullAndVerify(fake, t, { denied: ['cloudtrail:ListPublicKeys'] });
  assert.equal(report.signatures, 'no public key');
  assert.ok(messages.some((m) => /no CloudTrail public keys, digest signatures cannot be checked/.test(m)), `the finished pull still says why: ${messages.join(' | ')}`);
  assert.equal(report.counts.noPublicKey, report.digests.length);
  assert.match(report.digests[0].signatureReason!, /no CloudTrail public key with fingerprint [0-9a-f]+ in the case/);
  assert.ok(report.ok, 'an unchecked signature contradicts nothing');
  assert.match(text, /NO KEY {7}\S+: no CloudTrail public key/);

  // A bucket policy that hides CloudTrail-Digest/ from listing, or from reading: every event, no digest.
  for (const operation of ['ListObjectsV2', 'GetObject']) {
    const hidden = await pullAndVerify(account(), t, {}, [{ kind: 'deny', operation, pathContains: '/CloudTrail-Digest/' }]);
    assert.equal(hidden.report.signatures, 'no digests', operation);
    assert.ok(hidden.messages.some((m) => /digest files not read, verify has none for us-east-1/.test(m)), `${operation}: ${hidden.messages.join(' | ')}`);
    assert.ok(hidden.report.counts.unverified > 0 && hidden.report.counts.verified === 0);
  }
});

test('a key that expired before a digest was signed does not verify it', async (t) => {
  const fake = account();
  // CloudTrail lists the key (it was valid within the window) but it expired three hours in.
  const expiry = new Date(SINCE.getTime() + 3 * 3_600_000);
  fake.publicKeys = fake.publicKeys.map((k) => ({ ...k, validUntil: expiry }));
  const { report } = await pullAndVerify(fake, t);
  const late = report.digests.filter((d) => Date.parse(d.end) > expiry.getTime());
  const early = report.digests.filter((d) => Date.parse(d.end) <= expiry.getTime());
  assert.ok(late.length > 0 && early.length > 0);
  assert.deepEqual(new Set(early.map((d) => d.signature)), new Set(['signature verified']));
  assert.deepEqual(new Set(late.map((d) => d.signature)), new Set(['no public key']));
  assert.match(late[0].signatureReason!, /was not valid at the digest's end time/);
});

test('a hostile case: key bytes that are no key, digest fields of the wrong type, a signature on a file path', (t) => {
  const c = tempCase('hostile-signatures');
  t.after(() => c.cleanup());
  const writer = new CaseWriter(c.db);
  const digest = (path: string, json: unknown, signature: string | null) => {
    const id = writer.startSource({ path, sha256: 'a'.repeat(64), size: 1, kind: 'cloudtrail-digest' });
    recordSourceEvidence(c.db, id, { contentSha256: 'b'.repeat(64), digest: JSON.stringify(json), signature, signatureAlgorithm: 'SHA256withRSA' });
  };
  recordPublicKeys(c.db, [{ fingerprint: 'feedface', publicKey: Buffer.from('not a DER key'), validFrom: null, validUntil: null, region: 'us-east-1' }]);
  digest('s3://b/AWSLogs/1/CloudTrail-Digest/us-east-1/a.json.gz', { digestEndTime: 5, digestPublicKeyFingerprint: 'feedface', previousDigestSignature: { x: 1 }, logFiles: [] }, 'ab'.repeat(256));
  digest('s3://b/AWSLogs/1/CloudTrail-Digest/us-east-1/b.json.gz', { digestPublicKeyFingerprint: ['x'], logFiles: [] }, 'ab'.repeat(256));
  digest('/copies/AWSLogs/1/CloudTrail-Digest/us-east-1/c.json.gz', { digestPublicKeyFingerprint: 'feedface', logFiles: [] }, 'ab'.repeat(256));
  const report = verifyEvidence(c.db);
  const by = new Map(report.digests.map((d) => [d.file, d]));
  assert.deepEqual([by.get('a.json.gz')?.signature, by.get('b.json.gz')?.signature, by.get('c.json.gz')?.signature], ['no public key', 'no public key', 'unsigned copy']);
  assert.match(by.get('a.json.gz')!.signatureReason!, /not a DER RSA public key/);
  assert.match(by.get('b.json.gz')!.signatureReason!, /names no public key fingerprint/);
});
