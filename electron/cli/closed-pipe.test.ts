// `trailscope timeline … | head` closes stdout early: the command must end quietly, not with a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realSample } from '../../test-support/real-data.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/trailscope.js');

test('a reader that stops early (| head) ends the command quietly', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-pipe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'p.case');
  const ingest = spawnSync(process.execPath, [CLI, 'ingest', '--case', casePath, realSample('stratus-red-team')], { encoding: 'utf8' });
  assert.equal(ingest.status, 0, ingest.stderr);
  // Hundreds of KB of JSON into a pipe that closes after ten bytes.
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" timeline --case "${casePath}" --format json | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|Error/, r.stderr);
  assert.equal(r.stdout.trim(), '0');
});
