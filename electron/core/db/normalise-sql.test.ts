import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSql } from './normalise-sql.ts';

test('comments and runs of whitespace do not count; everything else does', () => {
  const migration = `CREATE TABLE t (\n  key TEXT PRIMARY KEY, -- the key\n  value /* JSON */ TEXT\n) STRICT`;
  assert.equal(normaliseSql(migration), 'CREATE TABLE t ( key TEXT PRIMARY KEY, value TEXT ) STRICT');
  assert.equal(normaliseSql(migration), normaliseSql(`CREATE TABLE t ( key TEXT PRIMARY KEY,\tvalue TEXT ) STRICT -- edited comment`));
  assert.notEqual(normaliseSql('SELECT a FROM t'), normaliseSql('SELECT a FROM t WHERE 0'));
});

test('quoted text is kept as written: a comment marker inside quotes is text, not a comment', () => {
  assert.equal(normaliseSql(`SELECT '--  not a comment' , "a  /* b */"`), `SELECT '--  not a comment' , "a  /* b */"`);
  assert.equal(normaliseSql(`SELECT 'it''s -- here' -- gone`), `SELECT 'it''s -- here'`);
  assert.equal(normaliseSql('SELECT [a -- b], `c  d`'), 'SELECT [a -- b], `c  d`');
  // Differences hidden after what looks like a comment inside a string still differ.
  assert.notEqual(normaliseSql(`SELECT '--' WHERE 1`), normaliseSql(`SELECT '--' WHERE 0`));
});

test('only SQLite\'s whitespace is whitespace: a no-break space stays part of its token', () => {
  assert.notEqual(normaliseSql('SELECT a\u00a0b'), normaliseSql('SELECT a b'));
  assert.equal(normaliseSql('a/**/b'), 'a b');
  assert.equal(normaliseSql('a /* unterminated'), 'a');
});
