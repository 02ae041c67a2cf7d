// The local API's configuration: defaults, the JSON config file, and validation with errors
// that name the file and the field. See example-config.json and www/README.md for the format.

import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { demoCognito, validateCognito } from './cognito/config.mjs';
import { RESOURCES } from './petstore.mjs';

/** A config that cannot be used; the message names the file and the field. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** API Gateway's request payload limit for REST APIs: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The headers API Gateway's "Enable CORS" allows, plus the payload hash header S3-style signers send. */
export const DEFAULT_CORS_ALLOW_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
];

/** The user the generated demo key belongs to. */
export const DEMO_USER = 'sigv4-demo';

const TOP_FIELDS = ['$schema', 'description', 'region', 'stage', 'apiId', 'accountId', 'maxClockSkewSeconds', 'demoKey', 'keys', 'cors', 'cognito'];
const KEY_FIELDS = ['user', 'arn', 'accessKeyId', 'secretAccessKey', 'secretAccessKeyEnv', 'sessionToken', 'sessionTokenEnv', 'expiration', 'policy', 'description'];
const POLICY_FIELDS = ['Version', 'Id', 'Statement'];
const STATEMENT_FIELDS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource'];
const CORS_FIELDS = ['allowOrigin', 'allowHeaders'];
/**
 * The longest Action or Resource pattern: policy.mjs matches a pattern in time proportional
 * to its length times the resource's, so both are bounded. IAM allows a user's inline
 * policies 2,048 characters in all.
 */
const MAX_PATTERN_LENGTH = 2048;
/** Paths the server uses for the page, the package and the demo endpoints: not stage names. */
const RESERVED_STAGES = ['sigv4-wasm', 'demo', 'lib', 'server', 'favicon.ico', 'oauth2', 'login', 'cognito-idp', 'cognito-identity'];

/** A fresh access key id in AWS's shape: AKIA (long-term) or ASIA (temporary) and 16 base-32 characters. */
export function generateAccessKeyId(temporary = false) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(16);
  let id = temporary ? 'ASIA' : 'AKIA';
  for (const byte of bytes) id += alphabet[byte & 31];
  return id;
}

/** A fresh 40-character secret access key, as AWS issues them. */
export function generateSecretAccessKey() {
  return randomBytes(30).toString('base64');
}

/**
 * The demo key: from SIGV4_DEMO_ACCESS_KEY_ID / SIGV4_DEMO_SECRET_ACCESS_KEY (and the optional
 * SIGV4_DEMO_SESSION_TOKEN) when both are set, otherwise generated.
 */
export function demoCredentials(env = process.env) {
  const id = env.SIGV4_DEMO_ACCESS_KEY_ID;
  const secret = env.SIGV4_DEMO_SECRET_ACCESS_KEY;
  const token = env.SIGV4_DEMO_SESSION_TOKEN || undefined;
  if (id || secret) {
    if (!id || !secret) {
      throw new ConfigError(
        `set both SIGV4_DEMO_ACCESS_KEY_ID and SIGV4_DEMO_SECRET_ACCESS_KEY, or neither (to generate a demo key); only ${id ? 'SIGV4_DEMO_ACCESS_KEY_ID' : 'SIGV4_DEMO_SECRET_ACCESS_KEY'} is set`,
      );
    }
    checkAccessKeyId(id, 'SIGV4_DEMO_ACCESS_KEY_ID', 'the environment');
    checkToken(token, 'SIGV4_DEMO_SESSION_TOKEN', 'the environment');
    return { accessKeyId: id, secretAccessKey: secret, sessionToken: token, source: 'environment' };
  }
  return { accessKeyId: generateAccessKeyId(false), secretAccessKey: generateSecretAccessKey(), sessionToken: undefined, source: 'generated' };
}

/** Reads and validates a JSON config file. */
export function loadConfigFile(path, env = process.env) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON: ${jsonErrorWhere(error, text)}`);
  }
  return validateConfig(raw, path, env);
}

/** JSON.parse's complaint with the line and column of the offending character. */
function jsonErrorWhere(error, text) {
  const message = error.message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/'\n'/, 'line break');
  // V8 does not always say where: find the shortest prefix that fails other than by ending early.
  const failsBeforeEnd = (n) => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (e) {
      if (/end of JSON input/i.test(e.message)) return false;
      const at = /at position (\d+)/.exec(e.message);
      return !at || Number(at[1]) < n;
    }
  };
  if (!failsBeforeEnd(text.length)) return message;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsBeforeEnd(mid)) hi = mid;
    else lo = mid + 1;
  }
  const before = text.slice(0, Math.max(0, lo - 1)).split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

/**
 * Validates a config object (from a file or given in-process) and fills in the defaults.
 * `source` names where it came from in error messages.
 */
export function validateConfig(raw = {}, source = 'the config', env = process.env) {
  const fail = (field, problem) => {
    throw new ConfigError(`${source}: ${field} ${problem}`);
  };
  if (!isObject(raw)) fail('the top level', `must be a JSON object, not ${kind(raw)}`);
  unknownFields(raw, TOP_FIELDS, '', fail);

  const region = optional(raw, 'region', 'us-east-1', 'region', fail);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) fail('region', `must be an AWS region such as "us-east-1", not ${JSON.stringify(region)}`);
  const stage = optional(raw, 'stage', 'test', 'stage', fail);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage)) fail('stage', `must be letters, digits, '-' and '_' (API Gateway's rule), not ${JSON.stringify(stage)}`);
  if (RESERVED_STAGES.includes(stage)) fail('stage', `cannot be "${stage}": the server uses /${stage}/ for itself`);
  const apiId = optional(raw, 'apiId', 'a1b2c3d4e5', 'apiId', fail);
  if (!/^[a-z0-9]{10}$/.test(apiId)) fail('apiId', `must be 10 lowercase letters and digits, like API Gateway's ids, not ${JSON.stringify(apiId)}`);
  const accountId = optional(raw, 'accountId', '123456789012', 'accountId', fail);
  if (!/^\d{12}$/.test(accountId)) fail('accountId', `must be 12 digits, not ${JSON.stringify(accountId)}`);

  let maxClockSkewSeconds = 900;
  if (raw.maxClockSkewSeconds !== undefined) {
    maxClockSkewSeconds = raw.maxClockSkewSeconds;
    if (!Number.isInteger(maxClockSkewSeconds) || maxClockSkewSeconds < 0 || maxClockSkewSeconds > 604800) {
      fail('maxClockSkewSeconds', `must be a whole number of seconds from 0 to 604800, not ${JSON.stringify(raw.maxClockSkewSeconds)}`);
    }
  }
  let demoKey = true;
  if (raw.demoKey !== undefined) {
    if (typeof raw.demoKey !== 'boolean') fail('demoKey', `must be true or false, not ${JSON.stringify(raw.demoKey)}`);
    demoKey = raw.demoKey;
  }

  const cors = { allowOrigin: '*', allowHeaders: DEFAULT_CORS_ALLOW_HEADERS.slice() };
  if (raw.cors !== undefined) {
    if (!isObject(raw.cors)) fail('cors', `must be an object, not ${kind(raw.cors)}`);
    unknownFields(raw.cors, CORS_FIELDS, 'cors.', fail);
    if (raw.cors.allowOrigin !== undefined) {
      if (typeof raw.cors.allowOrigin !== 'string' || !raw.cors.allowOrigin) fail('cors.allowOrigin', 'must be "*" or an origin such as "http://localhost:3000"');
      cors.allowOrigin = raw.cors.allowOrigin;
    }
    if (raw.cors.allowHeaders !== undefined) {
      const list = raw.cors.allowHeaders;
      if (!Array.isArray(list) || list.some((h) => typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h))) {
        fail('cors.allowHeaders', 'must be an array of header names');
      }
      cors.allowHeaders = list.slice();
    }
  }

  const arnPrefix = `arn:aws:execute-api:${region}:${accountId}:${apiId}`;
  const keys = [];
  if (raw.keys !== undefined) {
    if (!Array.isArray(raw.keys)) fail('keys', `must be an array of keys, not ${kind(raw.keys)}`);
    raw.keys.forEach((key, i) => keys.push(validateKey(key, `keys[${i}]`, { accountId, arnPrefix, env, fail })));
  }
  if (!demoKey && keys.length === 0) fail('keys', 'is empty and demoKey is false: the API would accept no key; add a key or drop "demoKey": false');
  const seen = new Set();
  keys.forEach((key, i) => {
    if (seen.has(key.accessKeyId)) fail(`keys[${i}].accessKeyId`, `repeats ${key.accessKeyId}; each key needs its own id`);
    seen.add(key.accessKeyId);
  });

  // The Cognito stand-ins: the config's, or with the demo key and none given, the demo pools
  // (in the same format, through the same checks); `"cognito": false` turns them off.
  let cognito = { userPool: null, identityPool: null, authorizer: { methods: [] } };
  const rawCognito = raw.cognito === undefined && demoKey ? demoCognito(region, accountId, env) : raw.cognito;
  if (rawCognito !== undefined && rawCognito !== false) {
    const resources = [...RESOURCES, { path: '/me', methods: ['GET'] }];
    cognito = validateCognito(rawCognito, { region, accountId, env, fail, validatePolicy, arnPrefix, resources });
    cognito.demo = raw.cognito === undefined;
  }

  return { region, service: 'execute-api', stage, apiId, accountId, arnPrefix, maxClockSkewSeconds, maxBodyBytes: MAX_BODY_BYTES, demoKey, keys, cors, cognito };
}

function validateKey(key, at, { accountId, arnPrefix, env, fail }) {
  if (!isObject(key)) fail(at, `must be an object with accessKeyId and secretAccessKey, not ${kind(key)}`);
  unknownFields(key, KEY_FIELDS, `${at}.`, fail);
  if (typeof key.accessKeyId !== 'string') fail(`${at}.accessKeyId`, 'is required (a string such as "AKIAEXAMPLEREADER001")');
  checkAccessKeyId(key.accessKeyId, `${at}.accessKeyId`, null, fail);

  const secret = fromValueOrEnv(key, 'secretAccessKey', 'secretAccessKeyEnv', at, env, fail);
  if (secret === undefined) fail(`${at}.secretAccessKey`, 'is required (or secretAccessKeyEnv, the name of an environment variable holding it)');
  if (!secret) fail(`${at}.secretAccessKey`, 'is empty');
  const sessionToken = fromValueOrEnv(key, 'sessionToken', 'sessionTokenEnv', at, env, fail);
  if (sessionToken !== undefined) checkToken(sessionToken, `${at}.sessionToken`, null, fail);

  let arn;
  if (key.arn !== undefined) {
    if (typeof key.arn !== 'string' || !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(key.arn)) {
      fail(`${at}.arn`, `must be an IAM user or role ARN such as "arn:aws:iam::${accountId}:user/alice", not ${JSON.stringify(key.arn)}`);
    }
    arn = key.arn;
  }
  let user;
  if (key.user !== undefined) {
    if (typeof key.user !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(key.user)) fail(`${at}.user`, `must be an IAM user name (letters, digits and +=,.@_-), not ${JSON.stringify(key.user)}`);
    user = key.user;
  }
  if (arn && user) fail(at, 'has both user and arn; give one');
  if (!arn) arn = `arn:aws:iam::${accountId}:user/${user || key.accessKeyId}`;

  let expiration;
  if (key.expiration !== undefined) {
    expiration = typeof key.expiration === 'string' ? new Date(key.expiration) : new Date(NaN);
    if (isNaN(expiration.getTime())) fail(`${at}.expiration`, `must be an ISO 8601 time such as "2030-01-01T00:00:00Z", not ${JSON.stringify(key.expiration)}`);
  }

  const policy = key.policy === undefined ? allowAllPolicy(arnPrefix) : validatePolicy(key.policy, `${at}.policy`, fail);
  return { arn, accessKeyId: key.accessKeyId, secretAccessKey: secret, sessionToken, expiration, policy, policyGiven: key.policy !== undefined };
}

/** The policy of a key that has none: Invoke on every method and resource of the API. */
export function allowAllPolicy(arnPrefix) {
  return { statements: [{ effect: 'Allow', actions: ['execute-api:Invoke'], notAction: false, resources: [`${arnPrefix}/*`], notResource: false }] };
}

export function validatePolicy(policy, at, fail) {
  if (!isObject(policy)) fail(at, `must be an IAM policy document ({"Statement": [...]}), not ${kind(policy)}`);
  unknownFields(policy, POLICY_FIELDS, `${at}.`, fail, ' (Condition and Principal are not supported)');
  if (policy.Statement === undefined) fail(`${at}.Statement`, 'is required');
  const list = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const statements = list.map((statement, i) => {
    const where = `${at}.Statement[${i}]`;
    if (!isObject(statement)) fail(where, `must be an object, not ${kind(statement)}`);
    if (statement.Condition !== undefined) fail(`${where}.Condition`, 'is not supported by the local API; express the rule with Resource patterns');
    if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) fail(`${where}.Principal`, 'belongs in resource policies; a key\'s policy is an identity policy without Principal');
    unknownFields(statement, STATEMENT_FIELDS, `${where}.`, fail);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') fail(`${where}.Effect`, `must be "Allow" or "Deny", not ${JSON.stringify(statement.Effect)}`);
    const actionField = statement.Action !== undefined ? 'Action' : 'NotAction';
    if ((statement.Action === undefined) === (statement.NotAction === undefined)) fail(`${where}.Action`, 'is required (give Action or NotAction, not both)');
    const resourceField = statement.Resource !== undefined ? 'Resource' : 'NotResource';
    if ((statement.Resource === undefined) === (statement.NotResource === undefined)) fail(`${where}.Resource`, 'is required (give Resource or NotResource, not both)');
    const actions = stringList(statement[actionField], `${where}.${actionField}`, fail);
    actions.forEach((a, j) => {
      if (a !== '*' && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) fail(`${where}.${actionField}[${j}]`, `must be an action such as "execute-api:Invoke", not ${JSON.stringify(a)}`);
    });
    const resources = stringList(statement[resourceField], `${where}.${resourceField}`, fail);
    resources.forEach((r, j) => {
      if (r !== '*' && !r.startsWith('arn:')) fail(`${where}.${resourceField}[${j}]`, `must be "*" or an ARN such as "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/test/GET/pets", not ${JSON.stringify(r)}`);
    });
    return { effect: statement.Effect, actions, notAction: actionField === 'NotAction', resources, notResource: resourceField === 'NotResource' };
  });
  return { statements };
}

function stringList(value, at, fail) {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || !v)) {
    fail(at, 'must be a non-empty string or an array of them');
  }
  list.forEach((v, i) => {
    if (v.length > MAX_PATTERN_LENGTH) fail(`${at}[${i}]`, `is ${v.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
  });
  return list;
}

function fromValueOrEnv(object, field, envField, at, env, fail) {
  if (object[field] !== undefined && object[envField] !== undefined) fail(at, `has both ${field} and ${envField}; give one`);
  if (object[field] !== undefined) {
    if (typeof object[field] !== 'string') fail(`${at}.${field}`, `must be a string, not ${kind(object[field])}`);
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

function checkAccessKeyId(id, field, source, fail) {
  // IAM access key ids are 16 to 128 word characters.
  if (!/^\w{16,128}$/.test(id)) {
    const problem = `must be 16 to 128 letters, digits or '_' (an IAM access key id such as "AKIAIOSFODNN7EXAMPLE"), not a ${id.length}-character value`;
    if (fail) fail(field, problem);
    throw new ConfigError(`${source}: ${field} ${problem}`);
  }
}

function checkToken(token, field, source, fail) {
  if (token === undefined) return;
  // Sent as a header value, so printable ASCII only.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    const problem = 'must be printable ASCII without spaces (it is sent as a header value)';
    if (fail) fail(field, problem);
    throw new ConfigError(`${source}: ${field} ${problem}`);
  }
}

function unknownFields(object, allowed, prefix, fail, hint = '') {
  for (const name of Object.keys(object)) {
    if (!allowed.includes(name)) {
      fail(`${prefix}${name}`, `is not a known field${hint}; expected one of: ${allowed.filter((a) => !a.startsWith('$')).join(', ')}`);
    }
  }
}

function optional(raw, name, fallback, field, fail) {
  if (raw[name] === undefined) return fallback;
  if (typeof raw[name] !== 'string') fail(field, `must be a string, not ${kind(raw[name])}`);
  return raw[name];
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
