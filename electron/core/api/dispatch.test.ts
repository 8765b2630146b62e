// The dispatcher is the one gate of both transports: unknown names and bad inputs are refused, and
// a handler's failure comes back as a Result whose message has its credentials redacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDispatcher, type Handlers } from './dispatch.ts';

test('a failing call answers with a redacted message, and the log line is redacted too', async () => {
  const lines: string[] = [];
  const handlers = {
    'case:info': () => {
      throw new Error('UnrecognizedClientException: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY was refused');
    },
  } as unknown as Handlers;
  const dispatch = createDispatcher(handlers, (l) => lines.push(l));
  const r = await dispatch('case:info', {});
  assert.equal(r.ok, false);
  const message = r.ok ? '' : r.error.message;
  assert.equal(r.ok ? '' : r.error.kind, 'internal');
  assert.match(message, /^UnrecognizedClientException: AKIA/);
  for (const text of [message, ...lines]) {
    assert.equal(text.includes('IOSFODNN7EXAM'), false, text);
    assert.equal(text.includes('wJalrXUtnFEMI/K7MDENG'), false, text);
  }
  const unknown = await dispatch('fs:read\u001b[31m', {});
  assert.deepEqual(unknown.ok ? null : unknown.error.kind, 'unknown-call');
  const bad = await dispatch('timeline:page', { filter: { from: 'yesterday' } });
  assert.deepEqual(bad.ok ? null : bad.error.kind, 'invalid-input');
});

test('every answer is bounded: long strings are cut with their size, and an answer past its ceiling is refused, not sent', async () => {
  const lines: string[] = [];
  const label = `node-${'x'.repeat(10_000)}`;
  const handlers = {
    'graph:search': () => [{ id: 'ip/198.51.100.66', type: 'ip', label, detail: null }],
    'case:info': () => ({ blob: Array.from({ length: 1000 }, () => 'y'.repeat(90)) }),
  } as unknown as Handlers;
  // Small ceilings passed as options: the same rule as the default 32 MB.
  const dispatch = createDispatcher(handlers, (l) => lines.push(l), { fieldChars: 100, maxChars: 50_000 });
  const hits = await dispatch('graph:search', { query: 'node' });
  assert.ok(hits.ok);
  const hit = (hits.value as { label: string; id: string }[])[0];
  assert.equal(hit.label, `${label.slice(0, 100)}… (10,005 bytes)`);
  assert.equal(hit.id, 'ip/198.51.100.66', 'short fields are whole');
  const big = await dispatch('case:info', {});
  assert.equal(big.ok, false);
  assert.equal(big.ok ? null : big.error.kind, 'too-large');
  assert.match(big.ok ? '' : big.error.message, /^case:info: the answer is larger than/);
  assert.ok(lines.some((l) => l.startsWith('call case:info refused')));
});
