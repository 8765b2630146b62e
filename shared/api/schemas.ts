// Input schemas for every API call. The main process and the loopback server parse each input with
// these before anything touches the case, so a compromised renderer can only send well-formed asks.
import { z } from 'zod';
import { FIELD_CHUNK_BYTES, FINDINGS_PAGE_MAX, ROW_TEXT_FIELDS, VIEW_NAME_CHARS, VIEW_STATE_CHARS } from './bounds.ts';
import { ANNOTATION_TARGETS, NOTE_CHARS } from './annotations.ts';
import { REASON_CHARS, SUPPRESSION_SCOPES } from './finding-decisions.ts';
import { SORT_COLUMNS, SORT_LIMIT } from './timeline-sort.ts';

const id = z.string().min(1).max(2048);
// Account filters: 12-digit ids, at most MAX_ACCOUNT_FILTER of them (an organisation has hundreds; a view narrows to a few).
export const MAX_ACCOUNT_FILTER = 100;
const accountIds = z.array(z.string().regex(/^\d{12}$/, 'a 12-digit account id')).max(MAX_ACCOUNT_FILTER);
// ISO 8601 in UTC, as in shared/engine-types.ts.
const time = z.iso.datetime({ offset: true });

// The engine's TimelineFilter plus what the workbench adds: read-only calls hidden unless asked for,
// and `node` (a graph node clicked: events where it acted or was touched).
export const timelineFilterSchema = z.object({
  from: time.optional(),
  to: time.optional(),
  actor: z.string().max(2048).optional(),
  resource: z.string().max(2048).optional(),
  node: z.string().max(2048).optional(),
  eventName: z.string().max(256).optional(),
  ip: z.string().max(64).optional(),
  text: z.string().max(512).optional(),
  query: z.string().max(512).optional(),
  errorsOnly: z.boolean().optional(),
  includeReadOnly: z.boolean().optional(),
  accounts: accountIds.optional(),
});

const names = z.array(z.string().max(256)).max(100);

export const graphFilterSchema = z.object({
  at: time.optional(),
  types: names.optional(),
  accounts: accountIds.optional(),
  regions: names.optional(),
});

export { GRAPH_LAYOUT_KEY } from './layout-key.ts';

// A live pull as the "Pull from AWS" dialog asks for it. Only names cross the bridge: the profile
// name, never a key; main resolves credentials itself through the standard chain.
import { PULL_WHAT } from './pull-what.ts';
export { PULL_WHAT };
const region = z.string().regex(/^(all|[a-z]{2}(-[a-z]+)+-\d{1,2})$/, 'a region name such as us-east-1, or all');
// 7d, 12h, 30m, 2w, or an ISO date/time.
const when = z.string().trim().max(40).regex(/^(\d{1,5}\s*[mhdw]|\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?)$/i, 'use 7d, 12h or an ISO date');
const profile = z.string().trim().min(1).max(128).regex(/^[\w.@+=,:/-]+$/, 'a profile name');
// "Check account": STS GetCallerIdentity for a profile (absent: the default credential chain).
export const pullIdentitySchema = z.object({ profile: profile.optional() });
// Athena names and filter values, as the Athena slice (electron/core/pull/collectors/athena.ts) accepts
// them: identifiers for the table, plain ARN/name characters for the scope.
const athenaIdent = z.string().trim().max(128).regex(/^[A-Za-z_]\w*$/, 'letters, digits and underscores');
const athenaValues = z.array(z.string().trim().regex(/^[\w:/.@+=,*-]{1,256}$/, 'an ARN, a name or an event name (no spaces or quotes)')).max(50);
export const pullAthenaSchema = z.object({
  database: athenaIdent,
  table: athenaIdent,
  workgroup: z.string().trim().regex(/^[\w.-]{1,128}$/, 'a work group name'),
  outputLocation: z.string().trim().max(1024).regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/, 'an s3:// location').optional(),
  principals: athenaValues.optional(),
  resources: athenaValues.optional(),
  eventNames: athenaValues.optional(),
});
export const pullStartSchema = z
  .object({
    profile: profile.optional(),
    // The account "Check account" showed: the pull refuses to run if the credentials now lead elsewhere.
    account: z.string().regex(/^\d{12}$/, 'the 12-digit account id "Check account" showed'),
    regions: z.array(region).min(1).max(40),
    since: when,
    until: when.optional(),
    // Empty only with an Athena slice (which reads CloudTrail without LookupEvents).
    what: z.array(z.enum(PULL_WHAT)).max(3),
    // S3 bucket naming rules (3–63 lower-case letters, digits, dots, hyphens).
    trailBucket: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').optional(),
    athena: pullAthenaSchema.optional(),
  })
  .refine((v) => v.what.length > 0 || v.athena !== undefined, { message: 'choose what to pull, or an Athena slice', path: ['what'] });

// Flow questions: one interface, one instance (its interfaces), or one address, optionally narrowed
// to a port and a time window. Interface and instance ids are checked for their shape so a filter
// value can never be mistaken for something else.
const address = z.string().min(2).max(64).regex(/^[0-9a-fA-F.:]+$/, 'an IPv4 or IPv6 address');
export const flowFilterSchema = z
  .object({
    eni: z.string().regex(/^eni-[0-9a-f]{4,32}$/, 'an interface id (eni-…)').optional(),
    instance: z.string().regex(/^i-[0-9a-f]{4,32}$/, 'an instance id (i-…)').optional(),
    ip: address.optional(),
    port: z.number().int().min(0).max(65535).optional(),
    accounts: accountIds.optional(),
    from: time.optional(),
    to: time.optional(),
    // Conversations are rolled up per peer, port and window of this many minutes (default 60).
    windowMinutes: z.number().int().min(1).max(1440).optional(),
    // Without an interface, instance or address: every conversation of the case, up to the limit.
    limit: z.number().int().min(1).max(5000).optional(),
  });

// Annotations: the target is what the data names (an event's eventID, a node id, a finding id, a
// flow key); the core checks tags and comment sizes again (electron/core/annotations).
const annotationTarget = z.enum(ANNOTATION_TARGETS);
const annotationRef = z.object({ target: annotationTarget, targetId: z.string().min(1).max(2048) });

export const schemas = {
  'case:info': z.object({}),
  'graph:at': graphFilterSchema.extend({ limit: z.number().int().min(1).max(20000).optional() }),
  'graph:neighbours': z.object({ id, at: time.optional(), depth: z.number().int().min(1).max(3).optional() }),
  // How did `from` reach `to`: shortest and earliest paths (electron/core/analysis/graph/paths.ts).
  'graph:paths': z.object({ from: id, to: id, maxHops: z.number().int().min(1).max(12).optional() }),
  // The whole account folded for a first look at a large case (electron/core/analysis/graph/overview.ts).
  // calls: false leaves out who called which service (a scan of every event): the app asks for it second.
  'graph:overview': graphFilterSchema.omit({ types: true }).extend({ calls: z.boolean().optional() }),
  // The events nearest a moment: where the time slider lands.
  'graph:nearestEvent': z.object({ at: time }),
  'graph:search': z.object({ query: z.string().min(1).max(512), limit: z.number().int().min(1).max(200).optional() }),
  // wait: whether to wait for a layout the server is computing (a first open, after an import).
  'graph:loadPositions': z.object({ key: z.string().min(1).max(256), wait: z.boolean().optional() }),
  'graph:savePositions': z.object({
    key: z.string().min(1).max(256),
    positions: z.record(z.string().max(2048), z.object({ x: z.number().finite(), y: z.number().finite() })),
  }),
  'timeline:page': z.object({
    filter: timelineFilterSchema,
    cursor: z.string().max(512).nullable().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  // The timeline sorted by another column than time: offset pages within at most SORT_LIMIT matches.
  'timeline:sorted': z.object({
    filter: timelineFilterSchema,
    by: z.enum(SORT_COLUMNS),
    descending: z.boolean().optional(),
    offset: z.number().int().min(0).max(SORT_LIMIT).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  'timeline:histogram': z.object({ filter: timelineFilterSchema, buckets: z.number().int().min(2).max(1000) }),
  'event:get': z
    .object({ id: z.number().int().min(1).optional(), eventId: z.string().min(1).max(256).optional() })
    .refine((v) => v.id !== undefined || v.eventId !== undefined, { message: 'id or eventId is required' }),
  // The full value of one field, a chunk at a time: a row field by name, or a string of the raw record
  // by its JSON path (the empty path: the whole stored record). Offsets count UTF-8 bytes.
  'event:field': z
    .object({
      id: z.number().int().min(1),
      field: z.enum(ROW_TEXT_FIELDS).optional(),
      path: z.array(z.union([z.string().max(1024), z.number().int().min(0)])).max(64).optional(),
      offset: z.number().int().min(0).optional(),
      length: z.number().int().min(16).max(FIELD_CHUNK_BYTES).optional(),
    })
    .refine((v) => (v.field === undefined) !== (v.path === undefined), { message: 'either field or path' }),
  'history:forResource': z.object({ resourceId: id }),
  // 'all' adds denied-call bursts and sweeps to the actor's findings (reads all its events; the CLI's report).
  'actor:report': z.object({ query: id, findings: z.enum(['fast', 'all']).optional() }),
  'import:start': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(200) }),
  'pull:profiles': z.object({}),
  'pull:identity': pullIdentitySchema,
  'pull:start': pullStartSchema,
  // The job running in this case, if any (a window opened while an import or pull runs shows it).
  'job:current': z.object({}),
  'job:status': z.object({ jobId: z.string().min(1).max(64) }),
  'job:cancel': z.object({ jobId: z.string().min(1).max(64) }),
  'flows:list': flowFilterSchema,
  'flows:chains': flowFilterSchema,
  // A page of the stored findings (offset and limit bounded), oldest first or by incident.
  'findings:list': z.object({
    actor: z.string().min(1).max(2048).optional(), accounts: accountIds.optional(), from: time.optional(), to: time.optional(), includeSuppressed: z.boolean().optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(), limit: z.number().int().min(1).max(FINDINGS_PAGE_MAX).optional(), order: z.enum(['time', 'incident']).optional(),
  }),
  // Suppress a rule (everywhere, or for one origin) or mark one finding as expected, with a reason.
  'findings:suppress': z.object({
    scope: z.enum(SUPPRESSION_SCOPES),
    ruleId: z.string().min(1).max(2048),
    target: z.string().min(1).max(2048).optional(),
    reason: z.string().trim().min(1).max(REASON_CHARS),
  }),
  'findings:unsuppress': z.object({ id: z.number().int().min(1) }),
  'findings:suppressions': z.object({}),
  // A folder of Sigma rules on the machine that runs the case (as import:start takes paths), read
  // once with the loader's bounds and stored in the case; findings:list runs them from then on.
  'sigma:load': z.object({ path: z.string().min(1).max(4096) }),
  'sigma:folders': z.object({}),
  'sigma:remove': z.object({ folder: z.string().min(1).max(4096) }),
  // Spans in which CloudTrail was not recording (logging stopped, trail deleted or narrowed): every view warns over them.
  'case:blindWindows': z.object({}),
  'export:timeline': z.object({ filter: timelineFilterSchema, format: z.enum(['csv', 'jsonl', 'markdown']) }),
  'notes:add': annotationRef.extend({ kind: z.enum(['star', 'tag', 'note']), value: z.string().max(NOTE_CHARS).optional() }),
  'notes:remove': annotationRef.extend({ kind: z.enum(['star', 'tag']), value: z.string().max(64).optional() }),
  'notes:list': z.object({ target: annotationTarget.optional(), targetId: z.string().min(1).max(2048).optional(), text: z.string().max(512).optional() }),
  // Saved views: a name and the URL fragment's text (checked field by field by shared/api/view-state.ts).
  'views:list': z.object({}),
  'views:save': z.object({ name: z.string().trim().min(1).max(VIEW_NAME_CHARS), state: z.string().max(VIEW_STATE_CHARS) }),
  'views:remove': z.object({ name: z.string().trim().min(1).max(VIEW_NAME_CHARS) }),
  // trailscope verify and trailscope report, asked from the app.
  'evidence:verify': z.object({}),
  // The file an event was stored from and whether its digest verifies it (trailscope verify --event).
  'evidence:event': z
    .object({ id: z.number().int().min(1).optional(), eventId: z.string().min(1).max(256).optional() })
    .refine((v) => v.id !== undefined || v.eventId !== undefined, { message: 'id or eventId is required' }),
  'report:build': z.object({ format: z.enum(['html', 'pdf']), redact: z.boolean() }),
} as const;

export type CallName = keyof typeof schemas;
export type CallInput<K extends CallName> = z.input<(typeof schemas)[K]>;
export type ParsedInput<K extends CallName> = z.output<(typeof schemas)[K]>;
export type TimelineFilterInput = z.infer<typeof timelineFilterSchema>;

export const CALL_NAMES = Object.keys(schemas) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(schemas, name);
}
