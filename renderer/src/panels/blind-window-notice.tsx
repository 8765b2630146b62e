// A warning over any view that covers a span in which CloudTrail was not recording (logging stopped,
// trail deleted, management events deselected): there, the absence of an event proves nothing.
// Trail names and ARNs come from the record: rendered as text.
import type { BlindWindow } from '../../../shared/api/types.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';

const CAUSE: Record<BlindWindow['cause'], string> = { stopped: 'logging stopped', deleted: 'trail deleted', narrowed: 'management events not logged' };

/** Windows overlapping [from, to] (either open-ended); with `at`, the windows that contain that moment. */
export function BlindWindowNotice({ from, to, at }: { from?: string | null; to?: string | null; at?: string | null }) {
  const utc = useStore((s) => s.utc);
  const { value } = useCall('case:blindWindows', {});
  const lo = at ?? from ?? null;
  const hi = at ?? to ?? null;
  const shown = (value ?? []).filter((w) => (!hi || w.from <= hi) && (!lo || w.to >= lo));
  if (!shown.length) return null;
  return (
    <div className="blind-window" role="alert" aria-label="CloudTrail blind windows">
      {shown.map((w) => (
        <p key={`${w.eventId}-${w.trail}`}>
          CloudTrail was blind here: trail {w.trail} {CAUSE[w.cause]} from {formatTime(w.from, utc)} to {formatTime(w.to, utc)}
          {w.open ? ' (never restarted: the end of the data)' : ''}. Missing events in this span prove nothing.
        </p>
      ))}
    </div>
  );
}
