// CloudTrail digest signatures, which a live pull can check and a copied folder cannot: a digest's
// signature and its algorithm come from the S3 object's metadata (x-amz-meta-signature,
// x-amz-meta-signature-algorithm), and CloudTrail's public keys (ListPublicKeys) are kept in the case
// so `trailscope verify` checks the signatures offline, later, the same way every time.
export const version = 100;

export const sql = /* sql */ `
ALTER TABLE source_evidence ADD COLUMN signature TEXT;            -- hex, from the digest object's metadata; NULL: no metadata (a folder copy)
ALTER TABLE source_evidence ADD COLUMN signature_algorithm TEXT;  -- e.g. SHA256withRSA, from the same metadata
CREATE TABLE cloudtrail_public_keys (
  fingerprint TEXT PRIMARY KEY,     -- as ListPublicKeys names it; a digest's digestPublicKeyFingerprint
  public_key BLOB NOT NULL,         -- DER, PKCS#1 RSAPublicKey
  valid_from INTEGER,               -- ms
  valid_until INTEGER,              -- ms
  region TEXT NOT NULL              -- the region whose CloudTrail listed it
) STRICT;
`;
