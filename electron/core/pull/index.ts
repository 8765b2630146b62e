// The live pull's public surface, for the CLI and the "Pull from AWS" dialog. The pull itself is
// loaded when one starts: it brings the AWS SDK's clients, which no other command needs.
import type * as Pull from './pull-account.ts';

export const pullAccount: typeof Pull.pullAccount = async (...args) => (await import('./pull-account.ts')).pullAccount(...args);
export const pullInto: typeof Pull.pullInto = async (...args) => (await import('./pull-account.ts')).pullInto(...args);
export { listProfiles, checkIdentity, callerOf, identityChain, IdentityError, whoLabel } from './identity.ts';
export { parseWhen } from './window.ts';
export { redact } from './redact.ts';
export type { PullOptions, PullProgress, PullEvent, PullReport, PullHooks, CollectorGroup, AthenaOptions } from './types.ts';
export { COLLECTOR_GROUPS } from './types.ts';
