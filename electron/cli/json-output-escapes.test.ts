// --json answers from a hostile case: C1 controls (U+0080–U+009F, CSI U+009B among them), bidi
// overrides and isolates and the line separators reach stdout as JSON escapes (JSON.stringify
// leaves them raw: it escapes only C0), and the JSON still parses back to the exact values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempCase } from '../../test-support/temp-case.ts';
import { runTrailscope } from '../../test-support/run-cli.ts';
import { addAnnotation } from '../core/annotations/annotations.ts';

const RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NODE = 'i-0\u009b31m\u0085';
const TEXT = 'clean\u009b2J\u202eexe.gnp\u2066\u2069\u0085\u2028next';

test('C1 controls and bidi overrides in --json output are escaped and round-trip', async (t) => {
  const c = tempCase('json-escapes');
  t.after(() => c.cleanup());
  assert.match(JSON.stringify(TEXT), RAW, 'JSON.stringify alone passes them through');
  addAnnotation(c.db, { target: 'node', targetId: NODE, kind: 'note', value: TEXT, author: 'eve\u202e' });
  c.db.close();
  for (const args of [['notes', '--case', c.path, '--json'], ['call', '--case', c.path, 'notes:list', '{}']]) {
    const r = await runTrailscope(args);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, RAW, `${args[0]}: a raw C1 or bidi character reached stdout`);
    assert.match(r.out, /\\u009b2J\\u202eexe\.gnp\\u2066\\u2069\\u0085\\u2028next/);
    const [note] = JSON.parse(r.out) as { targetId: string; value: string; author: string }[];
    assert.deepEqual([note.targetId, note.value, note.author], [NODE, TEXT, 'eve\u202e']);
  }
});
