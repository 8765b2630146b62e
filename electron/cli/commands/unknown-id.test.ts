// who-changed and actor on an id the case does not know: a clear message with close matches, exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openCase } from '../../core/db/open-case.ts';
import { insertEvents } from '../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../../core/analysis/refresh-derived.ts';
import { command as whoChanged } from './who-changed.ts';
import { command as actor } from './actor.ts';
import type { CliCommand } from '../command.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-unknown-'));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  insertEvents(db, [{ eventId: 'e1', time: '2025-01-01T00:00:00Z', name: 'AuthorizeSecurityGroupIngress', ip: '198.51.100.2',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: 'AKIAALICE0000000000A' }, resources: [{ id: 'sg-0abc', type: 'security-group', touch: 'modified' }] }]);
  db.prepare(`INSERT INTO resources (id, type, account_id) VALUES ('sg-0abc', 'security-group', '111111111111')`).run();
  refreshDerived(db);
  db.close();
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: CliCommand, args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await cmd.run(['--case', casePath, ...args], { stdout, stderr, signal: new AbortController().signal });
  return { code, out, err };
}

test('who-changed on an unknown id says so, offers close matches and exits 1; a known id still answers', async () => {
  const none = await run(whoChanged, ['nonexistent']);
  assert.equal(none.code, 1);
  assert.equal(none.out, '');
  assert.match(none.err, /knows no .*'nonexistent'/);
  const typo = await run(whoChanged, ['sg-0ab']);
  assert.equal(typo.code, 1);
  assert.match(typo.err, /Close matches[\s\S]*sg-0abc/);
  const ok = await run(whoChanged, ['sg-0abc']);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /Changes to sg-0abc.*: 1/);
});

test('actor on an unknown key offers the key it was probably meant to be and exits 1', async () => {
  const typo = await run(actor, ['AKIAALICE0000000000']);
  assert.equal(typo.code, 1);
  assert.match(typo.err, /knows no .*'AKIAALICE0000000000'[\s\S]*AKIAALICE0000000000A/);
  assert.equal((await run(actor, ['AKIAALICE0000000000A'])).code, 0);
});
