import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Graph, GraphNode } from '../../../shared/engine-types.ts';
import { overviewLayout } from './overview-layout.ts';

const node = (id: string, type: string, eventCount = 0): GraphNode => ({ id, type: type as GraphNode['type'], label: id, account: null, region: null, parent: null, eventCount });

test('principals, roles, services and kinds in columns left to right, busiest first, no two nodes on one spot', () => {
  const g: Graph = {
    at: null, truncated: false, edges: [],
    nodes: [
      node('arn:aws:iam::1:user/alice', 'user', 5), node('arn:aws:iam::1:user/bob', 'user', 50), node('more:1:user', 'user', 9),
      node('arn:aws:iam::1:role/deploy', 'role', 7), node('more:1:role', 'role', 1),
      node('service:ec2.amazonaws.com', 'aws-service', 70), node('kinds:1:instance', 'instance'),
      ...Array.from({ length: 40 }, (_, i) => node(`kinds:1:t${i}`, 'unknown')),
    ],
  };
  const p = overviewLayout(g);
  assert.ok(p['arn:aws:iam::1:user/bob'].x < p['arn:aws:iam::1:role/deploy'].x);
  assert.equal(p['more:1:role'].x, p['arn:aws:iam::1:role/deploy'].x, '"more roles" stands with the roles');
  assert.ok(p['arn:aws:iam::1:role/deploy'].x < p['service:ec2.amazonaws.com'].x);
  assert.ok(p['service:ec2.amazonaws.com'].x < p['kinds:1:instance'].x);
  assert.ok(p['arn:aws:iam::1:user/bob'].y < p['arn:aws:iam::1:user/alice'].y, 'busiest first');
  const spots = new Set(Object.values(p).map((q) => `${q.x},${q.y}`));
  assert.equal(spots.size, g.nodes.length);
});

test('an organisation\'s hundreds of identities take the pane\'s shape, not a strip of dots', () => {
  const users = Array.from({ length: 300 }, (_, i) => node(`arn:aws:iam::${100000000000 + (i % 10)}:user/u${i}`, 'user', 300 - i));
  const roles = Array.from({ length: 60 }, (_, i) => node(`arn:aws:iam::1:role/r${i}`, 'role', 60 - i));
  const g: Graph = { at: null, truncated: false, edges: [], nodes: [...users, ...roles, node('service:ec2.amazonaws.com', 'aws-service', 70), node('kinds:1:instance', 'instance')] };
  for (const aspect of [0.4, 0.75]) {
    const p = Object.values(overviewLayout(g, aspect));
    const width = Math.max(...p.map((q) => q.x)) - Math.min(...p.map((q) => q.x));
    const height = Math.max(...p.map((q) => q.y)) - Math.min(...p.map((q) => q.y));
    assert.ok(height / width > aspect / 2 && height / width < aspect * 2, `${height} high and ${width} wide for a pane of ${aspect}`);
    assert.equal(new Set(p.map((q) => `${q.x},${q.y}`)).size, g.nodes.length, 'no two nodes on one spot');
  }
  const p = overviewLayout(g, 0.4);
  assert.ok(Math.max(...users.map((u) => p[u.id].x)) < Math.min(...roles.map((r) => p[r.id].x)), 'every principal left of every role');
  assert.ok(p[users[0].id].y < p[users[1].id].y, 'busiest first within a sub-column');
});
