// `trailscope info` and `trailscope report` on an export with two records dated far from the rest:
// the true first and last times, and the span the other events fall in, with what it leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrailscope } from '../../test-support/run-cli.ts';
import { FAR_DATED, writeFarDatedExport } from '../../test-support/far-dated-export.ts';

test('info and the report say the span most events fall in beside the true first and last times', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-far-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'export.json');
  writeFarDatedExport(file);
  const casePath = join(dir, 'far.case');
  assert.equal((await runTrailscope(['ingest', '--case', casePath, file])).code, 0);
  const info = await runTrailscope(['info', '--case', casePath]);
  assert.equal(info.code, 0, info.err);
  const iso = (t: string) => new Date(t).toISOString();
  assert.ok(info.out.includes(`  events from       ${iso(FAR_DATED.first)} to ${iso(FAR_DATED.last)}\n    All but 1 event dated long before and 1 long after fall from ${iso(FAR_DATED.dayFrom)} to ${iso(FAR_DATED.dayTo)}.\n`), info.out);
  const json = JSON.parse((await runTrailscope(['info', '--case', casePath, '--json'])).out);
  assert.deepEqual(json.eventSpan, { from: iso(FAR_DATED.dayFrom), to: iso(FAR_DATED.dayTo), earlier: 1, later: 1 });

  const out = join(dir, 'report.html');
  assert.equal((await runTrailscope(['report', '--case', casePath, '--out', out])).code, 0);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.includes(`<tr><th>From</th><td>${iso(FAR_DATED.first)}</td></tr><tr><th>To</th><td>${iso(FAR_DATED.last)}</td></tr>`), 'the summary keeps the true times');
  assert.ok(html.includes(`<p>All but 1 event dated long before and 1 long after fall from ${iso(FAR_DATED.dayFrom)} to ${iso(FAR_DATED.dayTo)}.</p>`));
});
