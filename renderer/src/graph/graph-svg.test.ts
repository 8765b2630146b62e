import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphSvg, type SvgNode } from './graph-svg.ts';

const node = (id: string, label: string, x: number, extra: Partial<SvgNode> = {}): SvgNode => ({ id, label, x, y: 0, w: 30, h: 30, color: '#2563eb', ...extra });

test('labels and ids from the records are text in the SVG, never markup', () => {
  const hostile = '<script>alert(1)</script>"><svg onload=alert(2)>&\u0007';
  const svg = graphSvg([node('i-1', hostile, 0), node(hostile, 'x', 100, { color: 'red" onload="alert(3)' })], [{ source: 'i-1', target: hostile, kind: '<b>' }], hostile);
  assert.ok(!svg.includes('<script'));
  assert.ok(!svg.includes('onload="'));
  assert.ok(!svg.includes('<b>'));
  assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;svg onload=alert(2)&gt;&amp;'));
  assert.ok(!svg.includes('\u0007'), 'a control character would make the XML invalid');
  assert.match(svg, /<line x1="0" y1="0" x2="100" y2="0"/);
});

test('the picture frames every node, boxes behind, and stays finite with no nodes', () => {
  const svg = graphSvg([node('vpc-1', 'vpc', 50, { w: 300, h: 200, box: true }), node('i-1', 'web', 50)], [], 't');
  assert.match(svg, /viewBox="-140 -140 380 294"/);
  assert.ok(svg.indexOf('<rect x="-100"') < svg.indexOf('<circle'));
  assert.match(graphSvg([], [], 'empty'), /viewBox="0 0 100 100"/);
});
