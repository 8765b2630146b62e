// The index builds that end a bulk load run with the page cache capped (its sorter's memory with it),
// and the cache the caller chose is back afterwards, whatever happened inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCase } from './open-case.ts';
import { withPageCacheAtMost } from './page-cache.ts';

test('the page cache is capped while the work runs and restored after, even when it throws', () => {
  const db = openCase(':memory:', { cacheMiB: 128 });
  const cache = () => db.pragma('cache_size', { simple: true });
  assert.equal(cache(), -128 * 1024);
  assert.equal(withPageCacheAtMost(db, 64, cache), -64 * 1024);
  assert.equal(cache(), -128 * 1024);
  assert.throws(() => withPageCacheAtMost(db, 64, () => { throw new Error('boom'); }), /boom/);
  assert.equal(cache(), -128 * 1024);
  // A cache already smaller (in KiB, or in pages) is left as it is.
  db.pragma('cache_size = -16384');
  assert.equal(withPageCacheAtMost(db, 64, cache), -16384);
  db.pragma('cache_size = 2000');
  assert.equal(withPageCacheAtMost(db, 64, cache), 2000);
  db.close();
});
