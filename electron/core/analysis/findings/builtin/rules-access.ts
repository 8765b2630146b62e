// Built-in rules: credential access, execution and lateral movement, sign-in, unusual usage.
import type { BuiltinRuleDef } from '../rules/rule-types.ts';

const ROUTINE = 'Applications and operators that do this all the time (dropped once the identity does it routinely).';

export const ACCESS_RULES: BuiltinRuleDef[] = [
  {
    id: 'secrets-retrieved', kind: 'credential-access', category: 'credential-access', severity: 'medium', techniques: ['T1555.006'],
    title: 'Secrets read',
    explanation: 'Secret values read from Secrets Manager by an identity that does not usually read them.',
    proof: ['requestParameters.secretId', 'requestParameters.secretIdList', 'requestParameters.filters'],
    falsePositives: [ROUTINE],
    match: { eventName: ['GetSecretValue', 'BatchGetSecretValue'] }, check: 'secretsRead', routine: 'drop', group: 'actor',
  },
  {
    id: 'ssm-parameters-retrieved', kind: 'credential-access', category: 'credential-access', severity: 'medium', techniques: ['T1555.006'],
    title: 'Parameters read',
    explanation: 'SSM parameters (SecureString ones decrypted) read by an identity that does not usually read them.',
    proof: ['requestParameters.name', 'requestParameters.names', 'requestParameters.path', 'requestParameters.withDecryption'],
    falsePositives: [ROUTINE],
    match: { eventName: ['GetParameter', 'GetParameters', 'GetParametersByPath'] }, check: 'parametersRead', routine: 'drop', group: 'actor',
  },
  {
    id: 'ec2-password-data', kind: 'credential-access', category: 'credential-access', severity: 'medium', techniques: ['T1552'],
    title: 'Windows administrator password requested',
    explanation: 'GetPasswordData returns the encrypted local administrator password of a Windows instance.',
    proof: ['requestParameters.instanceId'],
    falsePositives: [ROUTINE],
    match: { eventName: 'GetPasswordData' }, value: ['requestParameters.instanceId'], routine: 'drop', group: 'actor',
  },
  {
    id: 'ec2-user-data-read', kind: 'credential-access', category: 'credential-access', severity: 'medium', techniques: ['T1552', 'T1580'],
    title: 'Instance user data downloaded',
    explanation: 'Boot scripts often carry passwords and keys.',
    proof: ['requestParameters.instanceId', 'requestParameters.attribute'],
    falsePositives: [ROUTINE],
    match: { eventName: 'DescribeInstanceAttribute', 'requestParameters.attribute': 'userData' }, check: 'userDataRead', routine: 'drop', group: 'actor',
  },
  {
    id: 'ec2-user-data-changed', kind: 'execution', category: 'execution', severity: 'high', techniques: ['T1059.009'],
    title: 'Instance user data replaced',
    explanation: 'The script an instance runs at boot was replaced: code of the caller\'s choosing runs with the instance\'s role at the next start.',
    proof: ['requestParameters.instanceId', 'requestParameters.userData', 'requestParameters.attribute'],
    falsePositives: ['Configuration changes by infrastructure code (reported as low when routine).'],
    match: { eventName: 'ModifyInstanceAttribute' }, check: 'userDataChanged', routine: 'demote',
  },
  {
    id: 'ssm-send-command', kind: 'execution', category: 'execution', severity: 'medium', techniques: ['T1651'],
    title: 'Command run on instances through SSM',
    explanation: 'SendCommand runs a document (often a shell script) as root on the targeted instances.',
    proof: ['requestParameters.documentName', 'requestParameters.instanceIds', 'requestParameters.targets'],
    falsePositives: ['Patching and configuration management (reported as low when routine).'],
    match: { eventName: 'SendCommand', eventSource: 'ssm.amazonaws.com' }, check: 'commandSent', routine: 'demote', group: 'actor',
  },
  {
    id: 'ssm-start-session', kind: 'execution', category: 'lateral-movement', severity: 'medium', techniques: ['T1651', 'T1021.007'],
    title: 'Interactive SSM session opened',
    explanation: 'StartSession gives a shell on the instance without SSH or an open port.',
    proof: ['requestParameters.target', 'requestParameters.documentName', 'responseElements.sessionId'],
    falsePositives: ['Operators who work this way (reported as low when routine).'],
    match: { eventName: 'StartSession', eventSource: 'ssm.amazonaws.com' }, check: 'instanceReached', routine: 'demote', group: 'actor',
  },
  {
    id: 'ec2-instance-connect-key', kind: 'execution', category: 'lateral-movement', severity: 'medium', techniques: ['T1021.004', 'T1098.004'],
    title: 'SSH key pushed with EC2 Instance Connect',
    explanation: 'SendSSHPublicKey installs a key for 60 seconds: enough to log in to the instance over SSH.',
    proof: ['requestParameters.instanceId', 'requestParameters.instanceOSUser', 'requestParameters.sSHPublicKey'],
    falsePositives: ['Operators using Instance Connect (reported as low when routine).'],
    match: { eventName: 'SendSSHPublicKey' }, check: 'instanceReached', routine: 'demote', group: 'actor',
  },
  {
    id: 'ec2-serial-console-access', kind: 'execution', category: 'lateral-movement', severity: 'high', techniques: ['T1021', 'T1098.004'],
    title: 'EC2 serial console used or enabled',
    explanation: 'The serial console reaches an instance below its network controls; enabling it account-wide and pushing keys to it is rare.',
    proof: ['requestParameters.instanceId', 'requestParameters.serialPort', 'requestParameters.sSHPublicKey'],
    falsePositives: ['Recovery of an unreachable instance.'],
    match: { eventName: ['SendSerialConsoleSSHPublicKey', 'EnableSerialConsoleAccess'] }, value: ['requestParameters.instanceId'], group: 'actor',
  },
  {
    id: 'lambda-code-changed', kind: 'execution', category: 'persistence', severity: 'medium', techniques: ['T1648', 'T1525'],
    title: 'Lambda function code replaced',
    explanation: 'The function now runs new code with its role\'s permissions.',
    proof: ['requestParameters.functionName', 'responseElements.codeSha256'],
    falsePositives: ['Deployments (reported as low when the identity deploys routinely).'],
    match: { eventName: ['UpdateFunctionCode20150331v2', 'UpdateFunctionCode'] }, value: ['requestParameters.functionName'], routine: 'demote',
  },
  {
    id: 'lambda-layer-added', kind: 'execution', category: 'persistence', severity: 'medium', techniques: ['T1525', 'T1546'],
    title: 'Lambda layer added to a function',
    explanation: 'A layer (or extension) runs inside the function with its role and sees every invocation; one from another account is outside this account\'s control.',
    proof: ['requestParameters.functionName', 'requestParameters.layers'],
    falsePositives: ['Deployments adding monitoring layers (reported as low when routine).'],
    match: { 'eventName|startswith': ['UpdateFunctionConfiguration', 'CreateFunction'] }, check: 'layersAdded', routine: 'demote',
  },
  {
    id: 'console-login-without-mfa', kind: 'sign-in', category: 'initial-access', severity: 'medium', techniques: ['T1078.004'],
    title: 'Console sign-in without MFA',
    explanation: 'A console sign-in with a password only.',
    proof: ['additionalEventData.MFAUsed', 'responseElements.ConsoleLogin', 'userIdentity.type', 'sourceIPAddress'],
    falsePositives: ['Users not yet enrolled in MFA (reported as low when they always sign in this way).'],
    match: { eventName: 'ConsoleLogin' }, check: 'consoleLoginWithoutMfa', routine: 'demote',
  },
  {
    id: 'ec2-unusual-instances', kind: 'unusual-activity', category: 'impact', severity: 'medium', techniques: ['T1496'],
    title: 'Unusual instances launched',
    explanation: 'GPU, accelerator or very large instance types, or many instances at once: the shape of crypto-mining and cost attacks.',
    proof: ['requestParameters.instanceType', 'requestParameters.instancesSet'],
    falsePositives: ['Machine-learning and batch teams (dropped when the identity launches them routinely).'],
    match: { eventName: 'RunInstances' }, check: 'unusualInstances', routine: 'drop',
  },
  {
    id: 'bedrock-model-invoked', kind: 'unusual-activity', category: 'impact', severity: 'medium', techniques: ['T1496.004'],
    title: 'Foundation model invoked by a new identity',
    explanation: 'An identity that had never used Bedrock ran a model: stolen keys are resold to run models at the account\'s expense.',
    proof: ['requestParameters.modelId'],
    falsePositives: ['A new application or developer starting to use Bedrock.'],
    match: { eventName: ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'], eventSource: 'bedrock.amazonaws.com' },
    check: 'modelInvoked', routine: 'drop', group: 'actor',
  },
  {
    id: 'bedrock-model-access-enabled', kind: 'unusual-activity', category: 'impact', severity: 'medium', techniques: ['T1496.004'],
    title: 'Foundation model access enabled',
    explanation: 'Model access requested or agreed to: the first step before invoking a model in an account that did not use it.',
    proof: ['requestParameters.modelId', 'requestParameters.offerToken'],
    falsePositives: ['Teams adopting Bedrock.'],
    match: { eventName: ['PutUseCaseForModelAccess', 'CreateFoundationModelAgreement', 'PutFoundationModelEntitlement'] }, value: ['requestParameters.modelId'], routine: 'drop', group: 'actor',
  },
];

/** Rules raised by analyzers rather than per-event matches: their metadata, so every finding names its rule. */
export const ANALYZER_RULES: BuiltinRuleDef[] = [
  {
    id: 'new-source-ip', kind: 'new-source-ip', category: 'credential-compromise', severity: 'medium', techniques: ['T1078.004'], analyzer: 'new-values',
    title: 'New source address', explanation: 'The identity (its person, role or instance, not just this key) had not called from this address before in the case.',
    proof: ['sourceIPAddress'], falsePositives: ['Travel, a new office or VPN exit, a new CI runner.'],
  },
  {
    id: 'new-user-agent', kind: 'new-user-agent', category: 'credential-compromise', severity: 'low', techniques: ['T1078.004'], analyzer: 'new-values',
    title: 'New client', explanation: 'A client family (CLI, SDK, tool) the identity had not used before; offensive toolkits are high.', proof: ['userAgent'],
    falsePositives: ['Tool upgrades and new scripts.'],
  },
  {
    id: 'new-region', kind: 'new-region', category: 'credential-compromise', severity: 'medium', techniques: ['T1535'], analyzer: 'new-values',
    title: 'New region', explanation: 'The identity acted in a region it had not used before.', proof: ['awsRegion'], falsePositives: ['Expansion to a new region.'],
  },
  {
    id: 'unknown-region', kind: 'unusual-activity', category: 'defense-evasion', severity: 'medium', techniques: ['T1535'], analyzer: 'unknown-region',
    title: 'Region that does not exist', explanation: 'Events name a region AWS does not have: forged or altered records (or a region newer than this list).',
    proof: ['awsRegion'], falsePositives: ['Regions launched after this version of Trailscope; anonymised sample data.'],
  },
  {
    id: 'access-denied-burst', kind: 'access-denied-burst', category: 'discovery', severity: 'medium', techniques: ['T1580', 'T1087.004'], analyzer: 'bursts',
    title: 'Burst of denied calls', explanation: 'Many refused calls in a short window: probing what a credential may do.', proof: ['errorCode', 'eventName'],
    falsePositives: ['Misconfigured applications retrying a forbidden call.'],
  },
  {
    id: 'discovery-sweep', kind: 'discovery-sweep', category: 'discovery', severity: 'low', techniques: ['T1580', 'T1526'], analyzer: 'bursts',
    title: 'Discovery sweep', explanation: 'Many distinct List/Describe/Get calls in a short time.', proof: ['eventName'],
    falsePositives: ['Inventory tools and Terraform plans.'],
  },
  {
    id: 'instance-credentials-off-instance', kind: 'instance-credentials-off-instance', category: 'credential-access', severity: 'high', techniques: ['T1552.005'],
    analyzer: 'flags', title: 'Instance credentials used off the instance',
    explanation: 'Role credentials of an instance profile used from an address that is not the instance\'s: taken from the metadata service.',
    proof: ['userIdentity.arn', 'sourceIPAddress'], falsePositives: ['Instances behind a NAT or proxy whose address the case does not know.'],
  },
  {
    id: 'root-activity', kind: 'root-activity', category: 'credential-compromise', severity: 'medium', techniques: ['T1078.004'], analyzer: 'flags',
    title: 'Root account used', explanation: 'The root user can do anything and cannot be restricted; it should hardly ever act.', proof: ['userIdentity.type'],
    falsePositives: ['The few tasks that need root (billing, closing the account).'],
  },
  {
    id: 'iam-principal-created-then-admin', kind: 'sequence', category: 'privilege-escalation', severity: 'critical', techniques: ['T1136.003', 'T1098.003'],
    analyzer: 'sequences', title: 'New identity made administrator',
    explanation: 'A user or role created and given administrator rights by the same origin within an hour: a persistent admin backdoor.',
    proof: ['requestParameters.userName', 'requestParameters.roleName', 'requestParameters.policyArn'],
    falsePositives: ['Break-glass accounts created by the security team (should be ticketed).'],
  },
];
