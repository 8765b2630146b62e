// The right-click menu of a graph node (also opened from the toolbar's "Actions" for the selection):
// the questions about that node in one place. Arrow keys move, Escape closes.
import { useEffect, useRef } from 'react';

export type NodeAction = 'history' | 'actor' | 'flows' | 'timeline' | 'expand' | 'hide' | 'paths-from' | 'paths-to-here' | 'copy' | 'star' | 'annotate';

type Props = { id: string; label: string; x: number; y: number; hasFlows: boolean; pathFrom: string | null; onAction(a: NodeAction): void; onClose(): void };

export function NodeMenu({ id, label, x, y, hasFlows, pathFrom, onAction, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [id, onClose]);
  const items: [NodeAction, string][] = [
    ['history', 'History'],
    ['actor', 'Actor report'],
    ...(hasFlows ? [['flows', 'Flows'] as [NodeAction, string]] : []),
    ['timeline', 'Filter the timeline'],
    ['expand', 'Expand'],
    ['hide', 'Hide'],
    ...(pathFrom && pathFrom !== id ? [['paths-to-here', 'Paths from the marked node to here'] as [NodeAction, string]] : []),
    ['paths-from', 'Paths to…'],
    ['copy', 'Copy id'],
    ['star', 'Star / unstar'],
    ['annotate', 'Tag or comment…'],
  ];
  function onKey(e: React.KeyboardEvent) {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[(i + (e.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length]?.focus();
    }
  }
  return (
    <div ref={ref} className="node-menu" role="menu" aria-label={`Actions for ${label}`} style={{ left: x, top: y }} onKeyDown={onKey}>
      {items.map(([a, text]) => (
        <button key={a} type="button" role="menuitem" onClick={() => onAction(a)}>{text}</button>
      ))}
    </div>
  );
}
