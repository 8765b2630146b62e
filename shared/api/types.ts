// Result types of the workbench API: plain data, safe to send over IPC or JSON. The investigation
// answers are the engine's own types (shared/engine-types.ts); what is added here is what only the
// workbench needs (case summary, histogram, search hits, jobs, exports, cached layout).
import type { CallName, CallInput } from './schemas.ts';
import type { Result } from './result.ts';
import type { Annotation } from './annotations.ts';
import type { FindingSuppression, SigmaFolder } from './finding-decisions.ts';
export type { FindingSuppression, SigmaFolder, SuppressionScope } from './finding-decisions.ts';
export type { Annotation, Marks, AnnotationTarget, AnnotationKind } from './annotations.ts';
import type { EventEvidence, VerifyReport } from './evidence.ts';
import type { SortedTimelinePage } from './timeline-sort.ts';
export type { SortedTimelinePage, SortColumn } from './timeline-sort.ts';
export type { VerifyReport, SourceEntry, DigestProblem, FileStatus, SignatureStatus, EventEvidence } from './evidence.ts';
import type {
  Graph,
  TimelinePage,
  TimelineRow,
  ResolvedActor,
  WhoChangedResult,
  ActorReport,
  CaseSummary,
  SearchHit,
  TimelineHistogram,
  FlowConversation,
  RemoteAccessChain,
  FindingsResult,
  BlindWindow,
  PathResult,
  GraphOverview,
  NearestEvents,
} from '../engine-types.ts';

export type {
  PathResult,
  PathHop,
  PathNode,
  Graph,
  GraphOverview,
  NearestEvents,
  GraphNode,
  GraphEdge,
  TimelinePage,
  TimelineRow,
  ResolvedActor,
  ChainLink,
  WhoChangedResult,
  WhoChangedItem,
  ActorReport,
  Change,
  SecurityGroupRule,
  ResourceVersionRef,
  IsoTime,
  FlowConversation,
  FlowRecordRef,
  RemoteAccessChain,
  Finding,
  FindingKind,
  FindingSeverity,
  FindingsResult,
  FindingRule,
  FindingEvidence,
  FlowFindingInfo,
  FindingIncident,
  BlindWindow,
} from '../engine-types.ts';

/** The case header: what the engine's case summary says. */
export type CaseInfo = CaseSummary;

export type { SearchHit };

export type Histogram = TimelineHistogram;

export type TouchedRef = { id: string; type: string; touch: string };

/** A string of the raw record cut for the details view: where it is and the UTF-8 size of its full value. */
export type ClippedPath = { path: (string | number)[]; bytes: number };

/**
 * One event for the details view, bounded (shared/api/bounds.ts): the row's fields keep their first
 * DETAIL_FIELD_CHARS; `raw` is the record pretty-printed with every longer string cut to its start
 * (listed in clippedPaths, at most 200 of clippedPathCount) and the whole text cut at RAW_TEXT_CHARS
 * (rawCut). `event:field` returns any of them whole.
 */
export type EventDetail = {
  row: TimelineRow;
  raw: string;
  /** UTF-8 size of the stored record. */
  rawBytes: number;
  rawCut: boolean;
  clippedPaths: ClippedPath[];
  clippedPathCount: number;
  /** The first 500 resources; resourceCount says how many the event touches. */
  resources: TouchedRef[];
  resourceCount: number;
  actor: ResolvedActor | null;
  /** True when the record had no eventID (or a placeholder one) and row.eventId was derived from its content. */
  eventIdDerived: boolean;
  /** How the event's source was read when it was an export (sources.read_as), else null. */
  readAs: string | null;
};

/**
 * A chunk of a field's full value: the text of bytes [offset, nextOffset) of its UTF-8 form (never
 * half a character); the value is complete when nextOffset reaches total.
 */
export type FieldChunk = { text: string; offset: number; nextOffset: number; total: number };

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export type RejectedFile = { path: string; reason: string };

/** A rejected record: where in its input (`record 3`, `line 12`) and why. Reasons never quote the input. */
export type RecordRejection = { position: string; reason: string };

/** A file read in part: the records read from it, how many more were rejected, and the first of those. */
export type PartlyReadFile = { path: string; records: number; rejectedRecords: number; rejections: RecordRejection[] };

/** One collector in one region of a live pull, as the dialog lists it. */
export type PullCollectorStatus = {
  collector: string;
  region: string;
  status: 'running' | 'done' | 'denied' | 'failed' | 'cancelled';
  stored: number;
  duplicates: number;
  /** Records read but refused: the case keeps each, with where and why. */
  rejected: number;
  requests: number;
  retries: number;
  /** The IAM permission a denied collector needs, e.g. ec2:DescribeInstances. */
  permission: string | null;
  message: string | null;
};

export type PullJobInfo = {
  /** Known once STS GetCallerIdentity has answered, before anything is pulled. */
  account: string | null;
  arn: string | null;
  regions: string[];
  collectors: PullCollectorStatus[];
  /** Things the user should know that are not a collector's state (e.g. LookupEvents' 90-day reach). */
  notes: string[];
};

export type PullProfiles = { profiles: string[] };

/**
 * Who a profile (or, with profile null, the default credential chain) signs in as, from STS
 * GetCallerIdentity run by the app's own process. Either account and arn, or error: a message that
 * names the profile and carries no secret.
 */
export type PullIdentity = { profile: string | null; account: string | null; arn: string | null; error: string | null };

export type JobStatus = {
  jobId: string;
  kind: 'import' | 'pull';
  state: JobState;
  startedAt: number;
  finishedAt: number | null;
  filesDone: number;
  filesTotal: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  records: number;
  duplicates: number;
  flows: number;
  /** Records per second since the start. */
  rate: number;
  etaMs: number | null;
  current: string | null;
  /** Files rejected whole, the first JOB_LISTED_FILES of them; `rejectedFiles` counts them all. */
  rejected: RejectedFile[];
  rejectedFiles: number;
  /** Files read with some records rejected, the first JOB_LISTED_FILES; `partlyReadFiles` and `partlyReadRecords` count them all. */
  partlyRead: PartlyReadFile[];
  partlyReadFiles: number;
  partlyReadRecords: number;
  error: string | null;
  /** Imports: what the user should know about a finished import beyond its counts (inputs that changed while read). */
  notes: string[];
  /** Live pulls only: the account and the state of each collector per region. */
  pull: PullJobInfo | null;
};

/** An export's content. `truncated`: it reached the API's size limit (EXPORT_CHARS) and stops after `rows` rows. */
export type ExportResult = { filename: string; mime: string; content: string; rows: number; truncated: boolean };

export type Positions = Record<string, { x: number; y: number }>;

/** A named workbench view kept in the case (migration 0090); `state` is the URL fragment's text (shared/api/view-state.ts). */
export type SavedView = { name: string; state: string; author: string; at: string };

/** A built incident report: HTML as text, PDF as base64 (either way data for a download, never shown as a page). */
export type ReportFile = { filename: string; mime: string; encoding: 'utf8' | 'base64'; content: string; bytes: number; redacted: boolean };

/**
 * The traffic between one of our interfaces and one peer address, all ports together: what shows a
 * scan (many ports, all rejected) that the per-port conversations spread over many rows.
 */
export type FlowPeer = {
  interfaceId: string | null;
  peerAddress: string | null;
  peerIsPublic: boolean;
  direction: FlowConversation['direction'];
  /** Distinct service ports, and the first few of them in ascending order. */
  portCount: number;
  ports: number[];
  records: number;
  accepted: number;
  rejected: number;
  packets: number;
  bytes: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Many ports (10 or more) and nothing accepted: the shape of a port scan. */
  scanLike: boolean;
};

export type FlowList = {
  /** The interfaces asked about: the one given, or an instance's (from snapshots and flow records). */
  interfaces: string[];
  peers: FlowPeer[];
  /** Conversations per peer, port, direction and window, newest window last. */
  conversations: FlowConversation[];
  /** True when the limit cut the conversations short (peers are still complete). */
  truncated: boolean;
};

export type ApiResults = {
  'case:info': CaseInfo;
  'graph:at': Graph;
  'graph:neighbours': Graph;
  'graph:paths': PathResult;
  'graph:overview': GraphOverview;
  'graph:nearestEvent': NearestEvents;
  'graph:search': SearchHit[];
  'graph:loadPositions': Positions | null;
  'graph:savePositions': { saved: number };
  'timeline:page': TimelinePage;
  'timeline:sorted': SortedTimelinePage;
  'timeline:histogram': Histogram;
  'event:get': EventDetail;
  'event:field': FieldChunk;
  'history:forResource': WhoChangedResult;
  'actor:report': ActorReport;
  'import:start': { jobId: string };
  'pull:profiles': PullProfiles;
  'pull:identity': PullIdentity;
  'pull:start': { jobId: string };
  'job:current': JobStatus | null;
  'job:status': JobStatus;
  'job:cancel': JobStatus;
  'export:timeline': ExportResult;
  'flows:list': FlowList;
  'flows:chains': RemoteAccessChain[];
  'findings:list': FindingsResult;
  'findings:suppress': FindingSuppression;
  'findings:unsuppress': { removed: boolean };
  'findings:suppressions': FindingSuppression[];
  'sigma:load': SigmaFolder;
  'sigma:folders': SigmaFolder[];
  'sigma:remove': { removed: boolean };
  'case:blindWindows': BlindWindow[];
  'notes:add': Annotation;
  'notes:remove': { removed: boolean };
  'notes:list': Annotation[];
  'views:list': SavedView[];
  'views:save': SavedView;
  'views:remove': { removed: boolean };
  'evidence:verify': VerifyReport;
  'evidence:event': EventEvidence | null;
  'report:build': ReportFile;
};

/** The single generic entry point both transports implement. */
export type Invoke = <K extends CallName>(name: K, input: CallInput<K>) => Promise<Result<ApiResults[K]>>;
