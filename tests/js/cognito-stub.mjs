// A stub Cognito on 127.0.0.1 for the tests of sigv4-wasm/cognito (tests/js/cognito.test.mjs,
// tests/js/cognito-runtimes.test.mjs): the user pool's JSON 1.1 API checks what it is sent
// (SECRET_HASH, and USER_SRP_AUTH's proof, verified with the server side of SRP-6a in BigInt:
// S = (A v^u)^b), the identity pool issues temporary keys, and /api/ verifies signatures made
// with them with the package's verify. It answers any origin (CORS), so that a page can call it.
import { createServer } from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verify } from 'sigv4-wasm/verify';

export const VECTORS = JSON.parse(readFileSync(new URL('../vectors/cognito/srp.json', import.meta.url), 'utf8'));
const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** An unsigned JWT with these claims. */
export const jwt = (claims) => `${b64url({ alg: 'none', kid: 'stub' })}.${b64url(claims)}.c2ln`;

export const N = BigInt('0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const G = 2n;
export const K = BigInt(`0x${VECTORS.k}`);
export function modpow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) result = (result * base) % mod;
  return result;
}
export function pad(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}
const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const big = (buffer) => BigInt(`0x${buffer.toString('hex') || '0'}`);
const hmac = (key, ...parts) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();

export const POOL_ID = 'us-east-1_StubPool1';
export const POOL_NAME = 'StubPool1';
export const CLIENT_ID = 'stubclient123';
export const CLIENT_SECRET = 'stub-client-secret';
export const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
export const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
export const USERS = { 'alice@example.com': { internal: 'a1b2c3d4-0000-4000-8000-000000000001', password: 'Correct#Horse9' } };

export const stub = { sessions: new Map(), keys: new Map(), calls: [], refreshTokens: new Map(), identityCount: 0 };
let server;

function idToken(user) {
  const now = Math.floor(Date.now() / 1000);
  return jwt({ sub: user.internal, iss: ISS, token_use: 'id', aud: CLIENT_ID, 'cognito:username': user.internal, exp: now + 3600, iat: now });
}
function tokens(user) {
  const refresh = `refresh-${randomBytes(8).toString('hex')}`;
  stub.refreshTokens.set(refresh, user);
  return { AuthenticationResult: { AccessToken: jwt({ sub: user.internal, token_use: 'access', client_id: CLIENT_ID }), IdToken: idToken(user), RefreshToken: refresh, ExpiresIn: 3600, TokenType: 'Bearer' } };
}
function refuse(type, message) {
  return [400, { __type: type, message }];
}
function checkSecretHash(username, given) {
  const expected = createHmac('sha256', CLIENT_SECRET).update(username + CLIENT_ID).digest('base64');
  return given === expected;
}
function userOf(name) {
  return USERS[name] || Object.values(USERS).find((u) => u.internal === name);
}

const HANDLERS = {
  'AWSCognitoIdentityProviderService.InitiateAuth': (body) => {
    if (body.ClientId !== CLIENT_ID) return refuse('ResourceNotFoundException', 'User pool client does not exist.');
    const p = body.AuthParameters || {};
    if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
      const user = stub.refreshTokens.get(p.REFRESH_TOKEN);
      if (!user) return refuse('NotAuthorizedException', 'Invalid Refresh Token');
      if (!checkSecretHash(user.internal, p.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
      const answer = tokens(user);
      delete answer.AuthenticationResult.RefreshToken;
      return [200, answer];
    }
    const user = USERS[p.USERNAME];
    if (!checkSecretHash(p.USERNAME, p.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
    if (!user) return refuse('UserNotFoundException', 'User does not exist.');
    if (body.AuthFlow === 'USER_PASSWORD_AUTH') {
      return p.PASSWORD === user.password ? [200, tokens(user)] : refuse('NotAuthorizedException', 'Incorrect username or password.');
    }
    if (body.AuthFlow === 'USER_SRP_AUTH') {
      if (!/^[0-9a-f]+$/.test(p.SRP_A)) return refuse('InvalidParameterException', 'SRP_A is not hex');
      const salt = randomBytes(16);
      const x = big(sha(pad(big(salt)), sha(Buffer.from(`${POOL_NAME}${user.internal}:${user.password}`))));
      const v = modpow(G, x, N);
      const b = big(randomBytes(32));
      const B = (K * v + modpow(G, b, N)) % N;
      const secretBlock = randomBytes(64).toString('base64');
      const session = `session-${randomBytes(8).toString('hex')}`;
      stub.sessions.set(session, { user, A: BigInt(`0x${p.SRP_A}`), B, b, v, secretBlock });
      return [200, { ChallengeName: 'PASSWORD_VERIFIER', Session: session, ChallengeParameters: {
        SALT: salt.toString('hex'), SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: user.internal, USER_ID_FOR_SRP: user.internal,
      } }];
    }
    return refuse('InvalidParameterException', `Unsupported AuthFlow ${body.AuthFlow}`);
  },
  'AWSCognitoIdentityProviderService.RespondToAuthChallenge': (body) => {
    const state = stub.sessions.get(body.Session);
    stub.sessions.delete(body.Session);
    if (!state || body.ChallengeName !== 'PASSWORD_VERIFIER') return refuse('NotAuthorizedException', 'Invalid session for the user.');
    const r = body.ChallengeResponses || {};
    if (!checkSecretHash(r.USERNAME, r.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
    // Cognito's checks: the canonical TIMESTAMP, near the server's time.
    if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/.test(r.TIMESTAMP || '')) {
      return refuse('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    }
    if (Math.abs(Date.parse(r.TIMESTAMP) - Date.now()) > 5 * 60 * 1000) return refuse('NotAuthorizedException', 'Incorrect username or password.');
    const u = big(sha(pad(state.A), pad(state.B)));
    const S = modpow((state.A * modpow(state.v, u, N)) % N, state.b, N);
    const key = hmac(hmac(pad(u), pad(S)), Buffer.from('Caldera Derived Key'), Buffer.from([1])).subarray(0, 16);
    const expected = hmac(key, Buffer.from(POOL_NAME), Buffer.from(state.user.internal), Buffer.from(state.secretBlock, 'base64'), Buffer.from(r.TIMESTAMP)).toString('base64');
    if (r.USERNAME !== state.user.internal || r.PASSWORD_CLAIM_SECRET_BLOCK !== state.secretBlock || r.PASSWORD_CLAIM_SIGNATURE !== expected) {
      return refuse('NotAuthorizedException', 'Incorrect username or password.');
    }
    return [200, tokens(state.user)];
  },
  'AWSCognitoIdentityService.GetId': (body) => {
    if (body.IdentityPoolId !== IDENTITY_POOL) return refuse('ResourceNotFoundException', 'IdentityPool not found');
    const login = body.Logins && body.Logins[ISS.replace('https://', '')];
    if (!login) return refuse('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    stub.identityCount++;
    return [200, { IdentityId: `us-east-1:identity-${stub.identityCount}` }];
  },
  'AWSCognitoIdentityService.GetCredentialsForIdentity': (body) => {
    const login = body.Logins && body.Logins[ISS.replace('https://', '')];
    if (!/^us-east-1:identity-\d+$/.test(body.IdentityId) || !login) return refuse('NotAuthorizedException', 'Invalid login token.');
    const accessKeyId = `ASIASTUB${String(stub.keys.size).padStart(8, '0')}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = randomBytes(40).toString('base64');
    stub.keys.set(accessKeyId, { secretAccessKey, sessionToken });
    return [200, { IdentityId: body.IdentityId, Credentials: { AccessKeyId: accessKeyId, SecretKey: secretAccessKey, SessionToken: sessionToken, Expiration: Math.floor(Date.now() / 1000) + 3600 } }];
  },
};

/** Starts the stub on 127.0.0.1; resolves to its base URL. It answers any origin (CORS), for pages. */
export function startStub() {
  server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'POST, GET', 'access-control-allow-headers': 'content-type, x-amz-target, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256' });
      res.end();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let status = 200;
      let answer;
      const target = req.headers['x-amz-target'];
      if (req.url.startsWith('/api/')) {
        try {
          verify({ method: req.method, url: req.url, headers: req.headers, body: new Uint8Array(body) }, {
            region: 'us-east-1', service: 'execute-api',
            lookup: (id) => (stub.keys.has(id) ? stub.keys.get(id) : null),
          });
          answer = { caller: /Credential=([A-Z0-9]+)/.exec(req.headers.authorization)[1] };
        } catch (error) {
          [status, answer] = [403, { message: error.code }];
        }
      } else {
        stub.calls.push({ target, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
        [status, answer] = HANDLERS[target] ? HANDLERS[target](JSON.parse(body.toString('utf8'))) : refuse('UnknownOperationException', target);
      }
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

export function stopStub() {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
}

