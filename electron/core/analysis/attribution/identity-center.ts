// IAM Identity Center signs people into an account through a role it owns, named AWSReservedSSO_<permission
// set>_<suffix> (under the path aws-reserved/sso.amazonaws.com/), and names each session after the person's
// user name in the identity store. So when the AssumeRoleWithSAML that opened the session is not in the
// case, the session name still names the person: inferred, since anyone allowed to assume the role could
// pick that session name.

const SSO_ROLE = /(?:^|:role\/(?:[^/]*\/)*)AWSReservedSSO_[^/]+$/;

// A session's principal id is "<role id>:<session name>", written by STS itself: where it and the ARN
// disagree (an anonymizer rewrote one, as in Stratus' published logs), the principal id is kept.
const SESSION_OF_PRINCIPAL = /^AROA[A-Z0-9]+:(.+)$/;

/** The person an Identity Center session names, or null when the role is not one Identity Center owns. */
export function identityCenterPerson(roleArn: string | null, sessionName: string | null, principalId: string | null): string | null {
  if (!roleArn || !SSO_ROLE.test(roleArn)) return null;
  return SESSION_OF_PRINCIPAL.exec(principalId ?? '')?.[1] ?? sessionName;
}
