// The live pull's public surface, for the CLI and the "Pull from AWS" dialog.
export { pullAccount, pullInto } from './pull-account.ts';
export { listProfiles, checkIdentity, callerOf, identityChain, IdentityError, whoLabel } from './identity.ts';
export { parseWhen } from './window.ts';
export { redact } from './redact.ts';
export type { PullOptions, PullProgress, PullEvent, PullReport, PullHooks, CollectorGroup, AthenaOptions } from './types.ts';
export { COLLECTOR_GROUPS } from './types.ts';
