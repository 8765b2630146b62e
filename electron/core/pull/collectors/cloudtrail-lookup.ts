// CloudTrail LookupEvents for one region: paced (clients.ts), newest first, 50 a page, and the next
// token checkpointed in the same transaction as the page's events, so a killed pull resumes at the
// page after the last one stored. The checkpoint also remembers which window is already covered, so a
// later pull over a longer window only asks for what is missing.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { PullContext } from '../context.ts';
import { sha256 } from '../case-sink.ts';
import type { RecordRejection } from '../../ingest/types.ts';

type Range = { start: number; end: number };
type LookupCheckpoint = { covered: Range | null; current: (Range & { token: string }) | null };

export function lookupCheckpointKey(account: string, region: string): string {
  return `pull:${account}:${region}:cloudtrail:lookup-events`;
}

/** The parts of `want` not inside `covered` (zero, one or two ranges). */
export function missingRanges(want: Range, covered: Range | null): Range[] {
  if (!covered || covered.end < want.start || covered.start > want.end) return [want];
  const out: Range[] = [];
  if (want.start < covered.start) out.push({ start: want.start, end: covered.start });
  if (want.end > covered.end) out.push({ start: covered.end, end: want.end });
  return out;
}

function merge(a: Range | null, b: Range): Range {
  if (!a || a.end < b.start || a.start > b.end) return b;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export async function pullLookupEvents(ctx: PullContext, region: string) {
  const tracker = ctx.track('cloudtrail:lookup-events', region);
  return tracker.run(async () => {
    const key = lookupCheckpointKey(ctx.account, region);
    const path = `aws://${ctx.account}/${region}/cloudtrail/lookup-events`;
    const sourceId = ctx.sink.startSource({ path, sha256: sha256(path), size: 0, kind: 'cloudtrail' });
    const saved = ctx.sink.getCheckpoint(key);
    let state: LookupCheckpoint = saved ? (JSON.parse(saved) as LookupCheckpoint) : { covered: null, current: null };
    const client = ctx.clients.cloudtrail(region);

    const pullRange = async (range: Range, token: string | undefined) => {
      let next = token;
      let page = 0;
      do {
        const out = await tracker.call('cloudtrail:LookupEvents', (signal) =>
          client.send(
            new LookupEventsCommand({ StartTime: new Date(range.start), EndTime: new Date(range.end), MaxResults: 50, NextToken: next }),
            { abortSignal: signal },
          ),
        );
        const records: unknown[] = [];
        const rejected: RecordRejection[] = [];
        for (const e of out.Events ?? []) {
          try {
            records.push(JSON.parse(e.CloudTrailEvent ?? ''));
          } catch {
            rejected.push({ position: `event ${e.EventId ?? '?'}`, reason: 'CloudTrailEvent is not valid JSON' });
          }
        }
        next = out.NextToken;
        state = next
          ? { covered: state.covered, current: { ...range, token: next } }
          : { covered: merge(state.covered, range), current: null };
        tracker.added(ctx.sink.writeCloudTrail(sourceId, records, rejected, { key, value: JSON.stringify(state) }));
        page++;
        tracker.progress.message = `page ${page}`;
      } while (next);
    };

    if (state.current) await pullRange(state.current, state.current.token);
    for (const range of missingRanges({ start: ctx.since.getTime(), end: ctx.until.getTime() }, state.covered)) {
      await pullRange(range, undefined);
    }
    ctx.sink.finishSource(sourceId, 'done');
  });
}
