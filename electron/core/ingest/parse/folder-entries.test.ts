import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, opendirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { folderEntries } from './folder-entries.ts';

let dir: string;
// Names whose code-unit order differs from a locale's and from the order they were made in: capitals
// before small letters, digits, an accented letter, a character past U+FFFF against one below it.
const FILES = ['b.json', 'B.json', 'a10.json', 'a9.json', 'é.json', '\u{1F600}.json', '\uFF01.json', '_x', 'Z', '0'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-folder-entries-'));
  for (const name of FILES) writeFileSync(join(dir, name), name);
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `CloudTrail_${String((i * 37) % 40).padStart(3, '0')}.json.gz`), '');
  mkdirSync(join(dir, 'sub'));
  symlinkSync(join(dir, 'sub'), join(dir, 'link'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const inCodeUnits = (names: string[]) => names.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const names = (piece: number) => [...folderEntries(dir, piece)].map((e) => e.name);

test('a folder within one piece is given whole in code-unit order', () => {
  const all = inCodeUnits(readdirSync(dir));
  assert.equal(all.length, FILES.length + 42);
  for (const piece of [all.length, all.length + 1, 65_536]) assert.deepEqual(names(piece), all, `piece of ${piece}`);
});

test('a larger folder gives every entry once, piece by piece, each piece sorted, in the order the folder lists them', () => {
  // The folder's own order, as a stream reads it (readdirSync sorts its list by bytes).
  const listed: string[] = [];
  const stream = opendirSync(dir);
  for (let entry = stream.readSync(); entry !== null; entry = stream.readSync()) listed.push(entry.name);
  stream.closeSync();
  for (const piece of [1, 2, 7, 25, listed.length - 1]) {
    const given = names(piece);
    const pieces = Array.from({ length: Math.ceil(listed.length / piece) }, (_, i) => listed.slice(i * piece, (i + 1) * piece));
    assert.deepEqual(given, pieces.flatMap(inCodeUnits), `piece of ${piece}`);
    // The same order at every walk, while the folder holds still: the readers share out positions by it.
    assert.deepEqual(names(piece), given);
  }
});

test('each entry keeps the type its folder gives', () => {
  const kinds = Object.fromEntries([...folderEntries(dir, 4)].map((e) => [e.name, e.kind]));
  assert.equal(kinds.sub, 'folder');
  assert.equal(kinds.link, 'link');
  assert.equal(kinds['b.json'], 'file');
});

test('an empty folder gives nothing; one that cannot be read throws the file system\'s error', () => {
  assert.deepEqual([...folderEntries(join(dir, 'sub'), 2)], []);
  assert.throws(() => [...folderEntries(join(dir, 'missing'), 2)], { code: 'ENOENT' });
  assert.throws(() => [...folderEntries(join(dir, 'b.json'), 2)], { code: 'ENOTDIR' });
});
