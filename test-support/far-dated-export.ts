// A handed-over CloudTrail export of a working day (60 calls ten minutes apart) with two records dated
// far from it: one whose time an export zeroed (1970) and one with a year typed as 9999.
import { writeFileSync } from 'node:fs';

export const FAR_DATED = { day: 60, first: '1970-01-01T00:00:00Z', last: '9999-12-31T23:59:59Z', dayFrom: '2025-03-10T08:00:00Z', dayTo: '2025-03-10T17:50:00Z' };

function record(i: number, eventTime: string, eventName = 'StopInstances') {
  return {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime,
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.66',
    userAgent: 'aws-cli/2.15.0',
    readOnly: false,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
  };
}

/** Writes the export to `file`: DeleteTrail dated 1970, the day's StopInstances, DeleteFlowLogs dated 9999. */
export function writeFarDatedExport(file: string): void {
  const day = Array.from({ length: FAR_DATED.day }, (_, i) => record(i + 1, new Date(Date.parse(FAR_DATED.dayFrom) + i * 600_000).toISOString().replace('.000', '')));
  writeFileSync(file, JSON.stringify({ Records: [record(100, FAR_DATED.first, 'DeleteTrail'), ...day, record(101, FAR_DATED.last, 'DeleteFlowLogs')] }));
}
