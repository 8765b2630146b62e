// Identity Center names a person in CloudTrail by an identity-store user id (onBehalfOf.userId,
// "94482488-3041-…"); the name an investigator knows is in other records. Only records that put the
// two side by side are read, so each pair is proven by one record:
// - sign-in events (signin / sso: CredentialChallenge, UserAuthentication, Authenticate…) whose
//   userIdentity carries onBehalfOf.userId beside userIdentity.userName (before July 2025) or
//   additionalEventData.UserName (after: emitted once per successful sign-in; failures carry
//   HIDDEN_DUE_TO_SECURITY_REASONS there);
// - identity-store calls (identitystore, sso-directory) whose response (DescribeUser, ListUsers,
//   CreateUser) or request and response (CreateUser: userName asked, userId returned) pair them.
// Redacted values (HIDDEN_DUE_TO_SECURITY_REASONS, the usual case for identitystore requests) pair nothing.
import type { IdentityStoreName } from '../types.ts';
import { child, items, member, obj, text, type Obj } from '../../json-values.ts';
import { usable } from './placeholders.ts';

const STORE_SOURCES = new Set(['identitystore.amazonaws.com', 'sso-directory.amazonaws.com']);
/** userIdentity types whose userName is the Identity Center user's (not an IAM user's or a role's). */
const PERSON_TYPES = new Set(['Unknown', 'IdentityCenterUser']);
/** A ListUsers page holds at most 100 users; more objects than this in one response are not a listing. */
const MAX_PAIRS = 1000;
const MAX_LENGTH = 256;

export type StoreNameInput = {
  eventSource: string;
  identityType: string | null;
  userIdentity: Obj | null;
  additionalEventData: Obj | null;
  rp: Obj | null;
  re: Obj | null;
  failed: boolean;
};

export function identityStoreNames(e: StoreNameInput): IdentityStoreName[] {
  const out: IdentityStoreName[] = [];
  const add = (userId: string | null, userName: string | null) => {
    const id = clean(userId);
    const name = clean(userName);
    if (id !== null && name !== null && out.length < MAX_PAIRS && !out.some((p) => p.userId === id && p.userName === name)) out.push({ userId: id, userName: name });
  };
  if (e.identityType === null || PERSON_TYPES.has(e.identityType)) {
    const userId = text(child(e.userIdentity, 'onBehalfOf'), 'userId');
    add(userId, text(e.userIdentity, 'userName'));
    add(userId, text(e.additionalEventData, 'UserName'));
  }
  if (STORE_SOURCES.has(e.eventSource) && !e.failed && e.re !== null) {
    const objects: unknown[] = [e.re, member(e.re, 'user'), ...items(member(e.re, 'users')).slice(0, MAX_PAIRS)];
    for (const o of objects) add(text(o, 'userId'), text(o, 'userName'));
    // CreateUser returns the new id only; its request holds the name it was created with.
    if (obj(e.rp) && text(e.re, 'userName') === null) add(text(e.re, 'userId'), text(e.rp, 'userName'));
  }
  return out;
}

function clean(v: string | null): string | null {
  const s = usable(v);
  return s !== null && s.length <= MAX_LENGTH ? s : null;
}
