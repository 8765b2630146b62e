// A minimap for large views (issue 13): every drawn node as a dot, the part on screen as a rectangle;
// a click or a drag on it moves the view there. Drawn on a small canvas from node positions (no second
// cytoscape), at most once per animation frame, so it costs little on a machine without a GPU.
import { useEffect, useRef } from 'react';
import type { Core } from 'cytoscape';
import { lookOf } from './node-styles.ts';

const WIDTH = 180;
const HEIGHT = 120;
const PAD = 6;

type Frame = { x1: number; y1: number; scale: number };

export function Minimap({ cy, nodeCount }: { cy: Core | null; nodeCount: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<Frame | null>(null);

  useEffect(() => {
    if (!cy) return;
    let pending = 0;
    const draw = () => {
      pending = 0;
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      const nodes = cy.nodes().filter((n) => !n.isParent() && !n.hasClass('folded'));
      ctx.clearRect(0, 0, WIDTH, HEIGHT);
      if (nodes.empty()) return;
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      nodes.forEach((n) => {
        const p = n.position();
        x1 = Math.min(x1, p.x);
        y1 = Math.min(y1, p.y);
        x2 = Math.max(x2, p.x);
        y2 = Math.max(y2, p.y);
      });
      const scale = Math.min((WIDTH - 2 * PAD) / Math.max(1, x2 - x1), (HEIGHT - 2 * PAD) / Math.max(1, y2 - y1));
      frame.current = { x1, y1, scale };
      nodes.forEach((n) => {
        const p = n.position();
        ctx.fillStyle = n.hasClass('highlight') || n.hasClass('path') ? '#dc2626' : lookOf(String(n.data('type'))).color;
        ctx.fillRect(PAD + (p.x - x1) * scale - 1, PAD + (p.y - y1) * scale - 1, 3, 3);
      });
      const view = cy.extent();
      ctx.strokeStyle = '#111827';
      ctx.lineWidth = 1;
      ctx.strokeRect(PAD + (view.x1 - x1) * scale, PAD + (view.y1 - y1) * scale, view.w * scale, view.h * scale);
    };
    const schedule = () => {
      if (!pending) pending = requestAnimationFrame(draw);
    };
    schedule();
    cy.on('viewport add remove position class', schedule);
    return () => {
      cy.off('viewport add remove position class', schedule);
      if (pending) cancelAnimationFrame(pending);
    };
  }, [cy, nodeCount]);

  /** Centres the main view on the point of the minimap under the pointer. */
  const moveTo = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const f = frame.current;
    if (!cy || !f) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = f.x1 + (e.clientX - box.left - PAD) / f.scale;
    const y = f.y1 + (e.clientY - box.top - PAD) / f.scale;
    const zoom = cy.zoom();
    cy.pan({ x: cy.width() / 2 - zoom * x, y: cy.height() / 2 - zoom * y });
  };

  return (
    <canvas
      ref={canvas}
      className="graph-minimap"
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`Minimap of ${nodeCount} nodes: click to move the view`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) moveTo(e);
      }}
    />
  );
}
