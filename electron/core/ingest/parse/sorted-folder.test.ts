import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sortedFolder } from './sorted-folder.ts';

let dir: string;
// Names whose code-unit order differs from a locale's and from the order they were made in: capitals
// before small letters, digits, an accented letter, a character past U+FFFF against one below it.
const FILES = ['b.json', 'B.json', 'a10.json', 'a9.json', 'é.json', '\u{1F600}.json', '\uFF01.json', '_x', 'Z', '0'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-sorted-folder-'));
  for (const name of FILES) writeFileSync(join(dir, name), name);
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `CloudTrail_${String((i * 37) % 40).padStart(3, '0')}.json.gz`), '');
  mkdirSync(join(dir, 'sub'));
  symlinkSync(join(dir, 'sub'), join(dir, 'link'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const expected = () => readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

test('a folder listed in pieces gives every entry once, in code-unit order, whatever the piece size', () => {
  const all = expected();
  assert.equal(all.length, FILES.length + 42);
  for (const piece of [1, 2, 3, 7, 25, all.length - 1, all.length, all.length + 1, 65_536]) {
    assert.deepEqual([...sortedFolder(dir, piece)].map((e) => e.name), all, `piece of ${piece}`);
  }
});

test('each entry keeps the type its folder gives', () => {
  const kinds = Object.fromEntries([...sortedFolder(dir, 4)].map((e) => [e.name, e.kind]));
  assert.equal(kinds.sub, 'folder');
  assert.equal(kinds.link, 'link');
  assert.equal(kinds['b.json'], 'file');
});

test('an empty folder gives nothing; one that cannot be read throws the file system\'s error', () => {
  const empty = join(dir, 'sub');
  assert.deepEqual([...sortedFolder(empty, 2)], []);
  assert.throws(() => [...sortedFolder(join(dir, 'missing'), 2)], { code: 'ENOENT' });
  assert.throws(() => [...sortedFolder(join(dir, 'b.json'), 2)], { code: 'ENOTDIR' });
});

test('a name added between two pieces is given when it sorts after the last name given', () => {
  const changing = mkdtempSync(join(tmpdir(), 'trailscope-sorted-folder-'));
  try {
    for (const name of ['b', 'd', 'f', 'h']) writeFileSync(join(changing, name), '');
    const names: string[] = [];
    for (const entry of sortedFolder(changing, 2)) {
      names.push(entry.name);
      // After the first piece (b, d): one before the last given, one after it.
      if (entry.name === 'd') for (const name of ['a', 'e']) writeFileSync(join(changing, name), '');
    }
    assert.deepEqual(names, ['b', 'd', 'e', 'f', 'h']);
  } finally {
    rmSync(changing, { recursive: true, force: true });
  }
});
