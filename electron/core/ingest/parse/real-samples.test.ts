// Every real public sample under shared/data/real goes through enumerateInputs + openSource: per
// top-level folder, how many files open as which kind and how many are refused. Pinned numbers: a
// change in detection shows up here as a diff a reviewer can judge.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { enumerateInputs, openSource, SourceError } from './index.ts';
import { REAL } from '../../../../test-support/real-data.ts';

const ROOT = REAL;

test('every real sample opens as the expected kind or is refused with a specific reason', async () => {
  const counts: Record<string, Record<string, number>> = {};
  const reasons: string[] = [];
  for await (const input of enumerateInputs([ROOT])) {
    const folder = relative(ROOT, input.path).split('/')[0];
    let outcome: string;
    try {
      const source = await openSource(input);
      let records = 0;
      for await (const batch of source.batches) {
        records += batch.type === 'cloudtrail' ? batch.records.length : batch.type === 'flows' ? batch.records.length : 1;
        for (const r of batch.type === 'config' ? [] : batch.rejected) {
          assert.ok(r.reason.length > 0 && r.position.length > 0, `${input.path}: rejection without reason`);
        }
      }
      outcome = source.kind;
      counts[folder] ??= {};
      counts[folder][`${outcome} items`] = (counts[folder][`${outcome} items`] ?? 0) + records;
    } catch (err) {
      assert.ok(err instanceof SourceError, `${input.path}: ${String(err)}`);
      assert.ok(err.message.length > 10, `${input.path}: reason too vague: ${err.message}`);
      assert.doesNotMatch(err.message, /^(Error|undefined|null)/);
      reasons.push(err.message);
      outcome = 'rejected';
    }
    counts[folder] ??= {};
    counts[folder][outcome] = (counts[folder][outcome] ?? 0) + 1;
  }
  assert.deepEqual(counts, EXPECTED);
  // The reasons are specific: no generic catch-all, and each names what was seen.
  for (const reason of reasons) assert.match(reason, /unrecognized|invalid JSON|without a header|YAML|truncated/);
});

const EXPECTED: Record<string, Record<string, number>> = {
  'README.md': {
    "rejected": 1
  },
  "aws-cli-examples": {
    "config:describe-flow-logs items": 1,
    "config:describe-flow-logs": 1,
    "config:describe-instances items": 1,
    "config:describe-instances": 1,
    "rejected": 3,
    "config:describe-security-group-rules items": 2,
    "config:describe-security-group-rules": 2,
    "config:get-account-authorization-details items": 1,
    "config:get-account-authorization-details": 1,
    "cloudtrail items": 1,
    "cloudtrail": 1
  },
  "awsdocs-cloudtrail-user-guide": {
    "cloudtrail items": 25,
    "cloudtrail": 23,
    "rejected": 10
  },
  "awsdocs-vpc-user-guide": {
    "rejected": 23,
    "flowlog items": 7,
    "flowlog": 11
  },
  "cloudmapper-demo": {
    "rejected": 54,
    "config:describe-instances items": 1,
    "config:describe-instances": 1,
    "config:describe-network-interfaces items": 1,
    "config:describe-network-interfaces": 1,
    "config:describe-security-groups items": 1,
    "config:describe-security-groups": 1,
    "config:describe-subnets items": 1,
    "config:describe-subnets": 1,
    "config:describe-vpcs items": 1,
    "config:describe-vpcs": 1,
    "config:get-account-authorization-details items": 1,
    "config:get-account-authorization-details": 1,
    "config:get-credential-report items": 1,
    "config:get-credential-report": 1
  },
  "cloudsplaining": {
    "config:get-account-authorization-details items": 6,
    "config:get-account-authorization-details": 6,
    "rejected": 1
  },
  "panther-analysis": {
    "rejected": 144
  },
  // SigmaHQ detection rules (YAML) and their licence: not logs.
  "sigma-cloudtrail": {
    "rejected": 66
  },
  "stratus-red-team": {
    "cloudtrail items": 310,
    "cloudtrail": 35
  },
  "streamalert": {
    "rejected": 15
  },
  "trailscraper": {
    "cloudtrail items": 7,
    "cloudtrail": 3
  }
};
