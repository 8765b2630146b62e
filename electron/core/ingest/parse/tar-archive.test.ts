import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openSource, ownInputs, walkInputs } from './index.ts';
import { isTarHeader } from './tar-archive.ts';
import { makeZip } from './test-zip.ts';
import type { InputFile } from './types.ts';

let dir: string;
const record = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com' });
const LONG = `${'deep/'.repeat(30)}CloudTrail_with_a_name_past_a_hundred_characters.json`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-tar-'));
  const trail = join(dir, 'trail');
  mkdirSync(join(trail, 'us-east-1/2024/05/01'), { recursive: true });
  writeFileSync(join(trail, 'us-east-1/2024/05/01/a.json.gz'), gzipSync(JSON.stringify({ Records: [record('a')] })));
  writeFileSync(join(trail, 'us-east-1/2024/05/01/b.json'), JSON.stringify({ Records: [record('b')] }));
  mkdirSync(join(trail, LONG, '..'), { recursive: true });
  writeFileSync(join(trail, LONG), JSON.stringify({ Records: [record('long')] }));
  symlinkSync('/etc/passwd', join(trail, 'passwd'));
  // As a responder is handed them: GNU tar's own format (long names in 'L' headers), and pax.
  execFileSync('tar', ['-czf', join(dir, 'trail.tgz'), '-C', trail, '.']);
  execFileSync('tar', ['--format=pax', '-cf', join(dir, 'trail.bin'), '-C', trail, '.']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function owned(path: string, maxBytes?: number): Promise<Map<string, InputFile>> {
  const inputs = new Map<string, InputFile>();
  for await (const position of walkInputs([path], { maxBytes })) {
    for await (const input of ownInputs(position, { maxBytes })) inputs.set(input.path.slice(path.length), input);
  }
  return inputs;
}

async function eventIds(input: InputFile): Promise<string[]> {
  const ids: string[] = [];
  const source = await openSource(input);
  for await (const b of source.batches) if (b.type === 'cloudtrail') ids.push(...b.records.map((r) => (r as { eventID: string }).eventID));
  return ids;
}

test('a tar archive, gzipped or not and whatever its name, is read member by member by its owner', async () => {
  for (const name of ['trail.tgz', 'trail.bin']) {
    const path = join(dir, name);
    const positions: string[] = [];
    for await (const position of walkInputs([path])) positions.push(position.path);
    assert.deepEqual(positions, [path], 'one position: the walk does not open it');
    const inputs = await owned(path);
    const expected = ['!/passwd', `!/${LONG}`, '!/us-east-1/2024/05/01/a.json.gz', '!/us-east-1/2024/05/01/b.json'];
    assert.deepEqual([...inputs.keys()].sort(), expected.sort(), name);
    assert.deepEqual(await eventIds(inputs.get('!/us-east-1/2024/05/01/a.json.gz')!), ['a']);
    assert.deepEqual(await eventIds(inputs.get('!/us-east-1/2024/05/01/b.json')!), ['b']);
    assert.deepEqual(await eventIds(inputs.get(`!/${LONG}`)!), ['long']);
    // A link inside the archive is no input, and nothing is followed.
    await assert.rejects(inputs.get('!/passwd')!.open(), /not a regular file/);
  }
});

test('a header that fails its checksum ends the archive with the reason; the members before it are read', async () => {
  const tar = readFileSync(join(dir, 'trail.bin'));
  const headers: number[] = [];
  for (let at = 0; at + 512 <= tar.length; at += 512) if (isTarHeader(tar.subarray(at, at + 512))) headers.push(at);
  const broken = Buffer.from(tar);
  broken[headers.at(-1)! + 10] ^= 0xff;
  const path = join(dir, 'broken.tar');
  writeFileSync(path, broken);
  const inputs = await owned(path);
  const refusals = await Promise.all([...inputs.values()].map((i) => i.open().then(() => null, (err: Error) => err.message)));
  assert.ok(inputs.size >= 2, [...inputs.keys()].join(', '));
  assert.match(refusals.at(-1) ?? '', /^corrupt tar archive: the header after \d+ members fails its checksum$/);
});

test('a member past the per-file limit is refused by name, and the archive is read no further', async () => {
  const folder = join(dir, 'sizes');
  mkdirSync(folder);
  writeFileSync(join(folder, '1-small.json'), JSON.stringify({ Records: [record('small')] }));
  // 200 KB that gzip makes a few hundred bytes: the archive is within the limit, the member is not.
  writeFileSync(join(folder, '2-large.json'), JSON.stringify({ Records: [record('large')], pad: 'x'.repeat(200_000) }));
  writeFileSync(join(folder, '3-after.json'), JSON.stringify({ Records: [record('after')] }));
  const path = join(dir, 'sizes.tgz');
  execFileSync('tar', ['-czf', path, '-C', folder, '1-small.json', '2-large.json', '3-after.json']);
  const inputs = await owned(path, 50_000);
  assert.deepEqual([...inputs.keys()], ['!/1-small.json', '!/2-large.json']);
  assert.deepEqual(await eventIds(inputs.get('!/1-small.json')!), ['small']);
  await assert.rejects(inputs.get('!/2-large.json')!.open(), /^SourceError: tar member larger than 48\.8 KB .*the archive's later members are not read$/);
});

test('a gzip whose content is a whole number of blocks but no tar is read as itself', async () => {
  // Padded with spaces to 1,024 bytes: the trailer's size passes the first test, the content fails the second.
  const json = JSON.stringify({ Records: [record('padded')] });
  const path = join(dir, 'padded.json.gz');
  writeFileSync(path, gzipSync(json.padEnd(1024, ' ')));
  const inputs = await owned(path);
  assert.deepEqual([...inputs.keys()], ['']);
  assert.deepEqual(await eventIds(inputs.get('')!), ['padded']);
});

test('a member past what is held in memory is read from a temporary copy, removed once the next member is asked for', async () => {
  const folder = join(dir, 'big');
  mkdirSync(folder);
  const big = Buffer.alloc(5 * 1024 * 1024 + 3, '{');
  writeFileSync(join(folder, '1-big.bin'), big);
  writeFileSync(join(folder, '2-small.json'), '[]');
  const path = join(dir, 'big.tar');
  execFileSync('tar', ['-cf', path, '-C', folder, '1-big.bin', '2-small.json']);
  let position: InputFile | undefined;
  for await (const walked of walkInputs([path])) position = walked;
  const members = ownInputs(position!);
  const first = (await members.next()).value as InputFile;
  assert.equal(first.path, `${path}!/1-big.bin`);
  const chunks: Buffer[] = [];
  for await (const chunk of await first.open()) chunks.push(chunk as Buffer);
  assert.ok(Buffer.concat(chunks).equals(big));
  const copy = (await first.open()) as unknown as { path: string; destroy(): void };
  copy.destroy();
  assert.ok(existsSync(copy.path), 'the copy serves the member while it is read');
  const second = (await members.next()).value as InputFile;
  assert.equal(second.path, `${path}!/2-small.json`);
  assert.ok(!existsSync(copy.path), 'the copy goes once the next member is asked for');
  assert.equal((await members.next()).done, true);
});

test('a gzipped archive that inflates past the per-file limit stops there with the limit\'s words; the members before are read', async () => {
  const folder = join(dir, 'inflating');
  mkdirSync(folder);
  for (const name of ['1.json', '2.json', '3.json']) writeFileSync(join(folder, name), JSON.stringify({ Records: [record(name)], pad: 'x'.repeat(30_000) }));
  const path = join(dir, 'inflating.tgz');
  execFileSync('tar', ['-czf', path, '-C', folder, '1.json', '2.json', '3.json']);
  const inputs = await owned(path, 50_000);
  assert.deepEqual(await eventIds(inputs.get('!/1.json')!), ['1.json']);
  const last = [...inputs.values()].at(-1)!;
  assert.equal(last.path, path);
  await assert.rejects(last.open(), /^SourceError: decompressed size over 48\.8 KB \(the per-file limit; raise it with --max-bytes\)$/);
});

test('a .tgz inside a zip is read member by member by its owner, small or past what is read whole', async () => {
  const folder = join(dir, 'zipped');
  mkdirSync(folder);
  writeFileSync(join(folder, 'small.json'), JSON.stringify({ Records: [record('zipped')] }));
  writeFileSync(join(folder, 'noise.bin'), randomBytes(5 * 1024 * 1024));
  const small = execFileSync('tar', ['-cz', '-C', folder, 'small.json']);
  const large = execFileSync('tar', ['-cz', '-C', folder, 'noise.bin', 'small.json'], { maxBuffer: 64 * 1024 * 1024 });
  assert.ok(large.length > 4 * 1024 * 1024);
  const path = join(dir, 'evidence.zip');
  writeFileSync(path, makeZip([{ name: 'large.tgz', data: large }, { name: 'small.tgz', data: small }]));
  const inputs = await owned(path);
  assert.deepEqual([...inputs.keys()], ['!/large.tgz!/noise.bin', '!/large.tgz!/small.json', '!/small.tgz!/small.json']);
  assert.deepEqual(await eventIds(inputs.get('!/large.tgz!/small.json')!), ['zipped']);
  assert.deepEqual(await eventIds(inputs.get('!/small.tgz!/small.json')!), ['zipped']);
});

test('a member named in more characters than a source path may hold ends the archive with the reason', async () => {
  // Written by hand, as no file system names a file so: a pax header whose path is 70,000 characters, then its member.
  const header = (name: string, type: string, size: number) => {
    const block = Buffer.alloc(512);
    block.write(name, 0, 100, 'utf8');
    block.write('0000644\0', 100, 'latin1');
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    block.write('00000000000\0', 136, 'latin1');
    block.write(type, 156, 'latin1');
    block.write('ustar\x0000', 257, 'latin1');
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of block) sum += b;
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    return block;
  };
  const padded = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  const record = (key: string, value: string) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length;
    while (String(length).length + body.length !== length) length = String(length).length + body.length;
    return `${length}${body}`;
  };
  const pax = Buffer.from(record('path', `${'x'.repeat(70_000)}.json`));
  const data = Buffer.from('{"Records":[]}');
  const path = join(dir, 'long-name.tar');
  writeFileSync(path, Buffer.concat([
    header('ok.json', '0', data.length), padded(data),
    header('PaxHeader', 'x', pax.length), padded(pax), header('short.json', '0', data.length), padded(data), Buffer.alloc(1024),
  ]));
  const inputs = await owned(path);
  assert.deepEqual([...inputs.keys()], ['!/ok.json', '']);
  await assert.rejects(inputs.get('')!.open(), /^SourceError: corrupt tar archive: a member named in 70,005 characters$/);
});
