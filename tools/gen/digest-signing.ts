// CloudTrail's side of digest signing, for the generator and the fake AWS (test-support/fake-aws): the
// data signing string AWS documents ("Custom implementations of CloudTrail log file integrity
// validation") signed with SHA256withRSA, hex in the object's x-amz-meta-signature. Written here on
// its own, from the documentation, so that the product's checker (electron/core/evidence) is tested
// against an independent signer, never against itself.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type DigestSigningKey = { privateKey: KeyObject; publicDer: Buffer; fingerprint: string };

/**
 * The generator's key: fixed, so its output stays byte-identical for a seed (RSA PKCS#1 v1.5
 * signatures are deterministic). A throwaway test key that signs nothing but generated data.
 */
const GENERATOR_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7Xna8V5RrfGj3
x1oNlq7whRq6zEhKsU0r5cWrkdWamQ+rx+XI7mehQznrTk8dC+XC+qmhQvfX2vEN
dFLJ9D8w3wopSAiIpMLEmTo9agIum05FjgTJBZCy9AocFJADPY6SC3Fk/VorTkD2
Yd9IfN4Dr3nxUF6rOkH7k6/Wv86NHzLyko/RELZWflZYUegbUWTrelyy6uO2eRyl
JGFbD5JKkqu9koqEmEEJUXsn7/etuOj6ryJIixl76ivx9Yd7xnxz4WCVtFlQaCNh
NMoTh1KKEBq1okHYE6FiWKP3KJt8usEPxgj+R7zr78Di+dpDc/eaphjTL6icE22P
4MlW+McVAgMBAAECggEAJCEwwZwcs0ZD4mWHNKAV/yyXbSY3mWmLcTfHEFCYcQ1r
M2tiIIbyJis1p61LvZTd+uVFYOJuMqoV+ctwrF8j8TtM9Q1eEeU9ZlYKoC2JGq4Z
X3mlbBLd5lf+/A+t/mX4ECrTNI9S/A9EoQ3Z1Zs4X1sOp0zhWGCtOQLvMPh+7oCd
TUeFTOT0Mu9J8d3jUZ+KFWR1ZKMYnFK6PXIh0JNP90myegTSE8GaHLqhugvPPWab
zBRh71APeLHlukiMK73qHp+ARWpypkyozqOTAS7aXwHzhB59QlYMvwMmSsj9HyFL
JdyKlWIO0bQ5pKSuRY85+oKZUA9vaKPAuwtL/ghzkQKBgQDl0LuB0HSS+i6YqUPY
MAxrLlrcOt4eXrb4aSUSFR07CH/mxDDyxEJsVzRWcMvwF2rdmcNbVvnAXp0W9WSh
Fknz0WYHy+y4jJIxpR9oxbfsl44MWWk9AWhgfwgYDPgBbBMoBzqZYPxWgYxJLqG+
TK/GTBxr6Gf+4wAuNF/m3+CAhQKBgQDQt6dJJWXHtRxdeO4aI4R3/YqRQ/5C7RsD
6jruu0fu7fiACIM+ZMMp4yhU4RVTtKyNWOz+Bmr/9Kl5KBgN6wxHebdRAs+AdZMP
zlu2Iy+gK54jPo97Dh4oZn1Vvghkdguo1MXJ/sA3YJPycqCKujtSURf/pVOvFvXv
+ikC+NC5UQKBgE4X1f/Q1Cw1s6vQqOtHuJCbWejIYD41tTtIj35LinlK9Bt4w6Fb
K68hGvncrpBRhND0tTvOnGPQQtVQYfeTWWHu4Br6IuC7c9pG4Bt8RHmzLmPn5ikC
13Mi958kmQnyrbfGbRU9rcG/l+ouXGwMJxbdOjM48E3e2WraBVSw8tr5AoGAKDKW
x2GqfpIFCoOV5/bbNnjgTSX5PE6KG3DrNLthGUU/zPjWvheN9u1HAUHwZ5SufvKX
gj0eMnmegjUUnOmeDc4FXlbaO/VpA2xNAYE5VPHRnRwZaivH5yQGE5Nr7l1F1ZhV
F5g20POKyvEEtnMzpaD0rEndGiWj7DoT1/yvxmECgYBbgwMgRTcfyLaoj9KEnQAF
ugAe5KzGMItQCYZrzB/hNoS+fZgZYIXZwG8TluyqZrAvNqj8fpT3N8kXqYWq56e9
gm9ngYkkTjhn5NwMmey8vTMYZvKJAlNXcppBMMKERz3Wv6bxgzBjOU38rKG/ffq9
SwD8+uUA4cnhC4FOmKp2zA==
-----END PRIVATE KEY-----
`;

function fromPrivate(privateKey: KeyObject): DigestSigningKey {
  const publicDer = createPublicKey(privateKey).export({ type: 'pkcs1', format: 'der' });
  // AWS does not document how it computes a key's fingerprint; any stable hex name serves, since a
  // checker only matches the digest's digestPublicKeyFingerprint against what ListPublicKeys lists.
  return { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
}

let generatorKey: DigestSigningKey | undefined;
export function generatorSigningKey(): DigestSigningKey {
  return (generatorKey ??= fromPrivate(createPrivateKey(GENERATOR_KEY_PEM)));
}

/** A fresh key pair, as a test fixture's CloudTrail region holds. */
export function newSigningKey(): DigestSigningKey {
  return fromPrivate(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
}

/**
 * The hex signature CloudTrail puts in a digest object's metadata. digestText is the uncompressed
 * digest; bucket and key are where it is delivered.
 */
export function signDigest(key: DigestSigningKey, bucket: string, objectKey: string, digestText: string): string {
  const digest = JSON.parse(digestText) as { digestEndTime: string; previousDigestSignature?: string | null };
  const contentHash = createHash('sha256').update(digestText, 'utf8').digest('hex');
  const signing = [digest.digestEndTime, `${bucket}/${objectKey}`, contentHash, digest.previousDigestSignature ?? 'null'].join('\n');
  return sign('sha256', Buffer.from(signing, 'utf8'), key.privateKey).toString('hex');
}
