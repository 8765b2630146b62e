// The fake speaks the wire protocols the real SDK clients expect: each call here is a plain SDK call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { EC2Client, DescribeInstancesCommand, DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import { IAMClient, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { S3Client, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { buildFakeAccount } from './account.ts';
import { startFakeAws } from './server.ts';

const credentials = { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };

test('the SDK clients read the fake account over the real wire protocols', async () => {
  const account = buildFakeAccount({ start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-03-02T00:00:00Z'), eventsPerRegion: 120, flowsPerRegion: 40 });
  const aws = await startFakeAws(account, { enforceLookupLimit: false });
  const common = { region: 'eu-west-1', endpoint: aws.url, credentials, maxAttempts: 1 };
  try {
    const identity = await new STSClient(common).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, account.accountId);

    const ct = new CloudTrailClient(common);
    const page = await ct.send(new LookupEventsCommand({ StartTime: new Date('2024-03-01T00:00:00Z'), EndTime: new Date('2024-03-02T00:00:00Z') }));
    assert.equal(page.Events?.length, 50);
    assert.ok(page.NextToken);
    assert.equal(JSON.parse(page.Events![0].CloudTrailEvent!).awsRegion, 'eu-west-1');
    const trails = await ct.send(new DescribeTrailsCommand({}));
    assert.equal(trails.trailList?.[0].S3BucketName, 'trailscope-fake-trail');

    const ec2 = new EC2Client(common);
    const instances = await ec2.send(new DescribeInstancesCommand({}));
    assert.equal(instances.Reservations?.[0].Instances?.[0].InstanceId, 'i-0fake1000000001');
    assert.equal(instances.Reservations?.[0].Instances?.[0].SecurityGroups?.[0].GroupId, 'sg-0fake10000001');
    assert.ok(instances.Reservations?.[0].Instances?.[0].LaunchTime instanceof Date);
    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({}));
    assert.equal(rules.SecurityGroupRules?.[0].CidrIpv4, '0.0.0.0/0');

    const iam = new IAMClient({ ...common, region: 'us-east-1' });
    const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    assert.equal(gaad.UserDetailList?.length, 3);
    assert.equal(gaad.IsTruncated, true);
    assert.match(gaad.UserDetailList![0].UserPolicyList![0].PolicyDocument!, /%22Effect%22/);
    const report = await iam.send(new GetCredentialReportCommand({}));
    assert.match(Buffer.from(report.Content!).toString('utf8'), /^user,arn,/);

    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'trailscope-fake-trail', Prefix: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/' }));
    assert.ok((listed.Contents?.length ?? 0) > 0);
    const object = await s3.send(new GetObjectCommand({ Bucket: 'trailscope-fake-trail', Key: listed.Contents![0].Key }));
    assert.ok((await object.Body!.transformToByteArray()).length > 0);

    const logs = new CloudWatchLogsClient(common);
    const flows = await logs.send(new FilterLogEventsCommand({ logGroupName: '/vpc/flow/eu-west-1' }));
    assert.equal(flows.events?.length, 20);
  } finally {
    await aws.close();
  }
});

test('the fake throttles LookupEvents beyond two requests a second in a region', async () => {
  const account = buildFakeAccount({ start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-03-02T00:00:00Z'), eventsPerRegion: 10 });
  const aws = await startFakeAws(account);
  const ct = new CloudTrailClient({ region: 'us-east-1', endpoint: aws.url, credentials, maxAttempts: 1 });
  try {
    const results = await Promise.allSettled([1, 2, 3].map(() => ct.send(new LookupEventsCommand({}))));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal(failure.reason.name, 'ThrottlingException');
  } finally {
    await aws.close();
  }
});
