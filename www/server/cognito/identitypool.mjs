// A Cognito identity pool in memory (the enhanced flow): GetId and GetCredentialsForIdentity
// take the user pool's ID token in Logins, verify it (signature, exp, aud, token_use) and issue
// temporary credentials (ASIA... key, secret, session token, Expiration) that the local API
// accepts under the identity pool's authenticated role and that role's policy, as
// arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials.

import { createHmac, randomBytes } from 'node:crypto';
import { generateAccessKeyId, generateSecretAccessKey } from '../config.mjs';
import { awsError, BoundedStore, isObject } from './util.mjs';

/** Issued keys kept at most (the oldest go first), and for how long after they expire: they answer ExpiredTokenException until then. */
const MAX_ISSUED = 1000;
const KEEP_EXPIRED_MS = 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `pool` is the validated config's identityPool, `userPool` the running user pool,
 * `allowAll` the policy of a role without one. `keys` is where issued keys go: a BoundedStore
 * the API's authorization looks keys up in.
 */
export function createIdentityPool(pool, userPool, { allowAll, now = () => Date.now() } = {}) {
  const region = pool.id.split(':')[0];
  const secret = randomBytes(32);
  const keys = new BoundedStore(MAX_ISSUED, (pool.credentialsLifetimeSeconds * 1000) + KEEP_EXPIRED_MS);
  const state = { now };

  /** Provider names the Logins map may use for the user pool: what its tokens' iss says, without the scheme, and the AWS one. */
  function providers() {
    return [userPool.issuer.replace(/^https?:\/\//, ''), `cognito-idp.${region}.amazonaws.com/${userPool.id}`];
  }

  /** The identity of a user: the same IdentityId for the same user every time (an HMAC of its sub). */
  function identityIdOf(sub) {
    const hex = createHmac('sha256', secret).update(`${pool.id}\0${sub}`).digest('hex');
    return `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The verified claims of the Logins map's ID token, or Cognito's answer. */
  function login(body) {
    const logins = body.Logins;
    if (logins === undefined || (isObject(logins) && Object.keys(logins).length === 0)) {
      return { error: awsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.') };
    }
    if (!isObject(logins) || Object.keys(logins).length > 10 || Object.values(logins).some((v) => typeof v !== 'string')) {
      return { error: awsError('InvalidParameterException', 'Logins must be a map of provider names to tokens') };
    }
    const names = providers();
    const entries = Object.entries(logins);
    const unknown = entries.find(([name]) => !names.includes(name));
    if (unknown) return { error: awsError('NotAuthorizedException', `Invalid login token. Issuer doesn't match providerName`) };
    const [provider, token] = entries[0];
    const outcome = userPool.verifyToken(token, 'id');
    if (outcome.error === 'expired') {
      return { error: awsError('NotAuthorizedException', `Invalid login token. Token expired: ${Math.floor(state.now() / 1000)} >= ${outcome.claims.exp}`) };
    }
    if (outcome.error === 'audience') return { error: awsError('NotAuthorizedException', 'Invalid login token. Incorrect token audience.') };
    if (outcome.error) return { error: awsError('NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.') };
    return { claims: outcome.claims, provider };
  }

  function checkPool(body) {
    if (typeof body.IdentityPoolId !== 'string') return awsError('InvalidParameterException', "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null");
    if (body.IdentityPoolId !== pool.id) return awsError('ResourceNotFoundException', `IdentityPool '${body.IdentityPoolId.slice(0, 64)}' not found.`);
    return null;
  }

  function getId(body) {
    const refused = checkPool(body);
    if (refused) return refused;
    const { claims, error } = login(body);
    if (error) return error;
    return { status: 200, body: { IdentityId: identityIdOf(claims.sub) } };
  }

  function getCredentialsForIdentity(body) {
    const id = body.IdentityId;
    if (typeof id !== 'string') return awsError('InvalidParameterException', "1 validation error detected: Value null at 'identityId' failed to satisfy constraint: Member must not be null");
    const [idRegion, uuid] = id.split(':');
    if (idRegion !== region || !UUID.test(uuid || '')) return awsError('ResourceNotFoundException', `Identity '${id.slice(0, 64)}' not found.`);
    const { claims, provider, error } = login(body);
    if (error) return error;
    if (identityIdOf(claims.sub) !== id) return awsError('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
    if (body.CustomRoleArn !== undefined && body.CustomRoleArn !== pool.roleArn) {
      return awsError('InvalidParameterException', 'CustomRoleArn is not a role of this identity pool (the local pool has one: its roleArn)');
    }
    // Expiration goes out in whole seconds: the key expires at that very second, rounded up, so
    // that the client and the API agree on it (rounded down, a 1-second key could arrive expired).
    const expiration = new Date(Math.ceil((state.now() + pool.credentialsLifetimeSeconds * 1000) / 1000) * 1000);
    const key = {
      arn: `arn:aws:sts::${pool.roleAccount}:assumed-role/${pool.roleName}/CognitoIdentityCredentials`,
      accessKeyId: generateAccessKeyId(true),
      secretAccessKey: generateSecretAccessKey(),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(300).toString('base64')}`,
      expiration,
      policy: pool.policy || allowAll,
      policyGiven: !!pool.policy,
      temporary: true,
      identity: {
        cognitoIdentityId: id,
        cognitoIdentityPoolId: pool.id,
        cognitoAuthenticationType: 'authenticated',
        cognitoAuthenticationProvider: `${provider},${provider}:CognitoSignIn:${claims.sub}`,
        sub: claims.sub,
      },
    };
    keys.set(key.accessKeyId, key);
    return {
      status: 200,
      body: {
        IdentityId: id,
        Credentials: { AccessKeyId: key.accessKeyId, SecretKey: key.secretAccessKey, SessionToken: key.sessionToken, Expiration: expiration.getTime() / 1000 },
      },
    };
  }

  return {
    id: pool.id,
    pool,
    keys,
    providers,
    setClock(fn) {
      state.now = fn;
    },
    calls: { GetId: getId, GetCredentialsForIdentity: getCredentialsForIdentity },
  };
}
