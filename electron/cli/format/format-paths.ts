// Text of `trailscope path`: each path as numbered hops (time, how, event), labels made terminal-safe.
import type { PathHop, PathResult } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatPaths(r: PathResult): string {
  const label = new Map(r.nodes.map((n) => [n.id, n.label === n.id || n.type === 'ip' ? n.label : `${n.label} (${n.id})`]));
  const name = (id: string) => safe(label.get(id) ?? id);
  const lines = [`Paths from ${name(r.from)} to ${name(r.to)}${r.truncated ? ' (search stopped at a limit: some routes were not explored)' : ''}`];
  const block = (title: string, hops: PathHop[] | null) => {
    lines.push('', `${title}:`);
    if (!hops) return void lines.push('  none found');
    hops.forEach((h, i) => {
      const how = `${h.kind}${h.reversed ? ' (reverse)' : ''}${h.eventName ? ` ${h.eventName}` : ''}`;
      lines.push(`  ${i + 1}. ${h.time ?? 'snapshot'.padEnd(24)}  ${name(h.from)} -> ${name(h.to)}  [${safe(how)}]${h.eventId ? `  event ${safe(h.eventId)}` : ''}`);
    });
  };
  block('Shortest', r.shortest);
  block('Earliest', r.earliest);
  return lines.join('\n') + '\n';
}
