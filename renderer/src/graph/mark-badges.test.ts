// Badges on marked graph nodes: the node keeps its type icon and gains the star (or tag) badge; an
// unmarked node or a mark taken away leaves the icon alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import cytoscape from 'cytoscape';
import { cyStyle } from './node-styles.ts';
import { applyMarkBadges } from './mark-badges.ts';

// The computed list of images (pstyle: the headless core resolves the stylesheet but renders nothing).
const images = (cy: cytoscape.Core, id: string) => ([] as string[]).concat((cy.getElementById(id) as unknown as { pstyle(name: string): { value: string[] } }).pstyle('background-image').value).join(' ');

test('a starred node shows its icon and a star badge; a tagged one a tag badge; clearing removes them', () => {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: cyStyle() as cytoscape.StylesheetJson, elements: [
    { data: { id: 'arn:aws:iam::1:user/alice', type: 'user' } },
    { data: { id: 'i-1', type: 'instance' } },
    { data: { id: 'sg-1', type: 'security-group' } },
  ] });
  const plain = images(cy, 'i-1');
  const none = { starred: false, tags: [], notes: [] };
  assert.equal(applyMarkBadges(cy, new Map([['arn:aws:iam::1:user/alice', { ...none, starred: true }], ['i-1', { ...none, tags: ['attacker'] }], ['not-drawn', { ...none, starred: true }]])), 2);
  assert.match(images(cy, 'arn:aws:iam::1:user/alice'), /%E2%98%85/); // ★
  assert.ok(images(cy, 'i-1').startsWith(plain), 'the instance icon stays first');
  assert.match(images(cy, 'i-1'), /%3E%23%3C/); // the # glyph
  assert.equal(images(cy, 'sg-1').includes('%E2%98%85'), false);
  applyMarkBadges(cy, new Map());
  assert.equal(images(cy, 'i-1'), plain);
  cy.destroy();
});
