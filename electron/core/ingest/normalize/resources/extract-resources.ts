// Which resources an event touched: a table keyed by event source then event name picks the
// extractor; unknown events fall back to top-level id parameters. CloudTrail's resources[] is merged in.
import type { Extractor, ResourceContext } from './context.ts';
import { EC2_EXTRACTORS } from './ec2.ts';
import { listedResources, requestIds } from './generic.ts';
import { IAM_EXTRACTORS } from './iam.ts';
import { OTHER_EXTRACTORS, s3Fallback } from './other-services.ts';
import { AUTOSCALING_EXTRACTORS, autoScalingFallback } from './autoscaling.ts';

const pick = (names: string[]): Record<string, Extractor> =>
  Object.fromEntries(names.map((n) => [n, OTHER_EXTRACTORS[n]]));

// Keyed by source first: names such as CreateUser or UpdateUser also exist in other services.
const BY_SOURCE: Record<string, Record<string, Extractor>> = {
  'ec2.amazonaws.com': EC2_EXTRACTORS,
  'iam.amazonaws.com': IAM_EXTRACTORS,
  's3.amazonaws.com': pick(Object.keys(OTHER_EXTRACTORS).filter((n) => /Bucket|Object|MultipartUpload/.test(n))),
  'cloudtrail.amazonaws.com': pick(['CreateTrail', 'DeleteTrail', 'UpdateTrail', 'StopLogging', 'StartLogging', 'PutEventSelectors', 'PutInsightSelectors']),
  'autoscaling.amazonaws.com': AUTOSCALING_EXTRACTORS,
  'sts.amazonaws.com': pick(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetFederationToken', 'GetSessionToken']),
};

export function extractResources(ctx: ResourceContext, resources: unknown, failed: boolean): void {
  const table = BY_SOURCE[ctx.eventSource];
  const fn = table !== undefined ? table[ctx.eventName] : undefined;
  if (fn !== undefined) {
    fn(ctx);
    // A failed call created no session and no key; keep only what it tried to act on.
    if (failed && ctx.eventSource === 'sts.amazonaws.com') ctx.out = ctx.out.filter((r) => r.touch !== 'created');
  } else if (ctx.eventSource === 's3.amazonaws.com') {
    s3Fallback(ctx);
  } else if (ctx.eventSource === 'autoscaling.amazonaws.com') {
    autoScalingFallback(ctx);
  } else {
    requestIds(ctx);
  }
  if (resources !== undefined && resources !== null) listedResources(ctx, resources);
}
