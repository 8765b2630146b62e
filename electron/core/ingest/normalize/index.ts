// Normalizers: pure functions from raw records and documents to the rows the writer stores.
export { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
export { normalizeConfig } from './normalize-config.ts';
export { identityColumns } from './identity.ts';
export { issuedCredentials } from './credentials.ts';
export { parseAwsTime, parseIsoTime } from './time.ts';
export { canonicalJson } from './config/canonical-json.ts';
export { MAX_SEARCH_TEXT } from './search-text.ts';
export { MAX_RESOURCES_PER_EVENT } from './resources/context.ts';
