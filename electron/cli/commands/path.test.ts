// trailscope path on a small case file: the hops in text and JSON, an unknown end named, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openCase } from '../../core/db/open-case.ts';
import { insertEvents } from '../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../../core/analysis/refresh-derived.ts';
import { command } from './path.ts';
import type { PathResult } from '../../../shared/engine-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-path-'));
const casePath = join(dir, 'c.case');
const KEY = 'AKIAALICE0000000000A';
{
  const db = openCase(casePath);
  // A session name with terminal escapes: printed inert.
  insertEvents(db, [{ eventId: 'e1', time: '2025-01-01T00:00:00Z', name: 'AuthorizeSecurityGroupIngress', ip: '198.51.100.2',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: KEY }, resources: [{ id: 'sg-0abc', type: 'security-group', touch: 'modified' }] }]);
  db.prepare(`INSERT INTO resources (id, type, account_id, name) VALUES ('sg-0abc', 'security-group', '111111111111', ?)`).run('web\u001b[2J');
  refreshDerived(db);
  db.close();
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await command.run(['--case', casePath, ...args], { stdout, stderr, signal: new AbortController().signal });
  return { code, out, err };
}

test('the address reached the group through the key: two hops with the event, in text and JSON', async () => {
  const text = await run(['198.51.100.2', 'sg-0abc']);
  assert.equal(text.code, 0);
  assert.match(text.out, /1\. 2025-01-01T00:00:00.000Z +198\.51\.100\.2 -> AKIAALICE0000000000A +\[used-from AuthorizeSecurityGroupIngress\] +event e1/);
  assert.match(text.out, /2\. .*AKIAALICE0000000000A -> web.*sg-0abc/);
  assert.ok(!text.out.includes('\u001b'), 'no escape reaches the terminal');
  const json = JSON.parse((await run(['198.51.100.2', 'sg-0abc', '--json'])).out) as PathResult;
  assert.deepEqual(json.shortest?.map((h) => [h.from, h.to, h.kind]), [['ip/198.51.100.2', KEY, 'used-from'], [KEY, 'sg-0abc', 'called']]);
});

test('an unknown end is named with exit 1; a wrong --max-hops is a usage error', async () => {
  const r = await run(['198.51.100.2', 'sg-nope']);
  assert.equal(r.code, 1);
  assert.match(r.err, /knows no .*'sg-nope'/);
  await assert.rejects(run(['198.51.100.2', 'sg-0abc', '--max-hops', '99']), /max-hops/);
});
