// The hour a call is counted in (owner_service_calls, migration 0138): the writer, the migration and the
// overview's reading all round alike, so the hours before a moment and that moment's own hour, read from
// the events, never count a call twice or miss one.
import { PairCounts } from '../pair-counts.ts';

const HOUR_MS = 3_600_000;

/** The hour since 1970 a time in ms falls in, rounded down (before 1970 too). */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/** The first ms of an hour of hourOf. */
export function hourStart(hour: number): number {
  return hour * HOUR_MS;
}

/** Calls counted by the hour of their time and a pair of ids (a caller and a service), as the writer and migration 0138 count them. */
export class HourlyCallCounts {
  private readonly byHour = new Map<number, PairCounts>();

  add(timeMs: number, caller: number, service: number): void {
    const hour = hourOf(timeMs);
    let counts = this.byHour.get(hour);
    if (!counts) this.byHour.set(hour, (counts = new PairCounts()));
    counts.add(caller, service);
  }

  forEach(visit: (hour: number, caller: number, service: number, n: number) => void): void {
    for (const [hour, counts] of this.byHour) counts.forEach((caller, service, n) => visit(hour, caller, service, n));
  }
}
