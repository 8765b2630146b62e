// Saved views as an investigator uses them: saved from the app (views:save), listed by the CLI,
// printed as a link by `serve --open`, and a hostile state (from a pasted URL or a case file) keeps
// only its well-formed fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from '../api/open-workbench.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import { encodeViewState, parseViewState, type ViewState } from '../../../shared/api/view-state.ts';
import type { SavedView } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

async function smallCase(t: { after(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-views-'));
  t.after(() => removeFolder(dir));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: '00000000-0000-4000-8000-000000000001', eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.7', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333' } }] }));
  const casePath = join(dir, 'views.case');
  const db = openCase(casePath);
  await ingestPaths(db, [file]);
  db.close();
  return casePath;
}

test('a view round-trips through its text, and bad fields are dropped one by one', () => {
  const view: ViewState = {
    selection: { kind: 'node', id: 'arn:aws:iam::111122223333:user/mallory' },
    at: '2024-05-01T10:00:00.000Z',
    filter: { query: 'eventName:Delete* OR tag:suspicious', from: '2024-05-01T00:00:00.000Z', to: '2024-05-02T00:00:00.000Z', errorsOnly: true, includeReadOnly: true },
    tab: 'notes',
    local: true,
    compact: true,
    sortBy: 'actor',
    descending: true,
  };
  assert.deepEqual(parseViewState(encodeViewState(view)), view);
  assert.deepEqual(parseViewState('#' + encodeViewState({ selection: { kind: 'event', id: 42 } })), { selection: { kind: 'event', id: 42 } });
  const hostile = parseViewState(`event=1e9&at=yesterday&from=not-a-time&q=${'x'.repeat(600)}&actor=alice&tab=<script>&errors=true&sort=event_name;DROP`);
  assert.deepEqual(hostile, { filter: { actor: 'alice' } });
  assert.equal(encodeViewState({}), '');
});

test('views saved in the app are listed by the CLI and opened by serve --open; a hostile name stays text', async (t) => {
  const casePath = await smallCase(t);
  const wb = openWorkbench(casePath);
  const state = encodeViewState({ filter: { query: 'sourceIPAddress:203.0.113.7' }, selection: { kind: 'node', id: 'sg-1' } });
  const saved = await wb.dispatch('views:save', { name: ' first look ', state: state + '&junk=<b>' });
  assert.ok(saved.ok, JSON.stringify(saved));
  assert.equal((saved.value as SavedView).name, 'first look');
  assert.equal((saved.value as SavedView).state, state, 'stored in its canonical form');
  // Saving under the same name replaces it.
  assert.ok((await wb.dispatch('views:save', { name: 'first look', state })).ok);
  const hostile = '\u001b[31m=cmd|"/c calc"';
  assert.equal((await wb.dispatch('views:save', { name: hostile, state: '' })).ok, false, 'control characters refused');
  assert.ok((await wb.dispatch('views:save', { name: '=cmd|"/c calc"', state: '' })).ok);
  const listed = await wb.dispatch('views:list', {});
  assert.ok(listed.ok);
  assert.deepEqual((listed.value as SavedView[]).map((v) => v.name), ['=cmd|"/c calc"', 'first look']);
  await wb.close();

  const cli = await runTrailscope(['views', '--case', casePath, '--json']);
  assert.equal(cli.code, 0, cli.err);
  assert.deepEqual((JSON.parse(cli.out) as SavedView[]).map((v) => [v.name, v.state]), [['=cmd|"/c calc"', ''], ['first look', state]]);
  const removed = await runTrailscope(['views', '--case', casePath, '--remove', '=cmd|"/c calc"']);
  assert.match(removed.out, /removed view/);

  // A case written by someone else: a stored state is read back through the codec (bad fields dropped).
  const raw = openCase(casePath);
  raw.prepare("INSERT INTO saved_views (name, state, author, created_at) VALUES ('planted', 'q=ok&from=<script>&tab=%3Cb%3E&event=-1', 'x', 0)").run();
  raw.close();
  const planted = JSON.parse((await runTrailscope(['views', '--case', casePath, '--json'])).out) as SavedView[];
  assert.equal(planted.find((v) => v.name === 'planted')?.state, 'q=ok');

  const missing = await runTrailscope(['serve', '--case', casePath, '--open', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no saved view called nope \(saved views: first look, planted\)/);
});

test('the account choice travels in the view string; ids that are not 12 digits are dropped', () => {
  const v: ViewState = { filter: { accounts: ['111111111111', '222222222222'], actor: 'alice' } };
  const text = encodeViewState(v);
  assert.match(text, /acct=111111111111%2C222222222222/);
  assert.deepEqual(parseViewState(text), v);
  assert.deepEqual(parseViewState('acct=1111,<b>x</b>&actor=alice'), { filter: { actor: 'alice' } });
  assert.deepEqual(parseViewState(`acct=${Array.from({ length: 101 }, (_, i) => String(100000000000 + i)).join(',')}`), {});
});
