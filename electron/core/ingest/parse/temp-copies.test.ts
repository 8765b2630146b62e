// Temporary copies left by a process killed outright (kill -9 skips the exit that removes them) are
// removed by the next process that makes copies; nothing else in the temporary folder is touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { removeLeftFolders } from './temp-copies.ts';

const MODULE = fileURLToPath(new URL('./temp-copies.ts', import.meta.url));

/** The copy folders in `dir` (tsx keeps its cache there too). */
const copyFolders = (dir: string) => readdirSync(dir).filter((d) => d.startsWith('trailscope-copies-'));

/** A process making a copy in `dir`, then ending as `end` says; its process id. */
function copyingProcess(dir: string, end: 'killed' | 'exits'): number {
  const script = `import(${JSON.stringify(MODULE)}).then(async (m) => {
    const path = await m.tempCopyPath('.parquet');
    (await import('node:fs')).writeFileSync(path, 'PAR1');
    console.log(process.pid);
    if (${JSON.stringify(end)} === 'killed') process.kill(process.pid, 'SIGKILL');
  })`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, TMPDIR: dir }, encoding: 'utf8' });
  assert.equal(run.signal, end === 'killed' ? 'SIGKILL' : null, run.stderr);
  assert.equal(run.status, end === 'killed' ? null : 0, run.stderr);
  return Number(run.stdout.trim());
}

/** A process killed while it copies: the folder it leaves. */
function killedWhileCopying(dir: string): { folder: string; pid: number } {
  const pid = copyingProcess(dir, 'killed');
  const folders = copyFolders(dir);
  assert.equal(folders.length, 1, 'the killed process left its folder');
  assert.equal(readdirSync(join(dir, folders[0])).length, 1, 'with its copy in it');
  return { folder: folders[0], pid };
}

describe('temporary copies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-left-copies-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a killed process's copies are removed by the next process that makes copies, whose own go when it exits", () => {
    killedWhileCopying(dir);
    copyingProcess(dir, 'exits');
    assert.deepEqual(copyFolders(dir), []);
  });

  it('removes the folders of processes that are gone, and nothing else', async () => {
    const left = killedWhileCopying(dir);
    const others = readdirSync(dir).filter((d) => d !== left.folder);
    assert.match(left.folder, new RegExp(`^trailscope-copies-${left.pid}-`), 'the folder names its process');
    // A running process's folder (this one's parent), this process's own, a folder that only looks like
    // one (a link to elsewhere, named after the gone process), and another program's folder stay.
    const running = `trailscope-copies-${process.ppid}-running`;
    const own = `trailscope-copies-${process.pid}-own`;
    const elsewhere = join(dir, 'elsewhere');
    for (const name of [running, own, 'other-program']) mkdirSync(join(dir, name));
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'kept.txt'), 'not ours');
    const link = `trailscope-copies-${left.pid}-link`;
    symlinkSync(elsewhere, join(dir, link));

    await removeLeftFolders(dir);

    assert.equal(existsSync(join(dir, left.folder)), false, "the killed process's folder is removed");
    assert.deepEqual(readdirSync(dir).sort(), [...others, 'elsewhere', link, 'other-program', own, running].sort());
    assert.deepEqual(readdirSync(elsewhere), ['kept.txt'], 'a link is not followed');
  });

  it('does not fail when the temporary folder cannot be read', async () => {
    await removeLeftFolders(join(dir, 'missing'));
  });
});
