// Result types of the investigation engine (electron/core/analysis): what who-changed, actor, graph,
// timeline and flows return. Plain data only (no Dates, no class instances) so the same values cross
// IPC, the loopback HTTP bridge and `--json` output unchanged. Times are ISO 8601 strings in UTC.
// Fields may be added later; none is renamed.
import type { ResourceType } from './resource-ids.ts';
import type { Marks } from './api/annotations.ts';
import type { FindingSuppression } from './api/finding-decisions.ts';
import type { ClippedLengths } from './api/bounds.ts';
import type { PartlyReadFile } from './api/types.ts';

export type IsoTime = string;

// ---------------------------------------------------------------------------------------------
// Attribution
// ---------------------------------------------------------------------------------------------

/** What kind of identity a step of a chain (or its origin) is. */
export type IdentityKind =
  | 'iam-user'
  | 'root'
  | 'role-session' // an assumed-role session (arn:aws:sts::…:assumed-role/<role>/<session>)
  | 'federated-user' // GetFederationToken
  | 'saml-user' // AssumeRoleWithSAML subject
  | 'web-identity-user' // AssumeRoleWithWebIdentity subject
  | 'identity-center-user' // IAM Identity Center person (onBehalfOf / IdentityCenterUser)
  | 'instance' // EC2 instance behind an instance-profile session
  | 'aws-service'
  | 'aws-account' // a cross-account caller known only by its account
  | 'unknown';

/**
 * How a link between two steps was established. `key` is proof: the access key in the later call was
 * issued by the earlier call (responseElements.credentials.accessKeyId). Everything else is inferred.
 */
export type LinkBasis =
  | 'key' // proven: issued key matched to userIdentity.accessKeyId
  | 'identity' // the record itself names it (IAM user, root, service, invokedBy)
  | 'on-behalf-of' // userIdentity.onBehalfOf (Identity Center)
  | 'source-identity' // sts sourceIdentity carried through the chain
  | 'instance-session-name' // role session named after the instance id (instance profile)
  | 'sso-session-name' // inferred: an Identity Center role's session, named after the signed-in user
  | 'session-name' // inferred: same role and session name as an earlier AssumeRole
  | 'session-name-ip-time'; // inferred: session name plus source IP within the key's lifetime

export type LinkProof = 'proven' | 'inferred';

/** One step of a chain, from the identity that made the call back towards the origin. */
export type ChainLink = {
  kind: IdentityKind;
  /** The identity at this step: user/role-session ARN, instance id, service principal, subject… */
  id: string;
  label: string;
  accountId: string | null;
  /** The access key this step used or was issued, when known. */
  accessKeyId: string | null;
  /** How this step is tied to the previous one (the first step is the recorded identity: basis 'identity'). */
  proof: LinkProof;
  basis: LinkBasis;
  /** Human explanation of the link, e.g. "ASIA… issued by AssumeRole 2024-08-01T12:00:00Z to user/alice". */
  detail: string;
  /** The issuing call (AssumeRole, GetSessionToken…) that created this step's credentials, when known. */
  issuedBy: { eventId: string; eventName: string; eventTime: IsoTime } | null;
  /** A SAML or web identity subject's issuer (the assertion's Issuer, the token's provider): the subject is unique only within it. */
  issuer?: string;
  /** An Identity Center user's name(s), from records that pair it with an identity-store user id (`nameSource` is the first such record). */
  names?: string[];
  nameSource?: { eventId: string; eventName: string; eventTime: IsoTime };
};

export type ActorOrigin = {
  kind: IdentityKind;
  id: string;
  label: string;
  accountId: string | null;
  /** True when every link from the recorded identity to this origin is proven by a key or the record itself. */
  proven: boolean;
};

export type ActorFlag =
  | {
      kind: 'instance-credentials-off-instance';
      instanceId: string;
      sourceIp: string;
      /** The instance's own addresses from config snapshots/ENIs; empty when unknown. */
      knownAddresses: string[];
      /** False when the instance's addresses are not in the case, so the check could not be made. */
      addressesKnown: boolean;
      detail: string;
    }
  | { kind: 'root'; detail: string }
  | { kind: 'cross-account'; fromAccount: string; toAccount: string; detail: string }
  | { kind: 'chain-broken'; accessKeyId: string | null; detail: string }
  | {
      /**
       * A high or medium finding (see Findings below) about this actor's own calls: a new source
       * address or agent, a key made for another user… Only in actor reports, never stored.
       */
      kind: 'finding';
      findingKind: FindingKind;
      severity: FindingSeverity;
      value: string | null;
      firstTime: IsoTime;
      /** The finding's first events (at most 5). */
      eventIds: string[];
      detail: string;
    };

export type ResolvedActor = {
  /** userIdentity.arn as recorded (null when the record has none, e.g. some service events). */
  arn: string | null;
  origin: ActorOrigin;
  /** chain[0] is the recorded identity; the last link is the origin. */
  chain: ChainLink[];
  flags: ActorFlag[];
};

export type UserAgentClass = 'console' | 'cli' | 'sdk' | 'iac' | 'aws-service' | 'other';

export type CountedValue = { value: string; count: number; firstSeen: IsoTime; lastSeen: IsoTime };

export type ActorReport = {
  /** What was asked: an access key, an ARN or a session name. */
  query: string;
  matchedBy: 'access-key' | 'arn' | 'session-name' | 'origin' | 'identifier' | 'identity-store-name';
  actor: ResolvedActor;
  /** The keys and sessions seen for this actor (at most REPORT_LIST_ITEMS each: `totals` counts them all). */
  accessKeys: string[];
  sessions: string[];
  eventCount: number;
  firstSeen: IsoTime | null;
  lastSeen: IsoTime | null;
  sourceIps: CountedValue[];
  userAgents: (CountedValue & { class: UserAgentClass })[];
  regions: CountedValue[];
  eventNames: (CountedValue & { errors: number })[];
  errors: CountedValue[];
  /**
   * How many of each list there are in all. Each list holds at most REPORT_LIST_ITEMS of them
   * (shared/api/bounds.ts): the tallies the most-called first, keys and sessions in the order first used.
   */
  totals: { accessKeys: number; sessions: number; sourceIps: number; userAgents: number; regions: number; eventNames: number; errors: number };
  /** Warnings: the credential's own flags, then one 'finding' flag per high or medium finding below. */
  flags: ActorFlag[];
  /**
   * Findings about this actor's calls, oldest first, as findings() reports them: new addresses, agents
   * and regions first brought by this actor, its persistence and covering-tracks calls, and (when the
   * report was asked with findings 'all') its denied-call bursts and discovery sweeps.
   */
  findings?: Finding[];
};

// ---------------------------------------------------------------------------------------------
// Who changed this
// ---------------------------------------------------------------------------------------------

export type SecurityGroupRule = {
  direction: 'ingress' | 'egress';
  /** "tcp" | "udp" | "icmp" | "-1" (all) | protocol number as text */
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  /** Exactly one peer is normally set. */
  cidr: string | null;
  ipv6Cidr: string | null;
  prefixListId: string | null;
  peerGroupId: string | null;
  peerGroupOwner: string | null;
  ruleId: string | null; // sgr-…
  description: string | null;
};

export type Change =
  | { kind: 'security-group-rules'; summary: string; groupId: string; added: SecurityGroupRule[]; removed: SecurityGroupRule[] }
  | { kind: 'security-group'; summary: string; action: 'created' | 'deleted'; groupId: string | null; groupName: string | null; vpcId: string | null; description: string | null }
  | { kind: 'instance-state'; summary: string; transitions: { instanceId: string; previous: string | null; current: string | null }[] }
  | {
      kind: 'instance-attribute';
      summary: string;
      resourceId: string; // i-… or eni-…
      attribute: string; // groupSet, instanceType, userData, sourceDestCheck, …
      /** For group swaps: the groups before (when a version is known) and after. */
      groupsBefore: string[] | null;
      groupsAfter: string[] | null;
      value: string | null;
    }
  | { kind: 'instance-launch'; summary: string; instanceIds: string[]; groups: string[]; imageId: string | null; instanceType: string | null; instanceProfile: string | null }
  | {
      kind: 'iam-policy';
      summary: string;
      action: 'attached' | 'detached' | 'put' | 'deleted' | 'version-created' | 'trust-updated';
      principal: string | null; // user/role/group ARN or name
      policyArn: string | null;
      policyName: string | null;
      /** Inline or new version document, as recorded (attacker-controlled text). */
      document: string | null;
    }
  | { kind: 'access-key'; summary: string; action: 'created' | 'updated' | 'deleted'; userName: string | null; accessKeyId: string | null; status: string | null }
  | { kind: 'iam-principal'; summary: string; action: string; principal: string | null }
  | { kind: 'other'; summary: string };

export type ResourceVersionRef = {
  versionId: number;
  origin: 'snapshot' | 'event';
  observedAt: IsoTime;
  /** The event that produced this version (origin = event). */
  eventId: string | null;
  config: unknown;
};

export type WhoChangedItem = {
  eventId: string;
  eventTime: IsoTime;
  eventName: string;
  eventSource: string;
  awsRegion: string | null;
  accountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  /** Set when the call failed: an attempt that changed nothing. */
  errorCode: string | null;
  errorMessage: string | null;
  attempt: boolean;
  touch: string; // created | modified | deleted | attached | detached | …
  actor: ResolvedActor;
  change: Change;
  /** Resource configuration before and after this event, where a version is known. */
  before: ResourceVersionRef | null;
  after: ResourceVersionRef | null;
  /**
   * For a successful change of a resource AWS Config records: the first Config version captured at
   * or after it and whether it agrees ('not-recorded': Config's history has no version after it).
   */
  recorded?: { versionId: number; capturedAt: IsoTime; agreement: ConfigAgreement | 'not-recorded'; detail: string } | null;
  /** Set on an instance's change Auto Scaling made itself (launching or terminating it): who scaled it is who changed its group. */
  autoScaling?: AutoScalingCause;
};

/**
 * The Auto Scaling group behind a change Auto Scaling made to an instance: the group the case's
 * events last tied the instance to before the change (the launch's group tag, an attach, a
 * termination asked of the group), or null when none does, and the group's latest changes up to the
 * change (capacity, policies, schedules, health checks: the calls a person made), earliest first.
 */
export type AutoScalingCause = {
  group: { id: string; name: string | null } | null;
  changes: WhoChangedItem[];
  /** Earlier changes to the group than those listed. */
  more: boolean;
};

/**
 * How a version AWS Config recorded compares with the case's events: 'first' (Config's earliest, a
 * baseline), 'agrees', 'differs' (replaying the events since the previous version gives another
 * configuration), 'unexplained' (Config saw a change no event in the case accounts for).
 */
export type ConfigAgreement = 'first' | 'agrees' | 'differs' | 'unexplained';

/** A version of the resource as AWS Config recorded it (ConfigHistory, ConfigSnapshot, get-resource-config-history). */
export type ConfigRecordedVersion = {
  versionId: number;
  capturedAt: IsoTime;
  /** configurationItemStatus: OK, ResourceDiscovered, ResourceDeleted… */
  status: string | null;
  stateId: string | null;
  /** CloudTrail event ids Config ties to the change, and those the case holds. */
  relatedEvents: string[];
  relatedInCase: string[];
  /** Successful changes in the case after the previous recorded version, up to this one. */
  eventsBetween: string[];
  agreement: ConfigAgreement;
  /** In words: what agrees or differs. Record data: text only. */
  detail: string;
  config: unknown;
};

export type WhoChangedResult = {
  resource: {
    id: string; type: ResourceType | null; name: string | null; arn: string | null;
    /**
     * Its tags when the evidence ends (the latest snapshot and the tagging calls after it), as
     * [key, value] in the order given; absent when none is known. `production` is the tag that marks it
     * as production (`Environment=production`). Record data: text only.
     */
    tags?: [key: string, value: string][];
    production?: string | null;
  };
  items: WhoChangedItem[];
  /** Changes before the items listed (the latest MAX_CHANGES_LISTED, 1,000), left out; absent when none were. */
  earlier?: number;
  /** Versions AWS Config recorded, oldest first, each set against the events (absent when Config recorded none). */
  recorded?: ConfigRecordedVersion[];
  /**
   * False when the case knows nothing by that id (no resource, principal, key, address or event
   * touching it): a typo to report, not "no changes". Set by the engine; absent in older answers.
   */
  known?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Graph at time T
// ---------------------------------------------------------------------------------------------

/** 'unknown': an id neither the case's tables nor the naming scheme of shared/resource-ids.ts place. */
export type GraphNodeType = ResourceType | 'root' | 'aws-service' | 'federated-user' | 'identity-center-user' | 'aws-account' | 'unknown';

export type GraphNode = {
  /** Per shared/resource-ids.ts. */
  id: string;
  type: GraphNodeType;
  label: string;
  account: string | null;
  region: string | null;
  /** Compound parent for VPC/subnet boxes: an instance's parent is its subnet, a subnet's its VPC. */
  parent: string | null;
  /**
   * Events up to T: for a resource, the calls that touched it; for a principal, the calls it made; for
   * an address, the calls made from it. For an access key, the calls made WITH it (userIdentity.accessKeyId
   * is the key); props.eventsWithKey repeats that and props.eventsTouching counts the calls that named
   * the key (CreateAccessKey, UpdateAccessKey…).
   */
  eventCount: number;
  /** Small extra facts for the panel (state, public IP, CIDR, …). Values are data, never markup. */
  props?: Record<string, string | number | boolean | null>;
};

export type GraphEdge = {
  id: string;
  source: string;
  target: string;
  kind: string; // edges.kind, plus 'acted-on' (principal → resource) and 'connected' (ip → eni)
  validFrom: IsoTime | null;
  validTo: IsoTime | null;
  eventCount: number;
};

export type Graph = {
  at: IsoTime | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Set when a cap stopped the expansion; the UI offers to expand. */
  truncated: boolean;
};

/**
 * The whole account folded for a first look (electron/core/analysis/graph/overview.ts): identities with
 * their sessions and keys as counts, the services they called, the kinds of resource. Cluster nodes
 * carry props.cluster, props.memberType and props.members.
 */
export type GraphOverview = Graph & {
  /** How many nodes the account graph holds unfolded (resources, principals and sessions seen by T). */
  total: number;
};

/** The events either side of a moment (electron/core/analysis/graph/event-times.ts); nearest is the closer one. */
export type NearestEvents = { before: IsoTime | null; after: IsoTime | null; nearest: IsoTime | null };

export type NeighbourhoodQuery = { nodeId: string; at?: IsoTime | null; depth?: number; limit?: number };

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

export type TimelineFilter = {
  /** Access key, ARN, session name or origin id: matches the resolved actor and everything under it. */
  actor?: string;
  resource?: string;
  eventName?: string;
  ip?: string;
  from?: IsoTime;
  to?: IsoTime;
  errorsOnly?: boolean;
  /** The query language (electron/core/analysis/timeline/timeline-query-language.ts): fields, OR, NOT, (), wildcards, tag:, starred:. */
  query?: string;
  text?: string;
  /** False hides read-only calls (Describe*, List*, Get*…): the workbench's default view. Absent or true: all calls. */
  includeReadOnly?: boolean;
  /** 12-digit account ids (recipientAccountId, else the identity's account): events of these accounts only. */
  accounts?: string[];
  /** A graph node: events where it acted (identity ARN, access key, role of the session, source address for ip/…) or was touched. */
  node?: string;
  /** Exclusive upper bound (events strictly before), for windows that tile without overlap; `to` is inclusive. */
  before?: IsoTime;
  /** Page size; default 200, at most 5000. */
  limit?: number;
  /** Opaque: from the previous page's nextCursor. */
  cursor?: string | null;
  /** Characters kept of each text field (shared/api/bounds.ts LIST_FIELD_CHARS by default). */
  fieldChars?: number;
  /** A page ends early, its cursor at the last row sent, once its rows pass this many JSON characters. */
  maxChars?: number;
};

export type TimelineRow = {
  /** events.id, stable within a case: the key for annotations and raw-record lookups. */
  id: number;
  eventId: string;
  eventTime: IsoTime;
  eventSource: string;
  eventName: string;
  awsRegion: string | null;
  accountId: string | null;
  identityType: string | null;
  actorArn: string | null;
  accessKeyId: string | null;
  /** The resolved origin, as a label (e.g. "user/alice", "i-0abc (instance)"). */
  origin: string | null;
  originKind: IdentityKind | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  errorCode: string | null;
  readOnly: boolean | null;
  /** The first ROW_RESOURCES (shared/api/bounds.ts) touched resource ids. */
  resources: string[];
  /** Set when `resources` is cut short: how many resources the event touches. */
  resourceCount?: number;
  /**
   * Set when a field was longer than the page's field limit: the field holds its start, and this maps
   * its name to the full value's UTF-8 size. `event:field` returns the full value in chunks.
   */
  clipped?: ClippedLengths;
  /** The investigator's star, tags and comments on this event (workbench pages; absent when none). */
  marks?: Marks;
};

export type TimelinePage = { rows: TimelineRow[]; nextCursor: string | null };

/** Matching events per time bucket (the timeline's brush): `counts[i]` covers [from + i·bucketMs, from + (i+1)·bucketMs). */
/**
 * Matching events per bucket of [from, to). Without a window in the filter, [from, to) spans the case
 * less its events dated far from all the others (a zeroed or mistyped time): those the filter matches
 * are counted as `earlier` and `later`, listed at the ends of the timeline but not drawn.
 */
export type TimelineHistogram = { from: IsoTime; to: IsoTime; bucketMs: number; counts: number[]; earlier: number; later: number };

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/** One match of a search box term: a graph node id (resource id, principal ARN, ip/…, access key) with a label. */
export type SearchHit = { id: string; type: string; label: string; detail: string | null };

/** What a case holds: the workbench header shows part of it, `trailscope info` all of it. */
export type CaseSummary = {
  path: string;
  name: string;
  events: number;
  flows: number;
  resources: number;
  resourceVersions: number;
  principals: number;
  /** Access keys the case has seen issued or used. */
  credentials: number;
  sources: number;
  sourcesByStatus: Record<string, number>;
  sourcesByKind: Record<string, number>;
  /** The first REJECTED_LISTED rejected sources, with their reasons (rejectedCount says how many in all). */
  rejectedSources: { path: string; reason: string | null }[];
  rejectedCount: number;
  /** The first REJECTED_LISTED sources read with some records rejected, in reading order (partlyReadFiles says how many in all). */
  partlyRead: PartlyReadFile[];
  partlyReadFiles: number;
  /** Records rejected in sources read in part, in all. */
  partlyReadRecords: number;
  firstTime: IsoTime | null;
  lastTime: IsoTime | null;
  /**
   * The span of the events less the few dated far from all the others (a zeroed or mistyped time, one
   * old file), which the timeline's histogram and the graph's time slider cover; `earlier` and `later`
   * count those left out (electron/core/analysis/timeline/event-span.ts). Null without events.
   */
  eventSpan: { from: IsoTime; to: IsoTime; earlier: number; later: number } | null;
  flowFirstTime: IsoTime | null;
  flowLastTime: IsoTime | null;
  /** The first accounts in order (10,000 at most; moreAccounts says whether the case names more). */
  accounts: string[];
  /** Each account with the names the data gives it (electron/core/analysis/accounts/account-names.ts). */
  accountInfo: AccountInfo[];
  moreAccounts: boolean;
  /** The first regions in order (1,000 at most; moreRegions says whether the case names more). */
  regions: string[];
  moreRegions: boolean;
};

/** An account of the case: its Organizations name, its IAM alias and its organisation, where records say them. */
export type AccountInfo = { id: string; name: string | null; alias: string | null; organization: string | null };

// ---------------------------------------------------------------------------------------------
// Flows
// ---------------------------------------------------------------------------------------------

export type FlowFilter = { eni?: string; accounts?: string[]; ip?: string; port?: number; from?: IsoTime; to?: IsoTime; windowMinutes?: number; limit?: number };

export type FlowConversation = {
  /** Stable across windows and re-ingest (shared/flow-key.ts): what annotations on the flow are keyed by. */
  key: string;
  interfaceId: string | null;
  /** The address on our side (the interface's) and the peer; direction relative to the interface. */
  localAddress: string | null;
  peerAddress: string | null;
  direction: 'inbound' | 'outbound' | 'unknown';
  /** The service port: destination port for inbound, destination port for outbound. */
  port: number | null;
  protocol: number | null;
  windowStart: IsoTime;
  windowEnd: IsoTime;
  firstSeen: IsoTime | null;
  lastSeen: IsoTime | null;
  records: number;
  packets: number;
  bytes: number;
  accepted: number;
  rejected: number;
  peerIsPublic: boolean;
};

export type FlowRecordRef = {
  id: number;
  interfaceId: string | null;
  srcaddr: string | null;
  dstaddr: string | null;
  srcport: number | null;
  dstport: number | null;
  protocol: number | null;
  start: IsoTime | null;
  end: IsoTime | null;
  action: string | null;
};

/** Traffic → the rule that allowed it → the call that added the rule → the person behind the call. */
export type RemoteAccessChain = {
  flow: FlowRecordRef;
  /** The security group rule that allowed the flow at that moment; null when no known rule matches. */
  rule: { groupId: string; rule: SecurityGroupRule; basis: 'snapshot' | 'event'; groupName?: string | null } | null;
  /** The latest call before the flow that added the rule (or swapped the group onto the interface). */
  ruleEvent: { eventId: string; eventTime: IsoTime; eventName: string; sourceIPAddress: string | null; userAgent: string | null } | null;
  actor: ResolvedActor | null;
  /** Why the chain stops short, for each missing link (e.g. "interface's groups unknown at that time"). */
  gaps: string[];
  /**
   * The security groups of the flow's interface at the flow's start and where that is recorded: a
   * snapshot, or the call that set them (RunInstances, CreateNetworkInterface, a group swap), on the
   * interface itself or on its instance. basis 'none' when the case does not record them.
   */
  interfaceGroups?: {
    interfaceId: string | null;
    instanceId: string | null;
    groups: { groupId: string; name: string | null }[];
    basis: 'snapshot' | 'event' | 'none';
    /** The resource the groups were recorded on (the interface or its instance). */
    recordedOn: string | null;
    event: { eventId: string; eventTime: IsoTime; eventName: string } | null;
  };
};

export type FlowsResult = { conversations: FlowConversation[]; remoteAccess: RemoteAccessChain[] };

// ---------------------------------------------------------------------------------------------
// Findings: compromise, reconnaissance, persistence and covering-tracks signals
// ---------------------------------------------------------------------------------------------

export type FindingKind =
  | 'new-source-ip' // an identity called from an address it had not used before in the case
  | 'new-user-agent'
  | 'new-region'
  | 'access-denied-burst' // many AccessDenied / UnauthorizedOperation in a short window: probing permissions
  | 'discovery-sweep' // many distinct List*/Describe*/Get* calls in a short window
  | 'console-sign-in-failures' // failed console sign-ins from one address: guessing or spraying passwords
  | 'console-sign-in-failures-per-user' // failed console sign-ins against one user from several addresses: guessing from many
  | 'persistence' // CreateAccessKey, CreateUser, CreateLoginProfile, federation tokens, Roles Anywhere…
  | 'access-key-for-other-user' // CreateAccessKey for a user other than the caller: a backdoor key
  | 'covering-tracks' // StopLogging, DeleteTrail, DeleteFlowLogs, DeleteDetector…
  | 'instance-credentials-off-instance'
  | 'root-activity'
  | 'exposure' // a security group or network ACL opened to the world or to admin ports
  | 'opening-connections' // accepted connections from outside through such an opening while it was open (flow records)
  | 'port-scan' // an address inside tried many ports of a host (flow records): reconnaissance from an instance
  | 'destruction' // instances terminated; volumes, snapshots, buckets, keys, databases deleted
  | 'privilege-escalation' // admin policies attached, policy versions, trust changed, PassRole to compute
  | 'exfiltration' // snapshots, images, databases shared with another account; buckets made public or replicated away
  | 'credential-access' // secrets, parameters, password data read
  | 'execution' // SSM commands and sessions, user data changed, Instance Connect keys, Lambda code
  | 'sign-in' // console sign-in without MFA, root sign-in
  | 'unusual-activity' // unusual instance types, regions that do not exist, first model invocation
  | 'sequence' // several calls that together mean more than each: a user created then made admin
  | 'sigma' // a hit of a Sigma rule loaded from a folder
  | 'detector'; // a finding of an AWS detector (GuardDuty, Security Hub, Security Lake) imported as evidence

/** The AWS detectors whose findings a case can hold as evidence. */
export type DetectorName = 'GuardDuty' | 'Security Hub' | 'Security Lake';

/** Who raised a finding: Trailscope's built-in rules and analyzers, a Sigma rule, or an AWS detector. */
export type FindingSource = 'Trailscope' | 'Sigma' | DetectorName;

/** ATT&CK tactics (and the two signals that are not one: credential compromise, discovery). */
export type FindingCategory =
  | 'credential-compromise' | 'discovery' | 'persistence' | 'defense-evasion' | 'initial-access' | 'execution'
  | 'privilege-escalation' | 'credential-access' | 'lateral-movement' | 'exfiltration' | 'impact';

export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low';

/** The rule behind a finding: built in (electron/core/analysis/findings/builtin/) or a Sigma file. */
export type FindingRule = {
  /** Built-in rule id ("ec2-security-group-open-to-world") or the Sigma rule's id (a UUID; the file name when it has none). */
  id: string;
  source: 'builtin' | 'sigma' | 'detector';
  title: string;
  /** The rule's own level; a finding may be lower (a failed attempt) or higher (a sequence). */
  level: FindingSeverity;
  /** MITRE ATT&CK technique ids, e.g. ["T1562.008"]. */
  techniques: string[];
  explanation: string;
  /** The record fields that prove it (dotted paths), shown with their values in `evidence`. */
  proof: string[];
  falsePositives: string[];
  /** Sigma: the author and the file the rule came from (its name only). */
  author?: string | null;
  file?: string | null;
};

export type FindingEvidence = { field: string; value: string };

export type Finding = {
  kind: FindingKind;
  category: FindingCategory;
  severity: FindingSeverity;
  /** One line, e.g. "StopLogging on trail main by user/alice". Built from record data: text, never markup. */
  title: string;
  detail: string;
  firstTime: IsoTime;
  lastTime: IsoTime;
  /** How many events the finding covers (a burst, a sweep) — 1 for a single call. */
  count: number;
  /** The events, oldest first (at most 50). */
  eventIds: string[];
  eventNames: string[];
  sourceIPAddress: string | null;
  /** The new value for new-* findings; the targeted user, trail, flow log… for the others. */
  value: string | null;
  /** Set when the call failed: an attempt that changed nothing. */
  errorCode: string | null;
  actor: ResolvedActor | null;
  /** The rule that raised it (every finding has one since rules are data; optional for older producers). */
  rule?: FindingRule;
  /** The proving fields of the first event with their values (record data: text only, each value cut to 300 characters). */
  evidence?: FindingEvidence[];
  /** The incident (FindingsResult.incidents) this finding belongs to. */
  incident?: number;
  /** Stable across runs and re-ingest: the rule id and the first event's eventID (`rule@eventID`). */
  id?: string;
  /** Set when the investigator suppressed it (listed only when suppressed findings are asked for). */
  suppressed?: FindingSuppression;
  /** Who raised it: 'Trailscope' (built-in), 'Sigma', or the AWS detector ('GuardDuty', 'Security Hub', 'Security Lake'). */
  source?: FindingSource;
  /** For a detector's finding: its own id, type and what it names, and how its events were found. */
  detector?: DetectorFindingInfo;
  /** For a finding of flow records alone (no event behind it): whose records, counted in `count`. */
  flows?: FlowFindingInfo;
};

export type FlowFindingInfo = {
  /** The address the records came from. */
  source: string;
  /** The account the records were logged in (the record's account-id), when they say. */
  accountId: string | null;
  /** Interfaces that logged them (at most five). */
  interfaces: string[];
  /** The instance behind the source, when the case knows its interface. */
  instanceId: string | null;
  records: number;
  rejected: number;
};

export type DetectorFindingInfo = {
  findingId: string;
  type: string | null;
  /** The product that raised it when another service carried it (GuardDuty in Security Hub). */
  product: string | null;
  /** The detector's own severity as given. */
  detectorSeverity: string | null;
  accountId: string | null;
  region: string | null;
  /** Principals, keys, instances, addresses and API calls the finding names. */
  names: { kind: string; value: string }[];
  /** How eventIds were chosen, in words ("ListAccessKeys calls by AKIA… within the finding's window"), or why none were. */
  linkedBy: string;
};

export type FindingsOptions = {
  from?: IsoTime;
  to?: IsoTime;
  /** Only findings whose actor resolves to this origin id, ARN or access key. */
  actor?: string;
  /** Only findings of these accounts (12-digit ids): the accounts of their events, else the detector's account. */
  accounts?: string[];
  /** Denied calls in `burstWindowMinutes` that make a burst (default 5 in 10 minutes). */
  burstThreshold?: number;
  burstWindowMinutes?: number;
  /** Events an identity must have made before a value counts as new (default 5): a first day has no "new". */
  baselineEvents?: number;
  /** List suppressed findings too (each with `suppressed` set); they never join incidents or counts. */
  includeSuppressed?: boolean;
};

/**
 * Which page of the list: `order` 'time' (oldest first, the default) or 'incident' (the incidents'
 * findings, highest score first, each incident's in time order; suppressed ones last).
 */
export type FindingsPage = { offset?: number; limit?: number; order?: 'time' | 'incident' };

/**
 * A span in which the case is blind: CloudTrail logging stopped (until restarted or the end of the
 * data), a trail deleted, or event selectors narrowed so management events are no longer logged.
 * Every view that covers it should say so: absence of events there proves nothing.
 */
export type BlindWindow = {
  /** The trail (name or ARN as the call gave it). */
  trail: string;
  cause: 'stopped' | 'deleted' | 'narrowed';
  from: IsoTime;
  /** The restart (StartLogging, CreateTrail, selectors restored), or the end of the data when `open`. */
  to: IsoTime;
  /** True when nothing restored logging before the end of the data. */
  open: boolean;
  /** The call that started it and the one that ended it. */
  eventId: string;
  endEventId: string | null;
  actor: ResolvedActor | null;
  detail: string;
};

/**
 * Findings of one origin (the person, role or instance behind them) close in time, ordered as a kill
 * chain and scored by severity, rarity and how far along the chain they go.
 */
export type FindingIncident = {
  id: number;
  /** origins.id of the origin, or null for findings without an actor. */
  origin: string | null;
  label: string;
  firstTime: IsoTime;
  lastTime: IsoTime;
  severity: FindingSeverity;
  score: number;
  /** The tactics it covers, in kill-chain order. */
  stages: FindingCategory[];
  findingCount: number;
  summary: string;
};

export type FindingsResult = {
  findings: Finding[];
  counts: Partial<Record<FindingKind, number>>;
  /** Incidents, highest score first (findings carry their incident id). */
  incidents?: FindingIncident[];
  blindWindows?: BlindWindow[];
  /** Findings per rule id, and the Sigma rules used. */
  byRule?: Record<string, number>;
  /** Rules that stopped early or had findings left out (a rule matching most events), in words. */
  notes?: string[];
  sigma?: { loaded: number; rejected: { file: string; reason: string }[] };
  /** Findings the investigator's suppressions hide (listed only with includeSuppressed). */
  suppressed?: number;
  /** Findings the question matches (suppressed ones included when asked for): `findings` is the page from `offset`. */
  total?: number;
  offset?: number;
  /** Unsuppressed findings per severity (the whole list, not the page). */
  severities?: Record<FindingSeverity, number>;
};

// ---------------------------------------------------------------------------------------------
// Paths: how did A reach B
// ---------------------------------------------------------------------------------------------

/**
 * One step of a path: `kind` says how `from` reached `to` — 'used-from' (an address made calls with a
 * key or as an identity), 'acts-as' (a key's calls are recorded as that identity), 'uses-key' (an
 * identity's calls carried that key), 'issued' (AssumeRole/GetSessionToken/CreateAccessKey made with
 * the `from` key or by the `from` identity gave the `to` key), 'assumed' (the `from` key or identity
 * asked for many keys of the `to` role: folded into one hop, its first AssumeRole), 'session' (the role's
 * session, from the AssumeRole that started it), 'called' (a call made with the key, by the identity,
 * or by the role session, named the resource), 'connected' (accepted flow
 * from the address to the interface), or a configuration relation of the edges table (instance-profile,
 * profile-role, sg-rule-group...), with `reversed` set when it was walked against its stored direction.
 */
export type PathHop = {
  from: string;
  to: string;
  kind: string;
  reversed?: boolean;
  /** When the hop was first observed (at or after the previous hop, for the earliest path); null for a snapshot relation. */
  time: IsoTime | null;
  eventId: string | null;
  eventName: string | null;
};

export type PathNode = { id: string; type: GraphNodeType; label: string };

export type PathQuery = { from: string; to: string; maxHops?: number };

export type PathResult = {
  from: string;
  to: string;
  /** Fewest hops, each hop's first observation. */
  shortest: PathHop[] | null;
  /** Time-respecting: every hop at or after the one before it, arriving at `to` as early as possible. */
  earliest: PathHop[] | null;
  nodes: PathNode[];
  /** The ends the case has never seen (a typo, another account's id): no path is looked for. */
  unknown: string[];
  /** Nodes expanded by the search; `truncated` when a cap (nodes, hops or fan-out) stopped it. */
  explored: number;
  truncated: boolean;
};
