// Attribution to a person needs two facts the records carry but the case did not keep:
// - who vouched for a SAML or web identity subject: AssumeRoleWithSAML's responseElements.issuer,
//   AssumeRoleWithWebIdentity's responseElements.provider (a subject is unique only within its issuer);
// - the user name behind an Identity Center user id (onBehalfOf.userId), from records that name both
//   (sign-in events with userIdentity.userName beside onBehalfOf, identity-store calls whose response
//   or request pairs userId with userName). One row per pair and the event that ties them.
export const version = 105;

export const sql = /* sql */ `
ALTER TABLE credentials ADD COLUMN issuer TEXT;

CREATE TABLE identity_store_names (
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  event INTEGER NOT NULL,          -- events.id of the first record tying them
  PRIMARY KEY (user_id, user_name)
) STRICT;
-- actor NAME: the ids a user name is given to.
CREATE INDEX identity_store_names_name ON identity_store_names(user_name);
`;
