// The mark on a timeline row whose event a finding names: its worst severity, with the findings'
// titles (record data, shown as text) on hover and for screen readers.
import type { EventMark } from '../panels/finding-marks.ts';

export function FindingBadge({ mark }: { mark: EventMark | undefined }) {
  if (!mark) return null;
  const text = `${mark.severity} finding: ${mark.titles.join('; ')}`;
  return (
    <span className={`finding-badge ${mark.severity}`} title={text} aria-label={text} role="img">
      {mark.severity === 'critical' ? '!!' : '!'}
    </span>
  );
}
