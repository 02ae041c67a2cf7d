// sigv4-wasm/cognito: temporary credentials for clients, over the core's math (src/cognito/,
// in its own binary, the feature `cognito`, for every runtime: js/src/entries/cognito*.js).
//  - The math, sans-IO: srpA, passwordClaim, secretHash, srpTimestamp, pkce, pkceVerifier,
//    pkceChallenge, decodeJwt, isTokenExpired.
//  - Calls: initiateAuth / respondToAuthChallenge (the user pool's JSON 1.1 API, which takes no
//    SigV4), signInWithPassword (USER_PASSWORD_AUTH), signInWithSrp (USER_SRP_AUTH and its
//    PASSWORD_VERIFIER answer), refreshTokens (REFRESH_TOKEN_AUTH), and
//    identityPoolCredentials: a credentials provider for AwsClient (GetId, then
//    GetCredentialsForIdentity: the enhanced flow).
//  - OAuth 2.0 (oauth.js): authorizeUrl, exchangeCode, refreshWithToken, clientCredentials.
//  - STS providers (sts.js), signed by this binary's signer: assumeRole, getSessionToken,
//    assumeRoleWithWebIdentity.
// A call that Cognito refuses rejects with a SigV4Error COGNITO_ERROR whose `cognitoCode` is
// Cognito's (NotAuthorizedException...). Written without `class` or async functions, as the
// rest of the package.

import { SigV4Error } from './errors.js';
import { typeError } from './api.js';
import { createOAuth } from './oauth.js';
import { createSts } from './sts.js';

const SEP = '\0';

function text(value, name) {
  if (typeof value !== 'string' || value === '') throw typeError(`${name} must be a non-empty string`);
  if (value.indexOf(SEP) !== -1) throw typeError(`${name} must not contain a NUL character`);
  return value;
}

function bytes(value, name) {
  if (value instanceof Uint8Array) return value;
  if (typeof ArrayBuffer !== 'undefined' && ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw typeError(`${name} must be a Uint8Array of random bytes`);
}

/** n bytes from the runtime's CSPRNG (crypto.getRandomValues). */
function randomBytes(n) {
  const source = typeof crypto !== 'undefined' && crypto && typeof crypto.getRandomValues === 'function' ? crypto : undefined;
  if (!source) {
    throw typeError('this runtime has no crypto.getRandomValues: pass the random bytes yourself (signInWithSrp\'s random: (n) => Uint8Array of n bytes; ' +
      'pkce(bytes) and pkceVerifier(bytes): 32 bytes), e.g. from react-native-get-random-values');
  }
  return source.getRandomValues(new Uint8Array(n));
}

/** The region of a pool or identity pool id (`us-east-1_Abc`, `us-east-1:uuid`). */
function regionOf(id, separator, name) {
  const at = id.indexOf(separator);
  if (at <= 0) throw typeError(`${name} must look like <region>${separator}..., e.g. us-east-1${separator === '_' ? '_AbCdEfGhI' : ':11111111-2222-3333-4444-555555555555'}`);
  return id.slice(0, at);
}

/**
 * Runs one of the binary's SRP state machines with a host `modPow`: each step returns
 * `done\0value` or `pow\0base\0exponent\0N` (hex), and the answers so far go back, each
 * followed by NUL. Synchronous while modPow is; a Promise from the first thenable answer on.
 */
function withModPow(modPow, call, step) {
  const answers = [];
  function run() {
    for (;;) {
      const out = call(() => step(answers.join(''))).split(SEP);
      if (out[0] === 'done') return out[1];
      const answer = modPow({ base: out[1], exponent: out[2], divisor: out[3] });
      // The binary checks each answer (hex in [1, N)); anything else becomes text it refuses.
      if (answer && typeof answer.then === 'function') {
        return Promise.resolve(answer).then((hex) => {
          answers.push(`${hex}${SEP}`);
          return run();
        });
      }
      answers.push(`${answer}${SEP}`);
    }
  }
  return run();
}

function modPowOption(o, fallback) {
  const modPow = (o && o.modPow) || fallback;
  if (modPow !== undefined && typeof modPow !== 'function') {
    throw typeError('modPow must be a function ({ base, exponent, divisor } in hex → hex, or a Promise of it), e.g. computeModPow from @aws-amplify/react-native');
  }
  return modPow;
}

/**
 * `defaultModPow`: the entry's exponentiation when the caller passes none (React Native's
 * BigInt one, modpow.js); without it, num-bigint in the binary, no secret leaving it.
 */
export function createCognito(glue, call, sign, defaultModPow) {
  /**
   * SRP_A for InitiateAuth USER_SRP_AUTH, from the secret exponent's bytes (128 random bytes).
   * With `options.modPow` (or the entry's), g^a is that function's: then a Promise when it
   * answers with one.
   */
  function srpA(secret, options) {
    const secretBytes = bytes(secret, 'the secret exponent');
    const modPow = modPowOption(options, defaultModPow);
    if (!modPow) return call(() => glue.cognitoSrpA(secretBytes));
    return withModPow(modPow, call, (answers) => glue.cognitoSrpAStep(secretBytes, answers));
  }

  /**
   * The answer to PASSWORD_VERIFIER: `{ signature }` (PASSWORD_CLAIM_SIGNATURE) for the same secret bytes as srpA,
   * the pool id, the password, the challenge's parameters (USER_ID_FOR_SRP, SRP_B, SALT,
   * SECRET_BLOCK as Cognito sends them) and the TIMESTAMP string to send. `srpA`: what srpA
   * returned, so that g^a is not computed again. `modPow` as srpA's (a Promise of the claim
   * when it answers with one).
   */
  function passwordClaim(secret, options) {
    const o = options || {};
    const params = o.challengeParameters || {};
    const secretBytes = bytes(secret, 'the secret exponent');
    const fields = [
      text(o.userPoolId, 'userPoolId'),
      text(o.password, 'password'),
      text(params.USER_ID_FOR_SRP, 'challengeParameters.USER_ID_FOR_SRP'),
      text(params.SRP_B, 'challengeParameters.SRP_B'),
      text(params.SALT, 'challengeParameters.SALT'),
      text(params.SECRET_BLOCK, 'challengeParameters.SECRET_BLOCK'),
      text(o.timestamp, 'timestamp'),
      o.srpA === undefined ? '' : text(o.srpA, 'srpA'),
    ].join(SEP);
    const modPow = modPowOption(o, defaultModPow);
    // The signature only: the session key it is made with (HKDF of S) stays in the binary.
    if (!modPow) return { signature: call(() => glue.cognitoPasswordClaim(secretBytes, fields)) };
    const signature = withModPow(modPow, call, (answers) => glue.cognitoPasswordClaimStep(secretBytes, fields, answers));
    return typeof signature === 'string' ? { signature } : signature.then((value) => ({ signature: value }));
  }

  /** SECRET_HASH for an app client with a secret: over the username the call sends. */
  function secretHash(clientSecret, username, clientId) {
    return call(() => glue.cognitoSecretHash(text(clientSecret, 'clientSecret'), text(username, 'username'), text(clientId, 'clientId')));
  }

  /** TIMESTAMP (`Tue Jan 1 06:06:09 UTC 2019`) for a Date or milliseconds since 1970 (default now). */
  function srpTimestamp(time) {
    const ms = time === undefined ? Date.now() : time instanceof Date ? time.getTime() : time;
    if (typeof ms !== 'number' || !isFinite(ms)) throw typeError('the time must be a Date or milliseconds since 1970');
    return call(() => glue.cognitoTimestamp(Math.floor(ms)));
  }

  /** A PKCE code verifier: 32 random bytes (or those given) in base64url, 43 characters. */
  function pkceVerifier(random) {
    return call(() => glue.cognitoPkceVerifier(random === undefined ? randomBytes(32) : bytes(random, 'random')));
  }

  /** The PKCE S256 code challenge of a verifier. */
  function pkceChallenge(codeVerifier) {
    return call(() => glue.cognitoPkceChallenge(text(codeVerifier, 'codeVerifier')));
  }

  /** `{ header, payload, exp, iat }` of a JWT, not verified (exp and iat: seconds, or undefined). */
  function decodeJwt(token) {
    const out = call(() => glue.cognitoDecodeJwt(text(token, 'token'))).split(SEP);
    const seconds = (value) => (value === '' ? undefined : Number(value));
    return { header: JSON.parse(out[0]), payload: JSON.parse(out[1]), exp: seconds(out[2]), iat: seconds(out[3]) };
  }

  /** Whether a token has expired or will within toleranceMs (default 5000, as Amplify) at nowMs. */
  function isTokenExpired(token, nowMs, toleranceMs) {
    const exp = decodeJwt(token).exp;
    const now = nowMs === undefined ? Date.now() : nowMs;
    return exp !== undefined && now + (toleranceMs === undefined ? 5000 : toleranceMs) >= exp * 1000;
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  /** POSTs a JSON 1.1 call (no SigV4: these operations are public) and resolves to its JSON. */
  function jsonCall(o, host, target, body) {
    const send = o.fetch || (typeof fetch === 'function' ? fetch : undefined);
    if (typeof send !== 'function') return Promise.reject(typeError('no fetch in this runtime; pass the fetch option'));
    const url = o.endpoint || `https://${host}/`;
    return Promise.resolve(send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
    })).then((response) => response.text().then((answer) => {
      let json;
      try {
        json = answer ? JSON.parse(answer) : {};
      } catch (ignored) {
        json = undefined;
      }
      if (response.status >= 200 && response.status < 300 && json) return json;
      const type = (json && json.__type) || (response.headers && response.headers.get && response.headers.get('x-amzn-errortype')) || `HTTP ${response.status}`;
      const code = String(type).split(':')[0].split('#').pop();
      const said = json && (json.message || json.Message);
      const error = SigV4Error('COGNITO_ERROR', `sigv4-wasm: ${target.split('.').pop()} failed: ${code}${said ? `: ${said}` : ''}`);
      error.cognitoCode = code;
      error.status = response.status;
      throw error;
    }));
  }

  function idp(o, operation, body) {
    return jsonCall(o, `cognito-idp.${regionOf(o.userPoolId, '_', 'userPoolId')}.amazonaws.com`, `AWSCognitoIdentityProviderService.${operation}`, body);
  }

  function withSecretHash(o, parameters, username) {
    if (o.clientSecret !== undefined) parameters.SECRET_HASH = secretHash(o.clientSecret, username, text(o.clientId, 'clientId'));
    return parameters;
  }

  /** InitiateAuth with `authFlow` and `authParameters` (SECRET_HASH added when clientSecret is given and USERNAME is). */
  function initiateAuth(o) {
    const parameters = Object.assign({}, o.authParameters);
    if (parameters.USERNAME !== undefined) withSecretHash(o, parameters, parameters.USERNAME);
    const body = { AuthFlow: text(o.authFlow, 'authFlow'), ClientId: text(o.clientId, 'clientId'), AuthParameters: parameters };
    if (o.clientMetadata) body.ClientMetadata = o.clientMetadata;
    return idp(o, 'InitiateAuth', body);
  }

  /** RespondToAuthChallenge (SECRET_HASH added over the responses' USERNAME when clientSecret is given). */
  function respondToAuthChallenge(o) {
    const responses = Object.assign({}, o.challengeResponses);
    if (responses.USERNAME !== undefined) withSecretHash(o, responses, responses.USERNAME);
    const body = { ChallengeName: text(o.challengeName, 'challengeName'), ClientId: text(o.clientId, 'clientId'), ChallengeResponses: responses };
    if (o.session) body.Session = o.session;
    if (o.clientMetadata) body.ClientMetadata = o.clientMetadata;
    return idp(o, 'RespondToAuthChallenge', body);
  }

  /** USER_PASSWORD_AUTH: resolves to InitiateAuth's answer (AuthenticationResult, or a challenge). */
  function signInWithPassword(o) {
    return initiateAuth(Object.assign({}, o, {
      authFlow: 'USER_PASSWORD_AUTH',
      authParameters: { USERNAME: text(o.username, 'username'), PASSWORD: text(o.password, 'password') },
    }));
  }

  /**
   * USER_SRP_AUTH: InitiateAuth with SRP_A, then the PASSWORD_VERIFIER answer signed at
   * now() + clockOffsetMs. Resolves to RespondToAuthChallenge's answer (AuthenticationResult,
   * or the next challenge: SMS_MFA, NEW_PASSWORD_REQUIRED...).
   */
  function signInWithSrp(o) {
    return Promise.resolve().then(() => {
      const secret = o.random ? bytes(o.random(128), 'random(128)') : randomBytes(128);
      const username = text(o.username, 'username');
      const modPow = modPowOption(o, defaultModPow);
      // g^a once: A is public, carried from InitiateAuth to the claim.
      return Promise.resolve(srpA(secret, { modPow })).then((large) =>
        initiateAuth(Object.assign({}, o, { authFlow: 'USER_SRP_AUTH', authParameters: { USERNAME: username, SRP_A: large } })).then((answer) => {
          if (answer.ChallengeName !== 'PASSWORD_VERIFIER') return answer;
          const params = answer.ChallengeParameters || {};
          const now = (o.now || Date.now)() + (o.clockOffsetMs || 0);
          const timestamp = srpTimestamp(now);
          const claim = passwordClaim(secret, { userPoolId: o.userPoolId, password: o.password, challengeParameters: params, timestamp, srpA: large, modPow });
          return Promise.resolve(claim).then((signed) => respondToAuthChallenge(Object.assign({}, o, {
            challengeName: 'PASSWORD_VERIFIER',
            session: answer.Session,
            challengeResponses: {
              // The challenge's USERNAME (Amplify v6 sends it; acij sends USER_ID_FOR_SRP, which
              // Cognito makes the same); the proof is over USER_ID_FOR_SRP either way.
              USERNAME: params.USERNAME || params.USER_ID_FOR_SRP,
              PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
              TIMESTAMP: timestamp,
              PASSWORD_CLAIM_SIGNATURE: signed.signature,
            },
          })));
        }));
    });
  }


  /** REFRESH_TOKEN_AUTH; with clientSecret, `username` is the internal username (the sub or cognito:username). */
  function refreshTokens(o) {
    const parameters = { REFRESH_TOKEN: text(o.refreshToken, 'refreshToken') };
    if (o.clientSecret !== undefined) withSecretHash(o, parameters, text(o.username, 'username (the internal one, for SECRET_HASH)'));
    return initiateAuth(Object.assign({}, o, { authFlow: 'REFRESH_TOKEN_AUTH', authParameters: parameters, clientSecret: undefined }));
  }

  /**
   * A credentials provider for AwsClient from an identity pool (the enhanced flow): GetId once,
   * then GetCredentialsForIdentity at each call. `idToken` (a string or a function returning
   * one, sync or async) signs in with a user pool's ID token, its `iss` giving the Logins key;
   * without it, guest access.
   */
  function identityPoolCredentials(o) {
    const poolId = text(o.identityPoolId, 'identityPoolId');
    const host = `cognito-identity.${regionOf(poolId, ':', 'identityPoolId')}.amazonaws.com`;
    let identityId = o.identityId;
    function logins() {
      return Promise.resolve(typeof o.idToken === 'function' ? o.idToken() : o.idToken).then((token) => {
        if (token === undefined || token === null) return o.logins;
        const iss = decodeJwt(token).payload.iss;
        if (typeof iss !== 'string') throw typeError('the ID token has no iss claim; pass logins: { [provider]: token }');
        const map = {};
        map[iss.replace(/^https?:\/\//, '')] = token;
        return map;
      });
    }
    return function provider() {
      return logins().then((map) => {
        const withLogins = (body) => (map ? Object.assign(body, { Logins: map }) : body);
        const id = identityId
          ? Promise.resolve(identityId)
          : jsonCall(o, host, 'AWSCognitoIdentityService.GetId', withLogins({ IdentityPoolId: poolId })).then((answer) => (identityId = answer.IdentityId));
        return id.then((IdentityId) => {
          const body = withLogins({ IdentityId });
          if (o.customRoleArn) body.CustomRoleArn = o.customRoleArn;
          return jsonCall(o, host, 'AWSCognitoIdentityService.GetCredentialsForIdentity', body);
        }).then((answer) => {
          const c = answer.Credentials || {};
          return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: c.Expiration === undefined ? undefined : new Date(c.Expiration * 1000) };
        });
      });
    };
  }

  return Object.assign({
    srpA, passwordClaim, secretHash, srpTimestamp, pkceVerifier, pkceChallenge, decodeJwt, isTokenExpired,
    initiateAuth, respondToAuthChallenge, signInWithPassword, signInWithSrp, refreshTokens, identityPoolCredentials,
  }, createOAuth(pkceVerifier, pkceChallenge, randomBytes), createSts(sign));
}
