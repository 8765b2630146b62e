// list-access-keys as `aws iam list-access-keys` prints it (the CLI reference's example output) and as
// Trailscope's pull stores it (ListAccessKeys + GetAccessKeyLastUsed, with the user's ARN), detected
// from content and ingested into a real case file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeConfig } from '../normalize-config.ts';
import { classifyValue } from '../../parse/classify.ts';
import { ingestPaths } from '../../pipeline.ts';
import { openCase } from '../../../db/open-case.ts';

const T = Date.UTC(2024, 0, 1);

// From the AWS CLI reference for `aws iam list-access-keys --user-name Bob`.
const CLI_OUTPUT = `{
    "AccessKeyMetadata": [
        {
            "UserName": "Bob",
            "Status": "Active",
            "CreateDate": "2013-06-04T18:17:34Z",
            "AccessKeyId": "AKIAIOSFODNN7EXAMPLE"
        },
        {
            "UserName": "Bob",
            "Status": "Inactive",
            "CreateDate": "2013-06-06T20:42:26Z",
            "AccessKeyId": "AKIAI44QH8DHBEXAMPLE"
        }
    ]
}`;

// What the pull stores: the same entries, each with GetAccessKeyLastUsed's answer and the user's ARN.
const PULLED = {
  AccessKeyMetadata: [
    {
      UserName: 'Bob',
      UserArn: 'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob',
      Status: 'Active',
      CreateDate: '2013-06-04T18:17:34Z',
      AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      AccessKeyLastUsed: { LastUsedDate: '2015-03-13T10:45:00Z', ServiceName: 's3', Region: 'us-east-1' },
    },
    {
      UserName: 'Bob',
      UserArn: 'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob',
      Status: 'Inactive',
      CreateDate: '2013-06-06T20:42:26Z',
      AccessKeyId: 'AKIAI44QH8DHBEXAMPLE',
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    },
  ],
};

test('the CLI output is recognised by its content as list-access-keys', () => {
  const items = classifyValue(JSON.parse(CLI_OUTPUT), '');
  assert.equal(items.length, 1);
  assert.equal(items[0].t === 'config' && items[0].kind, 'list-access-keys');
});

test('CLI output: every key is an access-key resource with its status and creation in a version; no account, so no guessed edge', () => {
  const s = normalizeConfig('list-access-keys', JSON.parse(CLI_OUTPUT), T);
  assert.deepEqual(s.resources.map((r) => `${r.type} ${r.id}`).sort(), ['access-key AKIAI44QH8DHBEXAMPLE', 'access-key AKIAIOSFODNN7EXAMPLE']);
  const inactive = s.versions.find((v) => v.resourceId === 'AKIAI44QH8DHBEXAMPLE')?.config as Record<string, unknown>;
  assert.equal(inactive.Status, 'Inactive');
  assert.equal(inactive.UserName, 'Bob');
  assert.equal(inactive.CreateDate, '2013-06-06T20:42:26Z');
  assert.equal(s.edges.length, 0);
});

test('pulled document: user → key edges on the user id without its path, last use in the version', () => {
  const s = normalizeConfig('list-access-keys', PULLED, T);
  const bob = 'arn:aws:iam::123456789012:user/Bob';
  assert.deepEqual(
    s.edges.map((e) => `${e.src} -${e.kind}-> ${e.dst}`).sort(),
    [`${bob} -user-access-key-> AKIAI44QH8DHBEXAMPLE`, `${bob} -user-access-key-> AKIAIOSFODNN7EXAMPLE`],
  );
  assert.equal(s.resources.find((r) => r.id === bob)?.type, 'user');
  assert.equal(s.resources.find((r) => r.id === 'AKIAIOSFODNN7EXAMPLE')?.accountId, '123456789012');
  const active = s.versions.find((v) => v.resourceId === 'AKIAIOSFODNN7EXAMPLE')?.config as { AccessKeyLastUsed: Record<string, unknown> };
  assert.deepEqual(active.AccessKeyLastUsed, { LastUsedDate: '2015-03-13T10:45:00Z', ServiceName: 's3', Region: 'us-east-1' });
  assert.equal(s.principals[0]?.arn, PULLED.AccessKeyMetadata[0].UserArn);
  assert.ok(s.versions.every((v) => v.observedAt === T));
});

test('a saved list-access-keys file ingests into a case as two keys', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-keys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'keys.json'), CLI_OUTPUT);
  const db = openCase(join(dir, 'case.trailscope'));
  t.after(() => db.close());
  const summary = await ingestPaths(db, [join(dir, 'keys.json')]);
  assert.equal(summary.sources[0]?.status, 'done');
  const kinds = db.prepare(`SELECT kind FROM sources`).all() as { kind: string }[];
  assert.deepEqual(kinds.map((k) => k.kind), ['config:list-access-keys']);
  const keys = db.prepare(`SELECT id FROM resources WHERE type = 'access-key' ORDER BY id`).all() as { id: string }[];
  assert.deepEqual(keys.map((k) => k.id), ['AKIAI44QH8DHBEXAMPLE', 'AKIAIOSFODNN7EXAMPLE']);
});
