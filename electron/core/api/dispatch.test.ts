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
