// `trailscope actor` after two ingests, as a responder runs it: account A's trail first, then account
// B's (test-support/attribution-records.ts). B's trail holds the caller's copy of a cross-account
// AssumeRole (the session in A is then traced to B's user) and the Identity Center sign-in that names
// the user id A's records carry; A's SAML session is shown with its subject's issuer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCase } from '../../../test-support/temp-case.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import type { ActorReport } from '../../../shared/engine-types.ts';
import { A, B, USER_ID, accountA, accountB } from '../../../test-support/attribution-records.ts';

const c = tempCase('actor-attribution');
c.db.close();
const fileA = join(c.dir, 'account-a.json');
const fileB = join(c.dir, 'account-b.json');
writeFileSync(fileA, JSON.stringify({ Records: accountA }));
writeFileSync(fileB, JSON.stringify({ Records: accountB }));
test.after(() => c.cleanup());

const actor = async (query: string): Promise<ActorReport> => {
  const r = await runTrailscope(['actor', '--case', c.path, query, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as ActorReport;
};

test('actor after ingesting account A, then account B: the twin names the caller, the subject its issuer, the user id its name', async () => {
  assert.equal((await runTrailscope(['ingest', '--case', c.path, fileA])).code, 0);
  assert.equal((await actor('ASIA2AUDIT000000KEY1')).actor.origin.kind, 'aws-account');

  const ingestB = await runTrailscope(['ingest', '--case', c.path, fileB]);
  assert.equal(ingestB.code, 0, ingestB.err);
  const audit = await actor(`arn:aws:sts::${A}:assumed-role/Audit/audit-run`);
  assert.equal(audit.actor.origin.id, `arn:aws:iam::${B}:user/carol`);
  assert.equal(audit.actor.origin.proven, true);
  assert.match(audit.actor.chain[1].detail, /sharedEventID 2d8a1c7e/);

  const dana = await actor('ASIA2DANA0000000KEY1');
  assert.equal(dana.actor.chain.at(-1)?.issuer, 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9');
  const person = await actor(USER_ID);
  assert.deepEqual(person.actor.chain.at(-1)?.names, ['erin']);
  assert.equal((await actor('erin')).matchedBy, 'identity-store-name');

  // The text form says the same, one line per link.
  const text = (await runTrailscope(['actor', '--case', c.path, 'ASIA2DANA0000000KEY1'])).out;
  assert.match(text, /← dana@example\.org from issuer http:\/\/www\.okta\.com\/exk1a2b3c4d5e6f7g8h9 \[saml-user\]/);
  const named = (await runTrailscope(['actor', '--case', c.path, USER_ID])).out;
  assert.match(named, /origin: erin \(identity-store user 906787d1c8…\) \[identity-center-user\]/);
});
