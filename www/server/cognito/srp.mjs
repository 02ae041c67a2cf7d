// The server side of USER_SRP_AUTH as Cognito runs it (SRP-6a over RFC 3526's 3072-bit group,
// with Cognito's padding, k and HKDF; /work/shared/notes/cognito.md §2.3, the client side of
// which is src/cognito/). Pure functions over BigInt: the random b, the salt and the secret
// block are inputs, so tests can pin them to the notes' server-consistent vectors (E1-E3).
//
//   v = g^x, x = H(pad(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password))   (the stored verifier)
//   B = (k·v + g^b) mod N                                              (InitiateAuth's SRP_B)
//   u = H(pad(A) ‖ pad(B)), S = (A·v^u)^b mod N                          (the client's S, computed from the other side)
//   K = HKDF-SHA256(salt = pad(u), ikm = pad(S), info = "Caldera Derived Key", 16 bytes)
//   PASSWORD_CLAIM_SIGNATURE = Base64(HMAC(K, poolName ‖ userId ‖ SECRET_BLOCK bytes ‖ TIMESTAMP))

import { createDiffieHellman, createHash, createHmac } from 'node:crypto';

export const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const G = 2n;

/** Java's BigInteger.toByteArray() of a non-negative n: minimal big-endian bytes, a 00 first when the top bit is set. */
export function pad(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const toBig = (bytes) => (bytes.length ? BigInt(`0x${bytes.toString('hex')}`) : 0n);
const hmac = (key, ...parts) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();

/** k = H(pad(N) ‖ pad(g)): 0x538282c4…, not RFC 5054's k. */
export const K = toBig(sha256(pad(N), pad(G)));

/** base^exp mod m, square and multiply (the exponents here are at most 256 bits, or 1024 for the client's a in tests). */
export function modPow(base, exp, m) {
  let result = 1n;
  let b = ((base % m) + m) % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

let group;
/**
 * base^exp mod N with OpenSSL (node:crypto's Diffie-Hellman over the same group: its
 * computeSecret is other^private mod p), about 30 times faster than BigInt, so that a flood of
 * InitiateAuth costs the server little. `exp` is bytes. Falls back to modPow for the values
 * OpenSSL refuses as public keys (0, 1, N - 1).
 */
export function powN(base, exp) {
  const b = ((base % N) + N) % N;
  if (b > 1n && b < N - 1n && exp.some((x) => x !== 0)) {
    group ??= createDiffieHellman(pad(N).subarray(1), Buffer.from([2]));
    try {
      group.setPrivateKey(exp);
      return toBig(group.computeSecret(pad(b)));
    } catch {
      // below
    }
  }
  return modPow(b, toBig(exp), N);
}

const bytesOf = (n) => {
  const bytes = pad(n);
  return bytes[0] === 0 && bytes.length > 1 ? bytes.subarray(1) : bytes;
};

/** The pool's name in the proof: the part of its id after `_` (us-east-1_AbC → AbC). */
export function poolName(userPoolId) {
  return userPoolId.slice(userPoolId.indexOf('_') + 1);
}

/** The stored verifier v = g^x for a user, from the salt (bytes) and the password. */
export function verifier(userPoolId, userId, password, salt) {
  const x = toBig(sha256(pad(toBig(salt)), sha256(Buffer.from(`${poolName(userPoolId)}${userId}:${password}`, 'utf8'))));
  return powN(G, bytesOf(x));
}

/** SRP_B = (k·v + g^b) mod N, for the random b (bytes). */
export function serverB(v, b) {
  return (K * v + powN(G, b)) % N;
}

/**
 * The PASSWORD_CLAIM_SIGNATURE a client that knows the password sends, and the HKDF key, as
 * `{ signature, hkdfKey }`; null when A is not acceptable (A mod N = 0, or u = 0: SRP-6a's
 * aborts). `A` and `B` are BigInts, `b` the random bytes behind B, `secretBlock` the
 * SECRET_BLOCK as sent (base64), `timestamp` the TIMESTAMP string the client signed.
 */
export function expectedClaim({ userPoolId, userId, v, A, B, b, secretBlock, timestamp }) {
  if (A % N === 0n) return null;
  const u = toBig(sha256(pad(A), pad(B)));
  if (u === 0n) return null;
  const S = powN((A * powN(v, bytesOf(u))) % N, b);
  const key = hmac(hmac(pad(u), pad(S)), Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])).subarray(0, 16);
  const message = [Buffer.from(poolName(userPoolId), 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')];
  return { signature: hmac(key, ...message).toString('base64'), hkdfKey: key.toString('hex') };
}

/** SRP_A as a client sends it: hex, odd length allowed, at most 768 digits after leading zeros. null when it is not. */
export function parseSrpA(text) {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{1,1024}$/.test(text)) return null;
  const A = BigInt(`0x${text}`);
  return A >= N ? A % N : A;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;

/** TIMESTAMP for milliseconds since 1970: `Tue Jan 1 06:06:09 UTC 2019` (Java's `EEE MMM d HH:mm:ss z yyyy`). */
export function formatTimestamp(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * The time a TIMESTAMP names, in ms, or 'format' when it is not Java's `EEE MMM d HH:mm:ss z
 * yyyy` in English, or 'canonical' when it is shaped right but is not the one way of writing
 * a time (a zero-padded day, a wrong weekday, 31 Feb): Cognito refuses the first with
 * InvalidParameterException and the second as a wrong password.
 */
export function parseTimestamp(text) {
  const m = typeof text === 'string' ? TIMESTAMP.exec(text) : null;
  if (!m) return 'format';
  const ms = Date.UTC(Number(m[7]), MONTHS.indexOf(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return formatTimestamp(ms) === text ? ms : 'canonical';
}
