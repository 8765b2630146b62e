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
