// Who the pull runs as. The standard chain (environment, SSO, profiles with role_arn/source_profile,
// process credentials, container and instance roles) resolves the credentials; the caller's account
// and ARN are shown before anything is pulled. Nothing here ever returns a secret: profiles are
// listed by name only. The SDK's credential providers and STS client are loaded on first use: they
// are large, and commands that never pull (`trailscope --help`, every query) should not load them.
import { loadSharedConfigFiles } from '@aws-sdk/shared-ini-file-loader';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { Clients } from './clients.ts';
import { withRetry } from './retry.ts';

/** Profile names from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE). */
export async function listProfiles(): Promise<string[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set([...Object.keys(configFile ?? {}), ...Object.keys(credentialsFile ?? {})]);
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

type ChainInit = Parameters<typeof fromNodeProviderChain>[0];

/** The SDK's standard chain, built when credentials are first asked for (then one chain, with its cache). */
export function nodeProviderChain(init: ChainInit): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (properties) => {
    chain ??= import('@aws-sdk/credential-providers').then((sdk) => sdk.fromNodeProviderChain(init));
    return (await chain)(properties);
  };
}

export function credentialChain(profile?: string): AwsCredentialIdentityProvider {
  // A profile with SSO or assume-role may prompt nothing here: SSO needs a prior `aws sso login`.
  return nodeProviderChain(profile ? { profile } : {});
}

export type CallerIdentity = { account: string; arn: string; userId: string };

export async function callerIdentity(clients: Clients, region: string, signal?: AbortSignal): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const out = await withRetry((s) => clients.sts(region).send(new GetCallerIdentityCommand({}), { abortSignal: s }), {
    signal,
    permission: 'sts:GetCallerIdentity',
    maxAttempts: 5,
  });
  return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
}
