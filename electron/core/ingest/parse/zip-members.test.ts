import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ownInputs, walkInputs } from './index.ts';
import { makeZip } from './test-zip.ts';
import type { InputFile } from './types.ts';
import { openZip, readEntries, readMember } from './zip-archive.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-zip-members-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const bytesOf = async (input: InputFile) => {
  const chunks: Buffer[] = [];
  for await (const chunk of await input.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
};

test('the central directory is read in pieces: every member once, in the directory\'s order, then nothing', async () => {
  const names = Array.from({ length: 11 }, (_, i) => `m${String((i * 7) % 11).padStart(2, '0')}.json`);
  const path = join(dir, 'pieces.zip');
  await writeFile(path, makeZip(names.map((name) => ({ name, data: `{"name":"${name}"}` }))));
  const zip = await openZip({ kind: 'file', path });
  try {
    const read: string[][] = [];
    for (let piece = await readEntries(zip, 4); piece.length > 0; piece = await readEntries(zip, 4)) read.push(piece.map((e) => e.fileName));
    assert.deepEqual(read.map((p) => p.length), [4, 4, 3]);
    assert.deepEqual(read.flat(), names);
    assert.deepEqual(await readEntries(zip, 4), []);
  } finally {
    zip.close();
  }
});

test('members read whole by the walk\'s handle, and by one of their own after the walk, give their bytes', async () => {
  const path = join(dir, 'two.zip');
  await writeFile(path, makeZip([{ name: 'b.json', data: '{"Records":[]}' }, { name: 'a.json', data: 'x'.repeat(100_000) }]));
  const zip = await openZip({ kind: 'file', path });
  const entries = await readEntries(zip, 10);
  try {
    assert.deepEqual(entries.map((e) => e.fileName), ['b.json', 'a.json']);
    assert.equal((await readMember({ kind: 'file', path }, entries[0], zip)).toString(), '{"Records":[]}');
  } finally {
    zip.close();
  }
  assert.equal(zip.isOpen, false);
  assert.equal((await readMember({ kind: 'file', path }, entries[1], zip)).toString(), 'x'.repeat(100_000));
  // Walked, the members come sorted by name, each its own position.
  const walked: InputFile[] = [];
  for await (const position of walkInputs([path])) walked.push(position);
  assert.deepEqual(walked.map((p) => p.path.slice(path.length)), ['!/a.json', '!/b.json']);
  assert.equal(await bytesOf(walked[1]), '{"Records":[]}');
});

test('a member that is an archive by content but not by name is opened by its owner alone, which reads its members', async () => {
  const inner = makeZip([{ name: 'deep.json', data: '{"Records":[]}' }]);
  const path = join(dir, 'outer.zip');
  await writeFile(path, makeZip([{ name: 'inner.bin', data: inner }, { name: 'named.zip', data: inner }]));
  const positions: InputFile[] = [];
  for await (const position of walkInputs([path])) positions.push(position);
  // The walk opens the member named .zip to share out its members, and not the other.
  assert.deepEqual(positions.map((p) => p.path.slice(path.length)), ['!/inner.bin', '!/named.zip!/deep.json']);
  const owned: string[] = [];
  for await (const input of ownInputs(positions[0])) owned.push(input.path.slice(path.length));
  assert.deepEqual(owned, ['!/inner.bin!/deep.json']);
});

test('a member whose local header is not one is refused by name with the reason; the others are read', async () => {
  const zip = makeZip([{ name: 'good.json', data: '{"Records":[]}' }, { name: 'bad.json', data: '{"Records":[]}' }]);
  // The second member's local header: its signature overwritten.
  const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), 4);
  zip.writeUInt32LE(0xdeadbeef, second);
  const path = join(dir, 'broken-member.zip');
  await writeFile(path, zip);
  const got = new Map<string, string>();
  for await (const position of walkInputs([path])) {
    for await (const input of ownInputs(position)) got.set(input.path.slice(path.length), await bytesOf(input).catch((err: Error) => `refused: ${err.message}`));
  }
  assert.equal(got.get('!/good.json'), '{"Records":[]}');
  assert.equal(got.get('!/bad.json'), 'refused: cannot read zip member: invalid local file header signature: 0xdeadbeef');
});

test('a piece of the directory also ends once its names reach a bound', async () => {
  const path = join(dir, 'long-names.zip');
  await writeFile(path, makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `${i}${'n'.repeat(999)}.json`, data: '[]' }))));
  const zip = await openZip({ kind: 'file', path });
  try {
    const sizes: number[] = [];
    for (let piece = await readEntries(zip, 100, 2500); piece.length > 0; piece = await readEntries(zip, 100, 2500)) sizes.push(piece.length);
    assert.deepEqual(sizes, [3, 2]);
  } finally {
    zip.close();
  }
});

test('a member declaring a few bytes but stored in megabytes is streamed and refused at its declared size, not read into memory', async () => {
  // Random bytes do not deflate: stored, they stay over 4 MB.
  const noise = randomBytes(5 * 1024 * 1024);
  const zip = makeZip([{ name: 'liar.json', data: noise }]);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.ok(zip.readUInt32LE(central + 20) > 4 * 1024 * 1024, 'stored in more than 4 MB');
  zip.writeUInt32LE(100, central + 24);
  const path = join(dir, 'stored-liar.zip');
  await writeFile(path, zip);
  const results: string[] = [];
  for await (const position of walkInputs([path])) {
    for await (const input of ownInputs(position)) results.push(await bytesOf(input).then(() => 'read', (err: Error) => err.message));
  }
  assert.equal(results.length, 1);
  assert.match(results[0], /^cannot read zip member: too many bytes in the stream/);
});

test('a member past what is read whole is streamed, whole, through the walk\'s handle and after it', async () => {
  const big = randomBytes(5 * 1024 * 1024 + 17);
  const path = join(dir, 'big.zip');
  await writeFile(path, makeZip([{ name: 'big.bin', data: big }, { name: 'small.json', data: '[]' }]));
  const inputs: InputFile[] = [];
  for await (const position of walkInputs([path])) {
    for await (const input of ownInputs(position)) {
      if (input.path.endsWith('big.bin')) {
        const chunks: Buffer[] = [];
        for await (const chunk of await input.open()) chunks.push(chunk as Buffer);
        assert.ok(Buffer.concat(chunks).equals(big), 'read while the walk holds the archive');
      }
      inputs.push(input);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await inputs[0].open()) chunks.push(chunk as Buffer);
  assert.ok(Buffer.concat(chunks).equals(big), 'read again after the walk');
});
