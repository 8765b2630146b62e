import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { countInputs, enumerateInputs, openSource, ownInputs, SourceError, walkInputs } from './index.ts';
import { makeZip } from './test-zip.ts';
import type { InputFile } from './types.ts';

let dir: string;
const record = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com' });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-enum-'));
  await mkdir(join(dir, 'b/sub'), { recursive: true });
  await writeFile(join(dir, 'b/sub/z.json'), JSON.stringify({ Records: [record('z')] }));
  await writeFile(join(dir, 'a.log'), '2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 60 1700000000 1700000060 ACCEPT OK\n');
  await writeFile(join(dir, '.DS_Store'), Buffer.from([0, 0, 0, 1, 66, 117, 100, 49, 0, 0]));
  const inner = makeZip([{ name: 'deep/inner.json', data: JSON.stringify([record('inner')]) }]);
  await writeFile(
    join(dir, 'export.bin'), // named without .zip on purpose: detection is by content
    makeZip([
      { name: 'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/x.json.gz', data: gzipSync(JSON.stringify({ Records: [record('gz')] })) },
      { name: 'AWSLogs/nested.zip', data: inner },
    ]),
  );
  await writeFile(join(dir, 'broken.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 7)]));
});
after(() => rm(dir, { recursive: true, force: true }));

test('walks folders in sorted order and expands zips, nested zips and gzip members', async () => {
  const seen: { path: string; kind: string; ids: string[] }[] = [];
  for await (const input of enumerateInputs([dir, join(dir, 'missing.json')])) {
    const path = input.path.slice(dir.length + 1);
    try {
      const source = await openSource(input);
      const ids: string[] = [];
      for await (const b of source.batches) if (b.type === 'cloudtrail') ids.push(...b.records.map((r) => (r as { eventID: string }).eventID));
      seen.push({ path, kind: source.kind, ids });
    } catch (err) {
      assert.ok(err instanceof SourceError);
      seen.push({ path, kind: `rejected: ${err.message}`, ids: [] });
    }
  }
  assert.deepEqual(seen.map((s) => s.path), [
    '.DS_Store',
    'a.log',
    'b/sub/z.json',
    'broken.zip',
    'export.bin!/AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/x.json.gz',
    'export.bin!/AWSLogs/nested.zip!/deep/inner.json',
    'missing.json', // the second argument, which does not exist
  ]);
  const by = Object.fromEntries(seen.map((s) => [s.path, s]));
  assert.equal(by['.DS_Store'].kind, 'rejected: binary data, not a log or config format');
  assert.equal(by['a.log'].kind, 'flowlog');
  assert.deepEqual(by['b/sub/z.json'].ids, ['z']);
  assert.match(by['broken.zip'].kind, /^rejected: corrupt zip archive: /);
  assert.deepEqual(by['export.bin!/AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/x.json.gz'].ids, ['gz']);
  assert.deepEqual(by['export.bin!/AWSLogs/nested.zip!/deep/inner.json'].ids, ['inner']);
  assert.equal(by['missing.json'].kind, 'rejected: no such file or folder');
});

test('a member can be opened again after enumeration has finished', async () => {
  const inputs = [];
  for await (const input of enumerateInputs([join(dir, 'export.bin')])) inputs.push(input);
  assert.equal(inputs.length, 2);
  for (const input of inputs.reverse()) {
    const source = await openSource(input);
    assert.equal(source.kind, 'cloudtrail');
    for await (const _ of source.batches);
  }
});

test('a position is opened by its reader as the file is then: small ones at once, large ones streamed, one that grew after the walk whole', async () => {
  const folder = join(dir, 'sizes');
  await mkdir(folder);
  // Above the 4 MB read at once, so this one is streamed.
  const large = Buffer.alloc(5 * 1024 * 1024 + 123, 'a');
  await writeFile(join(folder, 'large.json'), large);
  await writeFile(join(folder, 'small.json'), '{"Records":[]}');
  await writeFile(join(folder, 'grows.json'), '{"Records":');
  const positions: InputFile[] = [];
  for await (const position of walkInputs([folder])) positions.push(position);
  await writeFile(join(folder, 'grows.json'), '{"Records":[]}');
  const inputs = new Map<string, InputFile>();
  for (const position of positions) for await (const input of ownInputs(position)) inputs.set(input.path.slice(folder.length + 1), input);
  const bytesOf = async (name: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await inputs.get(name)!.open()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  assert.ok((await bytesOf('large.json')).equals(large));
  assert.equal((await bytesOf('small.json')).toString(), '{"Records":[]}');
  assert.equal((await bytesOf('grows.json')).toString(), '{"Records":[]}');
  assert.equal(inputs.get('grows.json')!.size, '{"Records":[]}'.length);
  assert.equal(inputs.get('large.json')!.size, large.length);
  // Opened again (the evidence reads a file a second time), a file is read from disk.
  assert.equal((await bytesOf('small.json')).toString(), '{"Records":[]}');
});

test('the walk opens no file but the archives named .zip: an archive by content alone is one position, its members its reader\'s', async () => {
  const positions: string[] = [];
  for await (const position of walkInputs([dir])) positions.push(position.path.slice(dir.length + 1));
  assert.ok(positions.includes('export.bin'), positions.join(', '));
  assert.ok(positions.includes('broken.zip'), positions.join(', '));
  assert.ok(!positions.some((p) => p.startsWith('export.bin!/')));
  // Counted for the progress: each position once, by its stored size (a corrupt archive's, unread, as nothing).
  const counted = await countInputs([dir]);
  const stored = positions.reduce((n, p) => n + (p === 'broken.zip' ? 0 : statSync(join(dir, p)).size), 0);
  assert.deepEqual(counted, { files: positions.length, bytes: stored });
  // Named .zip, an archive is opened by the walk itself, so that every reader shares out its members.
  const named = join(dir, 'named');
  await mkdir(named);
  await writeFile(join(named, 'logs.zip'), makeZip([{ name: 'one.json', data: JSON.stringify([record('one')]) }, { name: 'two.json', data: '[]' }]));
  await writeFile(join(named, 'not-an-archive.zip'), JSON.stringify([record('plain')]));
  const walked: string[] = [];
  for await (const position of walkInputs([named])) walked.push(position.path.slice(named.length + 1));
  assert.deepEqual(walked, ['logs.zip!/one.json', 'logs.zip!/two.json', 'not-an-archive.zip']);
});

test('a file gone or swapped for a folder after the walk is refused by name when its reader opens it', async () => {
  const folder = join(dir, 'vanishing');
  await mkdir(folder);
  await writeFile(join(folder, 'gone.json'), '[]');
  await writeFile(join(folder, 'now-a-folder.json'), '[]');
  const positions: InputFile[] = [];
  for await (const position of walkInputs([folder])) positions.push(position);
  await rm(join(folder, 'gone.json'));
  await rm(join(folder, 'now-a-folder.json'));
  await mkdir(join(folder, 'now-a-folder.json'));
  const reasons: string[] = [];
  for (const position of positions) {
    for await (const input of ownInputs(position)) await input.open().catch((err: Error) => reasons.push(`${input.path.slice(folder.length + 1)}: ${err.message}`));
  }
  assert.deepEqual(reasons, ['gone.json: no such file or folder', 'now-a-folder.json: not a regular file']);
});

test('a file swapped for a FIFO after the walk is refused by name, not waited on', { skip: process.platform === 'win32', timeout: 10_000 }, async () => {
  const folder = join(dir, 'swapped');
  await mkdir(folder);
  const path = join(folder, 'trail.json');
  await writeFile(path, '{"Records":[]}');
  const positions: InputFile[] = [];
  for await (const position of walkInputs([folder])) positions.push(position);
  await rm(path);
  execFileSync('mkfifo', [path]);
  const inputs: InputFile[] = [];
  for await (const input of ownInputs(positions[0])) inputs.push(input);
  await assert.rejects(inputs[0].open(), (err) => err instanceof SourceError && /not a regular file/.test(err.message));
  // Found by the walk itself, it is refused there.
  const walked: InputFile[] = [];
  for await (const input of enumerateInputs([folder])) walked.push(input);
  await assert.rejects(walked[0].open(), /not a regular file/);
});
