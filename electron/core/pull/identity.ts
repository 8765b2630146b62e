// Who a pull runs as, in one place: the profiles the user can choose, the standard credential chain
// (environment, SSO, profiles with role_arn/source_profile, process credentials, container and
// instance roles), and STS GetCallerIdentity for "Check account", the pull worker's own check before
// it writes anything, and the pull itself. Only the account id and caller ARN leave here; a failure
// becomes one sentence that names the profile and says what to do, passed through both redactors
// (keys, secrets, tokens, signatures). Profiles are listed by name only.
// The SDK's credential providers and STS client are loaded on first use: they are large, and
// commands that never pull (`trailscope --help`, every query) should not load them.
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@aws-sdk/shared-ini-file-loader';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { PullIdentity } from '../../../shared/api/types.ts';
import { toLogFormat } from '../log-format.ts';
import { redact, errorText } from './redact.ts';

export type IdentityOptions = {
  /** The region whose STS endpoint answers; by default the SDK's: AWS_REGION, then the profile's, then us-east-1. */
  region?: string;
  /** Test use: one endpoint for STS (the SDK also honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_STS). */
  endpoint?: string;
  /** Test use: fail sooner than a user would want. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
};

export class IdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityError';
  }
}

/** Profile names from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). */
export async function listProfiles(): Promise<string[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set([...Object.keys(configFile ?? {}), ...Object.keys(credentialsFile ?? {})]);
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/**
 * The chain a pull uses for this profile; ignoreCache so an edited config or a fresh `aws sso login`
 * counts at once. A profile with SSO needs a prior `aws sso login`: nothing here prompts.
 */
export function identityChain(profile?: string): AwsCredentialIdentityProvider {
  const init: Parameters<typeof fromNodeProviderChain>[0] = { ...(profile ? { profile } : {}), ignoreCache: true };
  // Built when credentials are first asked for (then one chain, with its cache).
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (properties) => {
    chain ??= import('@aws-sdk/credential-providers').then((sdk) => namedExports(sdk).fromNodeProviderChain(init));
    return (await chain)(properties);
  };
}

/**
 * A CommonJS package imported dynamically: from the sources its names are on the namespace, from an
 * ES module bundle they sit under `default` (esbuild's interop).
 */
function namedExports<T extends object>(mod: T): T {
  const inner = (mod as { default?: unknown }).default;
  return inner && typeof inner === 'object' && !Object.keys(mod).some((k) => k !== 'default' && k !== 'module.exports') ? (inner as T) : mod;
}

export function whoLabel(profile?: string | null): string {
  return profile ? `profile "${profile}"` : 'the default chain (no profile)';
}

/** The region the SDK itself would pick for this profile: the environment first, then the profile's config. */
async function defaultRegion(profile?: string): Promise<string> {
  const env = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (env) return env;
  try {
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
    const name = profile ?? (process.env.AWS_PROFILE || 'default');
    return configFile?.[name]?.region || 'us-east-1';
  } catch {
    return 'us-east-1';
  }
}

/** Where STS was asked, for a "could not reach" message: scheme, host and port only (no user info, no path). */
function stsEndpoint(region: string, endpoint?: string): string {
  const configured = endpoint ?? process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
  if (!configured) return `sts.${region}.amazonaws.com`;
  try {
    const url = new URL(configured);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the configured endpoint';
  }
}

type SdkError = { name?: string; code?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };

function codeOf(err: unknown): string {
  const e = err as SdkError;
  return e?.Code ?? e?.code ?? e?.name ?? '';
}

/** Codes of a failure and of its causes (a network error often sits under the SDK's own). */
function codes(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err, depth = 0; e && depth < 5; e = (e as SdkError).cause, depth++) out.push(codeOf(e));
  return out;
}

const NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|EPROTO|TimeoutError|RequestTimeout|UND_ERR_\w+|ERR_SSL_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)$/;
const REFUSED = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'AccessDenied', 'AccessDeniedException', 'IncompleteSignature', 'AuthFailure', 'OptInRequired']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

/** One sentence for the user: who, what went wrong, what to do; the SDK's own words (redacted) in brackets. */
export function identityErrorText(err: unknown, profile: string | undefined, region: string, endpoint?: string): string {
  const who = whoLabel(profile);
  const login = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
  const detail = toLogFormat(errorText(err)).replace(/\s+/g, ' ').slice(0, 300);
  const all = codes(err);
  const message = (err as SdkError)?.message ?? '';
  const status = (err as SdkError)?.$metadata?.httpStatusCode;
  let text: string;
  if (/sso/i.test(message) && /expired|invalid|refresh|aws sso login/i.test(message)) {
    text = `The SSO session of ${who} has expired: run "${login}" and check again (${detail}).`;
  } else if (all.some((c) => EXPIRED.has(c)) || /token.*expired|expired.*token/i.test(message)) {
    text = `The credentials of ${who} have expired: refresh them (for SSO, "${login}") and check again (${detail}).`;
  } else if (all.includes('CredentialsProviderError') || all.includes('TokenProviderError') || /could not load credentials|could not be found|no credentials/i.test(message)) {
    text = `No credentials found for ${who}: give it keys, a role or an SSO sign-in, or choose another profile (${detail}).`;
  } else if (all.some((c) => NETWORK.test(c)) || /fetch failed|socket hang up|getaddrinfo|connect E/i.test(message)) {
    text = `Could not reach AWS STS for ${who} at ${stsEndpoint(region, endpoint)}: check the network, proxy or endpoint setting (${detail}).`;
  } else if (all.some((c) => REFUSED.has(c)) || status === 403) {
    text = `AWS refused the credentials of ${who}: the key may be wrong, deactivated or not allowed here (${detail}).`;
  } else {
    text = `Could not check the account of ${who} (${detail}).`;
  }
  // The SDK's words went through both redactors above; the sentence around them holds only the
  // profile name (validated), the endpoint's origin and the account's own ARN. One more pass regardless.
  return toLogFormat(text);
}

/** Account and ARN for these credentials, or an IdentityError whose message is safe to show. */
export async function callerOf(
  credentials: AwsCredentialIdentityProvider,
  profile: string | undefined,
  options: IdentityOptions = {},
): Promise<{ account: string; arn: string }> {
  const region = options.region ?? (await defaultRegion(profile));
  const timeout = options.requestTimeoutMs ?? 10_000;
  // Loaded here, not at the top: the SDK is large and most processes never check an identity.
  const { STSClient, GetCallerIdentityCommand } = namedExports(await import('@aws-sdk/client-sts'));
  const sts = new STSClient({
    region,
    credentials,
    // The SDK's standard retries cover throttling and a dropped connection; a wrong endpoint fails in seconds.
    maxAttempts: 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 5000), throwOnRequestTimeout: true },
  });
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: options.signal });
    if (!out.Account || !/^\d{12}$/.test(out.Account)) throw new Error(`STS answered without an account id`);
    return { account: out.Account, arn: redact(out.Arn ?? '') };
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new IdentityError(identityErrorText(err, profile, region, options.endpoint));
  } finally {
    sts.destroy();
  }
}

/** The `pull:identity` call: never throws, never returns a secret. */
export async function checkIdentity(profile: string | undefined, options: IdentityOptions = {}): Promise<PullIdentity> {
  try {
    const { account, arn } = await callerOf(identityChain(profile), profile, options);
    return { profile: profile ?? null, account, arn, error: null };
  } catch (err) {
    const error = err instanceof IdentityError ? err.message : redact(toLogFormat(err));
    return { profile: profile ?? null, account: null, arn: null, error };
  }
}
