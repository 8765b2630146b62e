// "Check account" through the API's dispatcher, against the local fake AWS: the account and ARN for
// a profile with keys, and a clear, secret-free sentence naming the profile for each way it fails
// (no keys, an expired SSO session read from the real SSO token cache layout, refused keys, an
// endpoint nobody listens on).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { openCase } from '../db/open-case.ts';
import { buildFakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws, type FakeAws } from '../../../test-support/fake-aws/server.ts';
import { openWorkbench, type Workbench } from './open-workbench.ts';
import type { PullIdentity } from '../../../shared/api/types.ts';

const SECRET = 'identityTestSecretKey0000000000000000000';
const KEY = 'AKIAIDENTITYTEST0001';
const SSO_URL = 'https://example.awsapps.com/start';

let dir: string;
let aws: FakeAws;
let wb: Workbench;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-identity-'));
  aws = await startFakeAws(buildFakeAccount({ start: new Date(Date.now() - 86_400_000), end: new Date(), eventsPerRegion: 5, flowsPerRegion: 0, regions: ['us-east-1'] }));
  writeFileSync(
    join(dir, 'config'),
    `[default]\nregion = us-east-1\n[profile analyst]\nregion = eu-west-1\n[profile nokeys]\nregion = eu-west-1\n` +
      `[profile sso-ro]\nsso_start_url = ${SSO_URL}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n`,
  );
  writeFileSync(join(dir, 'credentials'), `[analyst]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`);
  // An SSO sign-in that has run out, where the AWS CLI leaves it: ~/.aws/sso/cache/<sha1 of the start URL>.json.
  mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(
    join(dir, '.aws', 'sso', 'cache', `${createHash('sha1').update(SSO_URL).digest('hex')}.json`),
    JSON.stringify({ startUrl: SSO_URL, region: 'us-east-1', accessToken: 'expired-sso-access-token-value', expiresAt: '2020-01-01T00:00:00Z' }),
  );
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[k];
  Object.assign(process.env, {
    HOME: dir, AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  });
  const casePath = join(dir, 'identity.case');
  openCase(casePath).close();
  wb = openWorkbench(casePath);
});

after(async () => {
  await wb?.close();
  await aws?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function check(profile?: string): Promise<PullIdentity> {
  const r = await wb.dispatch('pull:identity', profile ? { profile } : {});
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const value = r.value as PullIdentity;
  const text = JSON.stringify(value);
  assert.ok(!text.includes(SECRET) && !text.includes(KEY) && !text.includes('expired-sso-access-token'), `no secret in ${text}`);
  return value;
}

test('a profile with keys: the account id and caller ARN STS gives, asked of STS', async () => {
  const before = aws.requests.filter((r) => r.operation === 'GetCallerIdentity').length;
  const id = await check('analyst');
  assert.deepEqual(id, { profile: 'analyst', account: aws.account.accountId, arn: aws.account.callerArn, error: null });
  assert.equal(aws.requests.filter((r) => r.operation === 'GetCallerIdentity').length, before + 1);
});

test('a profile name that is not a name is refused before anything runs', async () => {
  const r = await wb.dispatch('pull:identity', { profile: 'x; cat ~/.aws/credentials' });
  assert.equal(r.ok, false);
});

test('no credentials: the message names the profile and says what to do', async () => {
  const id = await check('nokeys');
  assert.equal(id.account, null);
  assert.match(id.error ?? '', /^No credentials found for profile "nokeys"/);
  const chain = await check();
  assert.match(chain.error ?? '', /^No credentials found for the default chain/);
});

test('an expired SSO session: the message says to sign in again, with the command', async () => {
  const id = await check('sso-ro');
  assert.equal(id.account, null);
  assert.match(id.error ?? '', /^The SSO session of profile "sso-ro" has expired: run "aws sso login --profile sso-ro"/);
});

test('keys STS refuses: the message says AWS refused the profile\'s credentials', async () => {
  aws.denied.add('sts:GetCallerIdentity');
  try {
    const id = await check('analyst');
    assert.equal(id.account, null);
    assert.match(id.error ?? '', /^AWS refused the credentials of profile "analyst".*AccessDenied/);
  } finally {
    aws.denied.delete('sts:GetCallerIdentity');
  }
});

test('an endpoint nobody answers on: the message names the endpoint and the profile', async () => {
  // A port that was free a moment ago: bound, then closed.
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
  try {
    const id = await check('analyst');
    assert.equal(id.account, null);
    assert.match(id.error ?? '', new RegExp(`^Could not reach AWS STS for profile "analyst" at http://127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
});
