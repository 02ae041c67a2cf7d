// The `cognito` section of the local API's config: one user pool (users, app clients), one
// identity pool (its authenticated role and that role's policy) and the methods the
// COGNITO_USER_POOLS authorizer guards. Validated like the rest of config.mjs: errors name the
// field. With the demo key and no `cognito` section, demoCognito() makes one, in this same
// format: a user with a generated password and three app clients.

import { randomBytes, randomUUID } from 'node:crypto';

const SECTION_FIELDS = ['userPool', 'identityPool', 'authorizer', 'description'];
const POOL_FIELDS = ['id', 'users', 'clients', 'tokenLifetimeSeconds', 'refreshTokenLifetimeSeconds', 'description'];
const USER_FIELDS = ['username', 'password', 'passwordEnv', 'email', 'sub', 'description'];
const CLIENT_FIELDS = ['name', 'clientId', 'clientSecret', 'clientSecretEnv', 'callbackUrls', 'allowedOAuthFlows', 'allowedOAuthScopes', 'explicitAuthFlows', 'description'];
const IDENTITY_FIELDS = ['id', 'roleArn', 'policy', 'credentialsLifetimeSeconds', 'description'];
const AUTHORIZER_FIELDS = ['methods', 'description'];
export const AUTH_FLOWS = ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'];
export const OAUTH_FLOWS = ['code', 'client_credentials'];
const STANDARD_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
/** The placeholder a callback URL may start with: the server's own URL, known once it listens. */
export const SERVER_PLACEHOLDER = '{server}';
const MAX_USERS = 100;
const MAX_CLIENTS = 20;

/**
 * Validates `raw` (the config's `cognito` field) and returns `{ userPool, identityPool,
 * authorizer }` (each may be null). `ctx` is `{ region, accountId, env, fail, validatePolicy,
 * arnPrefix, resources }` from config.mjs.
 */
export function validateCognito(raw, ctx) {
  const { fail } = ctx;
  if (!isObject(raw)) fail('cognito', `must be an object with userPool, identityPool and authorizer, or false; not ${kind(raw)}`);
  unknown(raw, SECTION_FIELDS, 'cognito.', fail);
  const userPool = raw.userPool === undefined ? null : validatePool(raw.userPool, 'cognito.userPool', ctx);
  const identityPool = raw.identityPool === undefined ? null : validateIdentityPool(raw.identityPool, 'cognito.identityPool', ctx, userPool);
  // Each method: "GET /me" (ID tokens, as a method without OAuth scopes) or
  // {"method": "GET /pets", "scopes": ["pets/read"]} (access tokens with one of the scopes).
  let authorizer = { methods: userPool ? [{ method: 'GET /me', scopes: [] }] : [] };
  if (raw.authorizer !== undefined) {
    const at = 'cognito.authorizer';
    if (!isObject(raw.authorizer)) fail(at, `must be an object such as {"methods": ["GET /me"]}, not ${kind(raw.authorizer)}`);
    unknown(raw.authorizer, AUTHORIZER_FIELDS, `${at}.`, fail);
    if (!userPool) fail(at, 'needs cognito.userPool: the authorizer checks that pool\'s tokens');
    const methods = raw.authorizer.methods;
    if (!Array.isArray(methods)) fail(`${at}.methods`, 'must be an array of "METHOD /resource" strings such as "GET /me", or {"method": "GET /pets/{petId}", "scopes": ["pets/read"]}');
    const choices = ctx.resources.flatMap((r) => r.methods.map((x) => `"${x} ${r.path}"`)).join(', ');
    const seen = new Set();
    authorizer = {
      methods: methods.map((entry, i) => {
        const where = `${at}.methods[${i}]`;
        const object = isObject(entry);
        if (object) unknown(entry, ['method', 'scopes'], `${where}.`, fail);
        const name = object ? entry.method : entry;
        const match = typeof name === 'string' ? /^(GET|POST) (\/\S*)$/.exec(name) : null;
        if (!match || !ctx.resources.some((r) => r.path === match[2] && r.methods.includes(match[1]))) {
          fail(object ? `${where}.method` : where, `must be one of ${choices}; not ${JSON.stringify(name)}`);
        }
        if (seen.has(name)) fail(where, `repeats ${name}`);
        seen.add(name);
        const scopes = object && entry.scopes !== undefined ? entry.scopes : [];
        if (!Array.isArray(scopes) || scopes.some((x) => typeof x !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(x))) fail(`${where}.scopes`, 'must be an array of OAuth scopes such as "pets/read"');
        return { method: name, scopes: scopes.slice() };
      }),
    };
  }
  return { userPool, identityPool, authorizer };
}

function validatePool(pool, at, ctx) {
  const { fail, region, env } = ctx;
  if (!isObject(pool)) fail(at, `must be an object with id, users and clients, not ${kind(pool)}`);
  unknown(pool, POOL_FIELDS, `${at}.`, fail);
  if (typeof pool.id !== 'string' || !/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.id) || pool.id.length > 55) {
    fail(`${at}.id`, `must be a user pool id such as "${region}_LocalPool1" (region, '_', letters and digits), not ${JSON.stringify(pool.id)}`);
  }
  if (pool.id.split('_')[0] !== region) fail(`${at}.id`, `must start with the config's region "${region}_", not ${JSON.stringify(pool.id)}`);
  const tokenLifetimeSeconds = seconds(pool, 'tokenLifetimeSeconds', 3600, 1, 86400, at, fail);
  const refreshTokenLifetimeSeconds = seconds(pool, 'refreshTokenLifetimeSeconds', 30 * 86400, 1, 3650 * 86400, at, fail);

  if (!Array.isArray(pool.users) || pool.users.length === 0) fail(`${at}.users`, 'must be a non-empty array of users such as {"username": "alice", "password": "..."}');
  if (pool.users.length > MAX_USERS) fail(`${at}.users`, `has ${pool.users.length} users; the local pool holds at most ${MAX_USERS}`);
  const users = pool.users.map((user, i) => {
    const where = `${at}.users[${i}]`;
    if (!isObject(user)) fail(where, `must be an object with username and password, not ${kind(user)}`);
    unknown(user, USER_FIELDS, `${where}.`, fail);
    if (typeof user.username !== 'string' || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(user.username)) {
      fail(`${where}.username`, `must be 1 to 128 letters, digits, marks or punctuation (Cognito's rule, no spaces), not ${JSON.stringify(user.username)}`);
    }
    const password = valueOrEnv(user, 'password', 'passwordEnv', where, env, fail);
    if (!password) fail(`${where}.password`, 'is required (or passwordEnv, the name of an environment variable holding it)');
    if (password.length > 256) fail(`${where}.password`, 'is longer than Cognito\'s 256 characters');
    if (user.email !== undefined && (typeof user.email !== 'string' || !/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(user.email))) fail(`${where}.email`, `must be an email address, not ${JSON.stringify(user.email)}`);
    if (user.sub !== undefined && (typeof user.sub !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(user.sub))) fail(`${where}.sub`, `must be a lowercase UUID, not ${JSON.stringify(user.sub)}`);
    return { username: user.username, password, passwordFromEnv: user.passwordEnv !== undefined, email: user.email, sub: user.sub || randomUUID() };
  });
  const names = new Set();
  users.forEach((u, i) => {
    const key = u.username.toLowerCase();
    if (names.has(key) || (u.email && names.has(u.email.toLowerCase()))) fail(`${at}.users[${i}].username`, `repeats ${JSON.stringify(u.username)} (user names and emails are case-insensitive sign-in names)`);
    names.add(key);
    if (u.email) names.add(u.email.toLowerCase());
  });

  if (!Array.isArray(pool.clients) || pool.clients.length === 0) fail(`${at}.clients`, 'must be a non-empty array of app clients such as {"clientId": "...", "explicitAuthFlows": ["USER_SRP_AUTH"]}');
  if (pool.clients.length > MAX_CLIENTS) fail(`${at}.clients`, `has ${pool.clients.length} clients; at most ${MAX_CLIENTS}`);
  const clients = pool.clients.map((client, i) => validateClient(client, `${at}.clients[${i}]`, ctx));
  const ids = new Set();
  clients.forEach((c, i) => {
    if (ids.has(c.clientId)) fail(`${at}.clients[${i}].clientId`, `repeats ${c.clientId}; each app client needs its own id`);
    ids.add(c.clientId);
  });
  return { id: pool.id, tokenLifetimeSeconds, refreshTokenLifetimeSeconds, users, clients };
}

function validateClient(client, where, ctx) {
  const { fail, env } = ctx;
  if (!isObject(client)) fail(where, `must be an object with clientId, not ${kind(client)}`);
  unknown(client, CLIENT_FIELDS, `${where}.`, fail);
  if (typeof client.clientId !== 'string' || !/^[\w+]{1,128}$/.test(client.clientId)) fail(`${where}.clientId`, `must be 1 to 128 letters, digits, '_' or '+' (Cognito's rule), not ${JSON.stringify(client.clientId)}`);
  const clientSecret = valueOrEnv(client, 'clientSecret', 'clientSecretEnv', where, env, fail);
  if (clientSecret !== undefined && !/^[\x21-\x7e]{8,256}$/.test(clientSecret)) fail(`${where}.clientSecret`, 'must be 8 to 256 printable ASCII characters without spaces');
  const list = (field, allowed, check) => {
    const value = client[field];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${where}.${field}`, 'must be an array of strings');
    value.forEach((v, j) => {
      if (allowed && !allowed.includes(v)) fail(`${where}.${field}[${j}]`, `must be one of ${allowed.join(', ')}; not ${JSON.stringify(v)}`);
      if (check) check(v, `${where}.${field}[${j}]`);
    });
    return value.slice();
  };
  const explicitAuthFlows = list('explicitAuthFlows', AUTH_FLOWS);
  const allowedOAuthFlows = list('allowedOAuthFlows', OAUTH_FLOWS);
  const allowedOAuthScopes = list('allowedOAuthScopes', null, (scope, at) => {
    if (!STANDARD_SCOPES.includes(scope) && !/^[\x21\x23-\x5b\x5d-\x7e]+\/[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) {
      fail(at, `must be ${STANDARD_SCOPES.join(', ')} or a custom scope "<resource server>/<scope>", not ${JSON.stringify(scope)}`);
    }
  });
  const callbackUrls = list('callbackUrls', null, (url, at) => {
    if (!/^[\x21-\x7e]{1,1024}$/.test(url)) fail(at, `must be a URL in printable ASCII (percent-encode the rest), at most 1024 characters; not ${JSON.stringify(url)}`);
    const resolved = url.startsWith(SERVER_PLACEHOLDER) ? `http://127.0.0.1${url.slice(SERVER_PLACEHOLDER.length)}` : url;
    let parsed;
    try {
      parsed = new URL(resolved);
    } catch {
      fail(at, `must be an absolute URL (or start with ${SERVER_PLACEHOLDER}, the server's own URL), not ${JSON.stringify(url)}`);
    }
    if (parsed.hash) fail(at, `must not have a fragment (#...), as Cognito's rule; not ${JSON.stringify(url)}`);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    if (parsed.protocol === 'http:' && !loopback) fail(at, `must be https, or http on localhost (Cognito's rule), not ${JSON.stringify(url)}`);
    if (/^(javascript|data|vbscript|file):$/i.test(parsed.protocol)) fail(at, `must not be a ${parsed.protocol} URL`);
  });
  if (allowedOAuthFlows.includes('client_credentials')) {
    if (allowedOAuthFlows.includes('code')) fail(`${where}.allowedOAuthFlows`, 'cannot have both client_credentials and code (Cognito\'s rule: a machine client is a client of its own)');
    if (clientSecret === undefined) fail(`${where}.clientSecret`, 'is required for the client_credentials flow');
    if (!allowedOAuthScopes.some((s) => s.includes('/'))) fail(`${where}.allowedOAuthScopes`, 'needs a custom scope ("<resource server>/<scope>") for client_credentials');
    if (allowedOAuthScopes.some((s) => !s.includes('/'))) fail(`${where}.allowedOAuthScopes`, 'may only hold custom scopes for client_credentials');
  }
  if (allowedOAuthFlows.includes('code') && callbackUrls.length === 0) fail(`${where}.callbackUrls`, 'needs at least one URL for the code flow');
  const name = client.name === undefined ? client.clientId : client.name;
  if (typeof name !== 'string' || name.length > 128) fail(`${where}.name`, 'must be a string of at most 128 characters');
  return { name, clientId: client.clientId, clientSecret, callbackUrls, allowedOAuthFlows, allowedOAuthScopes, explicitAuthFlows };
}

function validateIdentityPool(pool, at, ctx, userPool) {
  const { fail, region, validatePolicy } = ctx;
  if (!isObject(pool)) fail(at, `must be an object with id, roleArn and policy, not ${kind(pool)}`);
  unknown(pool, IDENTITY_FIELDS, `${at}.`, fail);
  if (!userPool) fail(at, 'needs cognito.userPool: the identity pool takes that pool\'s ID tokens');
  if (typeof pool.id !== 'string' || !/^[\w-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(pool.id)) {
    fail(`${at}.id`, `must be an identity pool id such as "${region}:11111111-2222-3333-4444-555555555555", not ${JSON.stringify(pool.id)}`);
  }
  if (pool.id.split(':')[0] !== region) fail(`${at}.id`, `must start with the config's region "${region}:", not ${JSON.stringify(pool.id)}`);
  const role = typeof pool.roleArn === 'string' ? /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(pool.roleArn) : null;
  if (!role) fail(`${at}.roleArn`, `must be an IAM role ARN such as "arn:aws:iam::${ctx.accountId}:role/CognitoPetReaders", not ${JSON.stringify(pool.roleArn)}`);
  const credentialsLifetimeSeconds = seconds(pool, 'credentialsLifetimeSeconds', 3600, 1, 43200, at, fail);
  const policy = pool.policy === undefined ? null : validatePolicy(pool.policy, `${at}.policy`, fail);
  return { id: pool.id, roleArn: pool.roleArn, roleAccount: role[1], roleName: role[2], policy, credentialsLifetimeSeconds };
}

/**
 * The demo pools that come with the demo key, in the config file's format (validated like a
 * file's). The user's password is generated, or SIGV4_DEMO_USER_PASSWORD's when it is set.
 */
export function demoCognito(region, accountId, env = process.env) {
  const secret = () => randomBytes(36).toString('base64').replace(/[+/=]/g, '').slice(0, 48);
  return {
    description: 'The demo user pool and identity pool, made for this run.',
    userPool: {
      id: `${region}_sigv4Demo`,
      users: [
        env.SIGV4_DEMO_USER_PASSWORD
          ? { username: 'demo', passwordEnv: 'SIGV4_DEMO_USER_PASSWORD', email: 'demo@example.com' }
          : { username: 'demo', password: `Demo-${randomBytes(9).toString('base64url')}1!`, email: 'demo@example.com' },
      ],
      clients: [
        {
          name: 'public (browser, app, Postman with PKCE)',
          clientId: 'sigv4demopublicclient00001',
          callbackUrls: [`${SERVER_PLACEHOLDER}/`, 'http://localhost:3000/callback', 'https://oauth.pstmn.io/v1/callback', 'https://oauth.pstmn.io/v1/browser-callback'],
          allowedOAuthFlows: ['code'],
          allowedOAuthScopes: ['openid', 'email', 'profile', 'pets/read'],
          explicitAuthFlows: AUTH_FLOWS.slice(),
        },
        {
          name: 'confidential (a server; SECRET_HASH)',
          clientId: 'sigv4democonfidential00001',
          clientSecret: secret(),
          callbackUrls: [`${SERVER_PLACEHOLDER}/`, 'http://localhost:3000/callback', 'https://oauth.pstmn.io/v1/callback'],
          allowedOAuthFlows: ['code'],
          allowedOAuthScopes: ['openid', 'email', 'profile'],
          explicitAuthFlows: AUTH_FLOWS.slice(),
        },
        {
          name: 'machine (client_credentials)',
          clientId: 'sigv4demomachine0000000001',
          clientSecret: secret(),
          allowedOAuthFlows: ['client_credentials'],
          allowedOAuthScopes: ['pets/read', 'pets/write'],
        },
      ],
    },
    identityPool: {
      id: `${region}:5164a1e4-0000-4000-8000-00000000d3e0`,
      roleArn: `arn:aws:iam::${accountId}:role/CognitoPetReaders`,
      policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${region}:${accountId}:*/*/GET/*` }] },
    },
  };
}

function seconds(object, field, fallback, min, max, at, fail) {
  if (object[field] === undefined) return fallback;
  const value = object[field];
  if (!Number.isInteger(value) || value < min || value > max) fail(`${at}.${field}`, `must be a whole number of seconds from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return value;
}

function valueOrEnv(object, field, envField, at, env, fail) {
  if (object[field] !== undefined && object[envField] !== undefined) fail(at, `has both ${field} and ${envField}; give one`);
  if (object[field] !== undefined) {
    if (typeof object[field] !== 'string' || object[field] === '') fail(`${at}.${field}`, `must be a non-empty string, not ${kind(object[field])}`);
    return object[field];
  }
  if (object[envField] !== undefined) {
    const name = object[envField];
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`${at}.${envField}`, 'must be the name of an environment variable');
    if (env[name] === undefined || env[name] === '') fail(`${at}.${envField}`, `names ${name}, which is not set in the environment`);
    return env[name];
  }
  return undefined;
}

function unknown(object, allowed, prefix, fail) {
  for (const name of Object.keys(object)) {
    if (!allowed.includes(name)) fail(`${prefix}${name}`, `is not a known field; expected one of: ${allowed.join(', ')}`);
  }
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
