// CloudTrail records of an Auto Scaling group's life, shaped as AWS writes them: a person creating and
// changing the group, and Auto Scaling's service-linked role launching and terminating its instances
// (invokedBy and sourceIPAddress autoscaling.amazonaws.com, the group named only in the launch's tag).
export const A = '111122223333';
export const REGION = 'eu-west-1';
export const INSTANCE = 'i-0a1b2c3d4e5f60718';
export const GROUP = 'web-asg';
export const GROUP_ID = `autoscaling-group/${A}/${REGION}/${GROUP}`;

export const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${name}`, accountId: A, principalId: `AIDA3V4QW7ZX${name.toUpperCase().padEnd(8, 'X')}`,
  userName: name, accessKeyId: `AKIA3V4QW7ZX${name.toUpperCase().padEnd(8, 'K')}` });
export const autoScaling = { type: 'AssumedRole', principalId: 'AROA3V4QW7ZXAUTOSCAL:AutoScaling', arn: `arn:aws:sts::${A}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
  accountId: A, sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROA3V4QW7ZXAUTOSCAL',
    arn: `arn:aws:iam::${A}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, accountId: A, userName: 'AWSServiceRoleForAutoScaling' } },
  invokedBy: 'autoscaling.amazonaws.com' };

let n = 0;
export const rec = (time: string, source: string, name: string, userIdentity: object, requestParameters: object | null, responseElements: object | null = null) => ({
  eventVersion: '1.09', eventID: `e-${++n}`, eventTime: time, eventSource: source, eventName: name, awsRegion: REGION,
  sourceIPAddress: (userIdentity as { invokedBy?: string }).invokedBy ?? '203.0.113.9', userAgent: (userIdentity as { invokedBy?: string }).invokedBy ?? 'aws-cli/2.15',
  requestParameters, responseElements, readOnly: name.startsWith('Describe'), recipientAccountId: A, userIdentity,
});
export const launch = (time: string, instance: string, group: string) => rec(time, 'ec2.amazonaws.com', 'RunInstances', autoScaling,
  { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] },
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'aws:autoscaling:groupName', value: group }] }] } },
  { instancesSet: { items: [{ instanceId: instance, imageId: 'ami-0abc1234def567890' }] } });
export const terminate = (time: string, instance: string, who: object) => rec(time, 'ec2.amazonaws.com', 'TerminateInstances', who,
  { instancesSet: { items: [{ instanceId: instance }] } },
  { instancesSet: { items: [{ instanceId: instance, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } });
export const asg = (time: string, name: string, who: object, params: object) => rec(time, 'autoscaling.amazonaws.com', name, who, { autoScalingGroupName: GROUP, ...params });

