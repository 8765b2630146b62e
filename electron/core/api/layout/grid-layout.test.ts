// The grouped layout (shared/api/layout/grid-layout.ts) tested here: shared/ may not import Node built-ins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridLayout } from '../../../../shared/api/layout/grid-layout.ts';

test('grouped layout: every leaf placed once, no two on the same spot, box members kept together apart from others', () => {
  const nodes = [
    { id: 'vpc-1', parent: null, type: 'vpc' },
    { id: 'subnet-a', parent: 'vpc-1', type: 'subnet' },
    { id: 'subnet-b', parent: 'vpc-1', type: 'subnet' },
    ...Array.from({ length: 30 }, (_, i) => ({ id: `i-${i}`, parent: i % 2 ? 'subnet-a' : 'subnet-b', type: 'instance' })),
    ...Array.from({ length: 200 }, (_, i) => ({ id: `user-${i}`, parent: null, type: 'user' })),
    { id: 'orphan', parent: 'missing-parent', type: 'role' },
  ];
  const p = gridLayout({ nodes });
  assert.deepEqual(Object.keys(p).sort(), nodes.filter((n) => !n.id.startsWith('vpc') && !n.id.startsWith('subnet')).map((n) => n.id).sort());
  const spots = new Set(Object.values(p).map((q) => `${q.x},${q.y}`));
  assert.equal(spots.size, Object.keys(p).length);
  const box = (ids: string[]) => {
    const xs = ids.map((id) => p[id].x);
    const ys = ids.map((id) => p[id].y);
    return { x1: Math.min(...xs), x2: Math.max(...xs), y1: Math.min(...ys), y2: Math.max(...ys) };
  };
  const a = box(nodes.filter((n) => n.parent === 'subnet-a').map((n) => n.id));
  const b = box(nodes.filter((n) => n.parent === 'subnet-b').map((n) => n.id));
  const inVpc = box(nodes.filter((n) => n.parent?.startsWith('subnet')).map((n) => n.id));
  const disjoint = (s: typeof a, t: typeof a) => s.x2 < t.x1 || t.x2 < s.x1 || s.y2 < t.y1 || t.y2 < s.y1;
  assert.ok(disjoint(a, b), 'the two subnets do not overlap');
  for (let i = 0; i < 200; i++) {
    const q = p[`user-${i}`];
    assert.ok(q.x < inVpc.x1 || q.x > inVpc.x2 || q.y < inVpc.y1 || q.y > inVpc.y2, `user-${i} is outside the VPC box`);
  }
});
