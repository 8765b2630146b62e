// Failures the fake server injects on demand, and the log of what it was asked. Test support only.
export type FaultKind = 'throttle' | 'request-limit' | 'server-error' | 'drop' | 'slow' | 'deny';

export type FaultRule = {
  kind: FaultKind;
  /** Only this operation (LookupEvents, DescribeInstances, GetObject, …); all when absent. */
  operation?: string;
  service?: string;
  region?: string;
  /** Only requests whose S3 key or listed prefix contains this (a bucket policy on one prefix). */
  pathContains?: string;
  /** Apply to this many matching requests, then retire; forever when absent. */
  times?: number;
  /** Apply to a share of matching requests (0..1), decided by a seeded sequence; all when absent. */
  probability?: number;
  /** For 'slow': how long to hold the response. */
  delayMs?: number;
};

export type RequestRecord = {
  service: string;
  operation: string;
  region: string;
  /** Arrival time, ms since the epoch with sub-millisecond precision. */
  at: number;
  status: number;
  fault?: FaultKind | 'rate-limited';
};

export type RequestInfo = { service: string; operation: string; region: string; path?: string };

export class FaultPlan {
  rules: (FaultRule & { used: number })[] = [];
  #state = 0x9e3779b9;

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, used: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  #random(): number {
    this.#state ^= this.#state << 13;
    this.#state ^= this.#state >>> 17;
    this.#state ^= this.#state << 5;
    return (this.#state >>> 0) / 4294967296;
  }

  /** The fault to inject for this request, if any ('slow' combines with nothing else). */
  pick(req: RequestInfo): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.operation && rule.operation !== req.operation) continue;
      if (rule.service && rule.service !== req.service) continue;
      if (rule.region && rule.region !== req.region) continue;
      if (rule.pathContains && !(req.path ?? '').includes(rule.pathContains)) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) continue;
      rule.used++;
      return rule;
    }
    return undefined;
  }
}

/** The largest number of requests that fell in any window of `windowMs` (closed on the left, open on the right). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
