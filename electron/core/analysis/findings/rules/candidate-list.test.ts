// The rule engine's compact candidates (candidate-list.ts) give back what was added: every field, a
// missing actor, each candidate's own rules and routine flags, in block order with ties kept in the
// order added, past the first growth of the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinEventRules } from '../builtin/builtin-rules.ts';
import { CandidateList, type Candidate } from './candidate-list.ts';

test('candidates come back whole, in the order of their blocks and places, ties as added', () => {
  const [a, b, c] = builtinEventRules();
  const list = new CandidateList();
  const added: Candidate[] = [];
  for (let i = 0; i < 3000; i++) {
    const rules = i % 3 === 0 ? [a] : i % 3 === 1 ? [a, b] : [c];
    const routine = rules.map((_, k) => (i + k) % 2 === 0);
    const cand: Candidate = { id: 1_000_000_000 + i, time: 1_700_000_000_000 + i * 7, actor: i % 5 === 0 ? null : i * 11, block: (i * 7919) % 97, index: i % 4, rules, routine };
    list.add(cand, rules, routine);
    added.push(cand);
  }
  assert.equal(list.size, 3000);
  const expected = added.map((x, i) => ({ x, i })).sort((p, q) => p.x.block - q.x.block || p.x.index - q.x.index || p.i - q.i).map((p) => p.x);
  assert.deepEqual([...list.byBlock()], expected);
});
