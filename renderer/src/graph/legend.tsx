import { NODE_LOOKS } from './node-styles.ts';
import { iconUri } from './node-icons.ts';

const CLIP: Record<string, string> = {
  diamond: 'polygon(50% 0, 100% 50%, 50% 100%, 0 50%)',
  triangle: 'polygon(50% 0, 100% 100%, 0 100%)',
  hexagon: 'polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%)',
  octagon: 'polygon(30% 0, 70% 0, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0 70%, 0 30%)',
  star: 'polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)',
  pentagon: 'polygon(50% 0, 100% 38%, 82% 100%, 18% 100%, 0 38%)',
  vee: 'polygon(0 0, 50% 40%, 100% 0, 50% 100%)',
  tag: 'polygon(0 0, 75% 0, 100% 50%, 75% 100%, 0 100%)',
  'round-tag': 'polygon(0 0, 75% 0, 100% 50%, 75% 100%, 0 100%)',
  'cut-rectangle': 'polygon(20% 0, 80% 0, 100% 20%, 100% 80%, 80% 100%, 20% 100%, 0 80%, 0 20%)',
};

export function Legend({ types }: { types: Set<string> }) {
  const entries = Object.entries(NODE_LOOKS).filter(([t]) => types.size === 0 || types.has(t));
  return (
    <ul className="legend" aria-label="Legend">
      {entries.map(([type, look]) => (
        <li key={type}>
          <span
            className={`swatch shape-${look.shape}`}
            role="img"
            aria-label={`${look.label} icon`}
            ref={(el) => {
              // Set through the CSSOM: the CSP allows no inline style attributes.
              if (!el) return;
              el.style.backgroundColor = look.color;
              el.style.backgroundImage = `url("${iconUri(type)}")`;
              el.style.clipPath = CLIP[look.shape] ?? '';
              el.style.borderRadius = look.shape === 'ellipse' ? '50%' : look.shape.startsWith('round') || look.shape === 'barrel' ? '4px' : '0';
            }}
          />
          {look.label}
        </li>
      ))}
    </ul>
  );
}
