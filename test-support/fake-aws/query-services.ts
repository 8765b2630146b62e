// EC2 (ec2Query), IAM and STS (awsQuery) handlers: form-encoded requests, XML responses shaped by the
// SDK's own output schemas (xml.ts). Test support only.
import * as ec2 from '@aws-sdk/client-ec2';
import * as iam from '@aws-sdk/client-iam';
import * as sts from '@aws-sdk/client-sts';
import type { FakeAccount } from './account.ts';
import { escapeXml, outputSchema, structToXml } from './xml.ts';

export type XmlReply = { status: number; xml: string };
type Handler = (account: FakeAccount, region: string, params: URLSearchParams) => Record<string, unknown> | XmlReply;

const NAMESPACES: Record<string, string> = {
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};
const MODULES: Record<string, Record<string, unknown>> = { ec2, iam, sts };
const requestId = () => `fake-${Math.random().toString(16).slice(2)}`;

export function queryError(service: string, code: string, message: string, status: number): XmlReply {
  if (service === 'ec2') {
    return { status, xml: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>` };
  }
  return {
    status,
    xml: `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  };
}

export function queryResponse(service: string, operation: string, value: Record<string, unknown>): XmlReply {
  const schema = outputSchema(MODULES[service][`${operation}$`]);
  const inner = structToXml(schema, value, service === 'ec2' ? 'ec2' : 'query');
  const ns = NAMESPACES[service];
  if (service === 'ec2') {
    return { status: 200, xml: `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${ns}"><requestId>${requestId()}</requestId>${inner}</${operation}Response>` };
  }
  return {
    status: 200,
    xml: `<${operation}Response xmlns="${ns}"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

const ec2Doc = (key: string): Handler => (account, region) => ({ [key]: account.ec2.get(region)?.[key] ?? [] });

// IAM sends policy documents URL-encoded on the wire; the AWS CLI decodes them before printing.
const encodePolicy = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
function encodeDocuments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(encodeDocuments);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, ['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'].includes(k) ? encodePolicy(v) : encodeDocuments(v)]),
  );
}

// GetAccountAuthorizationDetails in three pages (users and groups, roles, policies), as a real account
// with more than MaxItems entries would return it.
const gaad: Handler = (account, _region, params) => {
  const page = Number(params.get('Marker') ?? '0');
  const pages = [
    { UserDetailList: account.iam.users, GroupDetailList: account.iam.groups, RoleDetailList: [], Policies: [] },
    { UserDetailList: [], GroupDetailList: [], RoleDetailList: account.iam.roles, Policies: [] },
    { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: account.iam.policies },
  ];
  const body = encodeDocuments(pages[page] ?? pages[2]) as Record<string, unknown>;
  return page < 2 ? { ...body, IsTruncated: true, Marker: String(page + 1) } : { ...body, IsTruncated: false };
};

export const QUERY_HANDLERS: Record<string, Record<string, Handler>> = {
  ec2: {
    DescribeInstances: ec2Doc('Reservations'),
    DescribeSecurityGroups: ec2Doc('SecurityGroups'),
    DescribeSecurityGroupRules: ec2Doc('SecurityGroupRules'),
    DescribeNetworkInterfaces: ec2Doc('NetworkInterfaces'),
    DescribeVpcs: ec2Doc('Vpcs'),
    DescribeSubnets: ec2Doc('Subnets'),
    DescribeNetworkAcls: ec2Doc('NetworkAcls'),
    DescribeFlowLogs: ec2Doc('FlowLogs'),
    DescribeRegions: (account) => ({ Regions: account.regions.map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })) }),
  },
  iam: {
    GetAccountAuthorizationDetails: gaad,
    ListAccessKeys: (account, _region, params) => ({ AccessKeyMetadata: account.iam.accessKeys.get(params.get('UserName') ?? '') ?? [], IsTruncated: false }),
    GetAccessKeyLastUsed: (account, _region, params) => {
      const id = params.get('AccessKeyId');
      const owner = [...account.iam.accessKeys.values()].flat().find((k) => k.AccessKeyId === id);
      return { UserName: owner?.UserName, AccessKeyLastUsed: { LastUsedDate: '2024-03-01T00:00:00Z', ServiceName: 'ec2', Region: 'us-east-1' } };
    },
    GenerateCredentialReport: () => ({ State: 'COMPLETE', Description: 'No report generation in progress.' }),
    GetCredentialReport: (account) => ({ Content: Buffer.from(account.iam.credentialReport).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2024-03-02T00:00:00Z' }),
  },
  sts: {
    GetCallerIdentity: (account) => ({ UserId: 'AIDAFAKE00', Account: account.accountId, Arn: account.callerArn }),
  },
};
