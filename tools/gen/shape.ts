// The account shape knobs (types.ts AccountShape): their bounds, member accounts of an organisation
// trail, masked access keys, and issuing calls left out.
import type { Rng } from './prng.ts';
import type { AccountShape, Account } from './types.ts';
import type { CloudTrailRecord } from './records.ts';
import { buildAccount } from './model.ts';
import { Traffic } from './background.ts';

const LIMITS = { callsPerKey: [1, 1_000_000], instanceKeyHours: [0.25, 36], lambdas: [0, 2000], ciPipelines: [0, 2000], ecsServices: [0, 2000], accounts: [1, 500], redactedKeys: [0, 1], unrecordedIssues: [0, 1], s3DataEvents: [0, 1], ipv6: [0, 1],
  recordsPerFile: [1, 1000] } as const;
const INTEGERS = new Set(['callsPerKey', 'lambdas', 'ciPipelines', 'ecsServices', 'accounts', 'recordsPerFile']);

/** The shape with its values checked (a clear error names the knob); undefined entries dropped. */
export function checkShape(shape: AccountShape | undefined): AccountShape {
  const out: AccountShape = {};
  for (const [key, value] of Object.entries(shape ?? {}) as [keyof AccountShape, unknown][]) {
    if (value === undefined) continue;
    if (key === 'config') {
      if (typeof value !== 'boolean') throw new Error('shape.config must be true or false');
      out.config = value;
      continue;
    }
    if (key === 'flowVersion') {
      if (value !== 2 && value !== 5) throw new Error('shape.flowVersion must be 2 or 5');
      out.flowVersion = value;
      continue;
    }
    const limits = LIMITS[key];
    if (!limits) throw new Error(`unknown account shape knob ${String(key)}`);
    const [lo, hi] = limits;
    if (typeof value !== 'number' || !(value >= lo && value <= hi) || (INTEGERS.has(key) && !Number.isInteger(value))) {
      throw new Error(`shape.${key} must be ${INTEGERS.has(key) ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
    }
    out[key] = value;
  }
  return out;
}

const ISSUING_CALLS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetSessionToken', 'GetFederationToken']);

/** Whether the record is an STS call that issued a temporary key (shape.unrecordedIssues leaves such calls out). */
export function issuesKey(r: CloudTrailRecord): boolean {
  return r.eventSource === 'sts.amazonaws.com' && ISSUING_CALLS.has(r.eventName as string) && !r.errorCode;
}

/** The record with its caller's access key masked as some exports deliver it (`AKIA` + 16 `*`); the same record when it has no key. */
export function maskAccessKey(r: CloudTrailRecord): CloudTrailRecord {
  const id = r.userIdentity as Record<string, unknown> | undefined;
  const key = id?.accessKeyId;
  if (typeof key !== 'string' || key.length < 4) return r;
  // Identity objects are shared by every call of a session: copy, never mutate.
  return { ...r, userIdentity: { ...id, accessKeyId: key.slice(0, 4) + '*'.repeat(16) } };
}

export type Member = { account: Account; traffic: Traffic };

/**
 * Member accounts of an organisation trail (shape.accounts - 1 of them): each a smaller account of
 * the same kind with its own users, instances and traffic, and the same churn. No incident there.
 */
export function memberAccounts(rng: Rng, shape: AccountShape, window: { startMs: number; endMs: number; exclude: string[] }): { id: string | null; members: Member[] } {
  const count = (shape.accounts ?? 1) - 1;
  if (count <= 0) return { id: null, members: [] };
  const id = `o-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}`;
  const taken = new Set(window.exclude);
  const members: Member[] = [];
  for (let i = 0; i < count; i++) {
    let accountId = '';
    while (!accountId || taken.has(accountId)) accountId = String(rng.int(100_000, 999_999)) + String(rng.int(100_000, 999_999));
    taken.add(accountId);
    const { account, cast } = buildAccount(rng.fork(`model-${i}`), { users: 8, instances: 8, startMs: window.startMs, accountId });
    const traffic = new Traffic(rng.fork(`traffic-${i}`), account, cast, { startMs: window.startMs, endMs: window.endMs, victimInstanceUntil: Number.POSITIVE_INFINITY, shape: { ...shape, accounts: undefined } });
    members.push({ account, traffic });
  }
  return { id, members };
}
