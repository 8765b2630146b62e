// `trailscope ingest --max-bytes SIZE --follow-links`: the flags reach the pipeline, and what they
// refuse shows in `trailscope info` by name and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/trailscope.js');

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const rec = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });

test('--max-bytes and --follow-links reach the readers; refused inputs are listed by `info`', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-cli-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const evidence = join(dir, 'evidence');
  mkdirSync(evidence);
  writeFileSync(join(evidence, 'big.json.gz'), gzipSync(JSON.stringify({ Records: Array.from({ length: 50 }, (_, i) => rec(`big-${i}`)) })));
  writeFileSync(join(evidence, 'small.json'), JSON.stringify({ Records: [rec('small')] }));
  writeFileSync(join(dir, 'outside.json'), JSON.stringify({ Records: [rec('outside')] }));
  symlinkSync(join(dir, 'outside.json'), join(evidence, 'link.json'));
  const casePath = join(dir, 'c.case');

  const first = cli('ingest', '--case', casePath, '--json', '--max-bytes', '2K', evidence);
  assert.equal(first.status, 3, first.stderr);
  const summary = JSON.parse(first.stdout) as { events: number; sources: { path: string; status: string; reason: string | null }[] };
  assert.equal(summary.events, 1);
  const reasons = Object.fromEntries(summary.sources.map((s) => [s.path.slice(evidence.length + 1), s.reason]));
  assert.deepEqual(reasons, {
    'big.json.gz': 'decompressed size over 2 KB (the per-file limit; raise it with --max-bytes)',
    'link.json': 'symbolic link leaves the evidence folder (use --follow-links to read it)',
    'small.json': null,
  });
  const info = cli('info', '--case', casePath);
  assert.match(info.stdout, /rejected .*big\.json\.gz: decompressed size over 2 KB/);
  assert.match(info.stdout, /rejected .*link\.json: symbolic link leaves the evidence folder/);

  const second = cli('ingest', '--case', casePath, '--json', '--follow-links', evidence);
  assert.equal(second.status, 0, second.stderr);
  assert.equal((JSON.parse(second.stdout) as { events: number }).events, 51);

  const wrong = cli('ingest', '--case', casePath, '--max-bytes', 'lots', evidence);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /--max-bytes takes a size such as 8G/);
});
