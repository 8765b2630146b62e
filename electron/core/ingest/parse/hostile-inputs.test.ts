// Inputs built to hurt the reader: a gzip bomb hidden in one record, zip members named to climb out
// of the archive, and members whose declared size lies. Each must end in a clear rejection (a
// SourceError or a rejected record), never a crash, a huge allocation or a file written elsewhere.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { enumerateInputs, openSource, SourceError } from './index.ts';
import { makeZip } from './test-zip.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-hostile-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const rec = (id: string, extra: object = {}) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', ...extra });

async function readAll(path: string) {
  const out: { path: string; records: unknown[]; rejected: string[]; error: string | null }[] = [];
  for await (const input of enumerateInputs([path])) {
    const one = { path: input.path, records: [] as unknown[], rejected: [] as string[], error: null as string | null };
    try {
      const source = await openSource(input);
      for await (const b of source.batches) {
        if (b.type === 'cloudtrail') one.records.push(...b.records);
        if (b.type !== 'config') one.rejected.push(...b.rejected.map((r) => `${r.position}: ${r.reason}`));
      }
    } catch (err) {
      assert.ok(err instanceof SourceError, `not a SourceError: ${String(err)}`);
      one.error = err.message;
    }
    out.push(one);
  }
  return out;
}

test('a gzip bomb inside one CloudTrail record is rejected, not held in memory, and the next record is read', async () => {
  // ~20 MB of one character compresses to ~20 KB; the record holding it is past the per-record cap.
  const bomb = JSON.stringify(rec('bomb', { requestParameters: { x: 'A'.repeat(20 * 1024 * 1024) } }));
  const filler = Array.from({ length: 4000 }, (_, i) => JSON.stringify(rec(`f${i}`, { userAgent: 'x'.repeat(1000) })));
  const text = `{"Records":[${[...filler, bomb, JSON.stringify(rec('after'))].join(',')}]}`;
  const path = join(dir, 'bomb.json.gz');
  await writeFile(path, gzipSync(text));
  const [one] = await readAll(path);
  assert.equal(one.error, null);
  const ids = one.records.map((r) => (r as { eventID: string }).eventID);
  assert.equal(ids.includes('bomb'), false, 'the oversized record must not be parsed');
  assert.equal(ids.at(-1), 'after');
  assert.equal(ids.length, 4001);
  assert.deepEqual(one.rejected, ['record 4001: record larger than 16 MB']);
});

test('members named to climb out of their archive are read, labelled as named; the archive is read whole and nothing is written anywhere', async () => {
  // Members are never extracted by name (they are streamed, nested archives go to random temp
  // names): a name is only a label. yauzl, decoding names itself, had refused the whole archive for
  // one such member ("corrupt zip archive: invalid relative path"), and its other members were lost.
  const sub = join(dir, 'slip');
  await mkdir(sub, { recursive: true });
  const cases: [name: string, label: string][] = [
    ['../../../../tmp/trailscope-zip-slip.json', '../../../../tmp/trailscope-zip-slip.json'],
    ['/tmp/trailscope-zip-abs.json', '/tmp/trailscope-zip-abs.json'],
    ['..\\..\\trailscope-zip-win.json', '../../trailscope-zip-win.json'],
    ['C:\\Windows\\trailscope-zip-drive.json', 'C:/Windows/trailscope-zip-drive.json'],
    ['logs/../../trailscope-zip-mid.json', 'logs/../../trailscope-zip-mid.json'],
  ];
  for (const [name, label] of cases) {
    const path = join(sub, 'evil.zip');
    await writeFile(path, makeZip([{ name: 'ok.json', data: JSON.stringify({ Records: [rec('ok')] }) }, { name, data: JSON.stringify({ Records: [rec('slip')] }) }]));
    const all = await readAll(path);
    assert.deepEqual(all.map((x) => [x.path, x.records.length, x.error ?? null]).sort(), [[`${path}!/${label}`, 1, null], [`${path}!/ok.json`, 1, null]].sort(), name);
  }
  assert.deepEqual(await readdir(sub), ['evil.zip']);
  for (const f of ['/tmp/trailscope-zip-slip.json', '/tmp/trailscope-zip-abs.json', join(dir, 'trailscope-zip-win.json'), join(dir, 'trailscope-zip-mid.json'), 'C:/Windows/trailscope-zip-drive.json']) {
    assert.equal(existsSync(f), false, f);
  }
});

test('a zip member that inflates past its declared size is refused', async () => {
  // Declare 100 bytes, deliver 1 MB: yauzl checks the stream against the declared size.
  const real = Buffer.from(JSON.stringify({ Records: [rec('x', { pad: 'B'.repeat(1024 * 1024) })] }));
  const zip = makeZip([{ name: 'liar.json', data: real }]);
  // Patch the uncompressed size in the local header (offset 22) and the central directory (offset 24).
  zip.writeUInt32LE(100, 22);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(100, central + 24);
  const path = join(dir, 'liar.zip');
  await writeFile(path, zip);
  const [one] = await readAll(path);
  assert.equal(one.records.length, 0);
  assert.match(one.error ?? '', /too many bytes|read error|corrupt|invalid JSON|truncated/);
});
