import cytoscape from 'cytoscape';
import { cyStyle } from '/work/wt/record2/renderer/src/graph/node-styles.ts';
const cy = cytoscape({ headless: true, styleEnabled: true, style: cyStyle() as never, elements: [{ data: { id: 'i-1', type: 'instance' } }] });
const n = cy.getElementById('i-1');
console.log(JSON.stringify(n.pstyle('background-image')).slice(0,200), String(n.style('background-color')));
n.addClass('marked-star');
console.log(JSON.stringify(n.pstyle('background-image')).slice(0,300));
