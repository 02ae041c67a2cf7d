// AWS STS as credentials providers (issue 13): assumeRole, getSessionToken and
// assumeRoleWithWebIdentity each return a function that fetches temporary credentials,
// `() => Promise<{ accessKeyId, secretAccessKey, sessionToken, expiration }>`, for AwsClient's
// `credentials` or cacheCredentials (which refresh them ahead of expiry).
//
// The Query API: a form-encoded POST of Action=...&Version=2011-06-15 to the regional endpoint,
// signed by this package's signer (service `sts`); AssumeRoleWithWebIdentity is sent unsigned,
// as AWS's SDKs send it (the token is the authentication). The XML answer is read by a small,
// strict parser (readXml) that takes only what STS sends: elements and text, no DTD, no entity
// but the five predefined and character references, bounded in size and depth. A call STS
// refuses rejects with a SigV4Error STS_ERROR whose `stsCode` is STS's (AccessDenied,
// ExpiredToken...) and whose message says what to fix; the secret key and the session token
// are never in a message. Written without `class` or async functions, as the rest of the package.

import { SigV4Error } from './errors.js';
import { typeError } from './api.js';

const VERSION = '2011-06-15';
/** The longest answer read (bytes of text): STS's are under 4 KB, with a session policy 10. */
const MAX_ANSWER = 64 * 1024;
const MAX_DEPTH = 16;
const MAX_TAG = 1024;

/** `value`, a non-empty string option (oauth.js checks its options with it too). */
export function text(value, name) {
  if (typeof value !== 'string' || value === '') throw typeError(`${name} must be a non-empty string`);
  return value;
}

/** RFC 3986 percent-encoding of everything but unreserved characters: valid form encoding. */
export function formEncode(params) {
  return Object.keys(params).map((name) => `${encode(name)}=${encode(params[name])}`).join('&');
}
function encode(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** What `value` (a value, or a function returning one, sync or async) is now. */
function resolve(value) {
  return Promise.resolve().then(() => (typeof value === 'function' ? value() : value));
}

// ---------------------------------------------------------------------------------------------
// The XML reader

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function malformed(what) {
  return new Error(`not the XML STS sends (${what})`);
}

function unescapeXml(raw) {
  return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});|&/g, (all, name) => {
    if (name === undefined) throw malformed('a bare &');
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    const code = name[0] !== '#' ? NaN : name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    if (!(code >= 0 && code <= 0x10ffff)) throw malformed(`the entity ${all}`);
    return String.fromCodePoint(code);
  });
}

/**
 * An XML document as a tree of `{ name, children, text }` (attributes read and dropped,
 * namespaces kept in the name as written, mixed content's text joined). Throws on anything
 * else: a DOCTYPE, a processing instruction but the declaration, a tag left open or closed out
 * of order, text outside the root, more than MAX_DEPTH levels.
 */
export function readXml(xml) {
  if (xml.length > MAX_ANSWER) throw malformed(`more than ${MAX_ANSWER} characters`);
  const root = { name: '', children: [], text: '' };
  const open = [root];
  let at = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const declaration = /^<\?xml[^?]*\?>/.exec(xml.slice(at, at + 200));
  if (declaration) at += declaration[0].length;
  // A tag, at the start of the text it is tried on (tags longer than MAX_TAG are refused).
  const tag = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const chunk = xml.slice(at, lt < 0 ? xml.length : lt);
    if (chunk) {
      if (open.length === 1) {
        if (/\S/.test(chunk)) throw malformed('text outside the root element');
      } else {
        open[open.length - 1].text += unescapeXml(chunk);
      }
    }
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw malformed('an unterminated comment');
      at = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt) && open.length > 1) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) throw malformed('an unterminated CDATA section');
      open[open.length - 1].text += xml.slice(lt + 9, end);
      at = end + 3;
      continue;
    }
    const m = tag.exec(xml.slice(lt, lt + MAX_TAG));
    if (!m) throw malformed(`an unexpected '${xml.slice(lt, lt + 12)}'`);
    at = lt + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (open.length === 1 || open[open.length - 1].name !== name || selfClosing) throw malformed(`</${name}> closes nothing open`);
      open.pop();
      if (open.length === 1) return rootOf(root, xml.slice(at));
      continue;
    }
    if (open.length === 1 && root.children.length) throw malformed('a second root element');
    const element = { name, children: [], text: '' };
    open[open.length - 1].children.push(element);
    if (!selfClosing) {
      if (open.length > MAX_DEPTH) throw malformed(`more than ${MAX_DEPTH} levels`);
      open.push(element);
    } else if (open.length === 1) {
      return rootOf(root, xml.slice(at));
    }
  }
  throw malformed(open.length > 1 ? `<${open[open.length - 1].name}> is never closed` : 'no root element');
}

/** The root element, once it is closed and only space and comments follow. */
function rootOf(root, rest) {
  if (/\S/.test(rest.replace(/<!--[\s\S]*?-->/g, ''))) throw malformed('content after the root element');
  return root.children[0];
}

/** The element at `path` (names, each child of the one before) under `element`, or undefined. */
function find(element, path) {
  let at = element;
  for (let i = 0; i < path.length && at; i++) {
    const name = path[i];
    at = at.children.filter((child) => child.name === name)[0];
  }
  return at;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** What to do about an STS error code. */
const ADVICE = {
  AccessDenied: 'check that the role\'s trust policy lets these credentials assume it (and the external id, MFA device and code, if it asks for them), and that their identity policy allows sts:AssumeRole on the role',
  ExpiredToken: 'the credentials that signed the call have expired: refresh them (cacheCredentials does, ahead of expiry)',
  ExpiredTokenException: 'the web identity token has expired: pass a fresh one (webIdentityToken may be a function returning the current token)',
  InvalidClientTokenId: 'check the access key id (and the session token, for temporary credentials) that signed the call',
  SignatureDoesNotMatch: 'check the secret access key that signed the call',
  InvalidIdentityToken: 'the web identity token was refused: check its issuer is an IAM OIDC provider that the role trusts, and its audience',
  IDPRejectedClaim: 'the identity provider rejected the token\'s claims: check the role\'s trust policy conditions (aud, sub)',
  IDPCommunicationError: 'STS could not reach the identity provider to check the token: try again',
  MalformedPolicyDocument: 'the session policy is not a valid IAM policy document',
  PackedPolicyTooLarge: 'the session policy (with the session tags) is too large: make it smaller',
  RegionDisabledException: 'STS is not activated in this region for the account: pick another region, or activate it in IAM',
  ValidationError: 'a parameter is out of range (durationSeconds 900 to 43200 and at most the role\'s maximum; roleSessionName 2 to 64 of [\\w+=,.@-]; tokenCode six digits)',
};

function stsError(action, status, code, message) {
  const advice = ADVICE[code];
  const error = SigV4Error('STS_ERROR', `sigv4-wasm: STS ${action} failed: ${code || `HTTP ${status}`}${message ? `: ${message}` : ''}${advice ? ` (${advice})` : ''}`);
  error.stsCode = code;
  error.status = status;
  return error;
}

// ---------------------------------------------------------------------------------------------
// Calls

export function createSts(sign) {
  /** Where and how a call goes: { url, region }. */
  function endpointOf(o) {
    const region = o.region === undefined ? 'us-east-1' : text(o.region, 'region');
    return { url: o.endpoint === undefined ? `https://sts.${region}.amazonaws.com/` : text(o.endpoint, 'endpoint'), region };
  }

  /**
   * Sends Action with params, signed with `credentials` (a value, or undefined: unsigned), and
   * resolves to the credentials in the answer's `<Action>Result`.
   */
  function call(o, action, params, credentials) {
    const send = o.fetch || (typeof fetch === 'function' ? fetch : undefined);
    if (typeof send !== 'function') return Promise.reject(typeError('no fetch in this runtime; pass the fetch option'));
    const { url, region } = endpointOf(o);
    const body = formEncode(Object.assign({ Action: action, Version: VERSION }, params));
    let headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    if (credentials) {
      const options = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, region, service: 'sts' };
      if (credentials.sessionToken) options.sessionToken = credentials.sessionToken;
      if (o.now) options.datetime = new Date(o.now());
      headers = Object.assign({}, sign({ method: 'POST', url, headers, body }, options).headers);
      delete headers.host; // fetch sets it
    }
    return Promise.resolve(send(url, { method: 'POST', headers, body })).then((response) => response.text().then((answer) => {
      let tree;
      try {
        tree = readXml(String(answer));
      } catch (error) {
        throw stsError(action, response.status, undefined, `the answer is ${error.message}`);
      }
      if (response.status < 200 || response.status >= 300 || tree.name !== `${action}Response`) {
        // STS: <ErrorResponse><Error>; some stand-ins (moto) wrap it in <Errors> as EC2 does.
        const e = find(tree, ['Error']) || find(tree, ['Errors', 'Error']) || tree;
        const code = find(e, ['Code']);
        const message = find(e, ['Message']);
        throw stsError(action, response.status, code ? code.text.trim() : undefined, message ? message.text.trim() : undefined);
      }
      const result = find(tree, [`${action}Result`]);
      const field = (name) => {
        const element = result && find(result, ['Credentials', name]);
        if (!element || !element.text.trim()) throw stsError(action, response.status, undefined, `the answer has no Credentials/${name}`);
        return element.text.trim();
      };
      const expiration = new Date(Date.parse(field('Expiration')));
      if (isNaN(expiration.getTime())) throw stsError(action, response.status, undefined, 'the answer\'s Expiration is not a date');
      const credentialsOut = { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken'), expiration };
      const arn = result && find(result, ['AssumedRoleUser', 'Arn']);
      // Who the credentials are, not enumerable: cacheCredentials and AwsClient copy only the keys.
      if (arn) Object.defineProperty(credentialsOut, 'assumedRoleArn', { value: arn.text.trim() });
      return credentialsOut;
    }));
  }

  /** The caller's credentials now: a value, or a provider's (sync or async). */
  function sourceCredentials(o) {
    return resolve(o.credentials).then((c) => {
      if (!c || typeof c !== 'object' || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') {
        throw typeError('credentials must be { accessKeyId, secretAccessKey, sessionToken? } or a function returning them (the long-term or temporary keys that call STS)');
      }
      return c;
    });
  }

  /**
   * The parameters every call of a provider sends (DurationSeconds, Policy, PolicyArns,
   * SerialNumber), checked once, when the provider is made: a mistake throws there.
   */
  function fixedParams(o, params) {
    if (o.durationSeconds !== undefined) {
      if (typeof o.durationSeconds !== 'number' || Math.floor(o.durationSeconds) !== o.durationSeconds || o.durationSeconds < 900 || o.durationSeconds > 129600) {
        throw typeError('durationSeconds must be a whole number of seconds from 900 (15 minutes) up to the role\'s maximum session duration');
      }
      params.DurationSeconds = String(o.durationSeconds);
    }
    if (o.policy !== undefined) params.Policy = typeof o.policy === 'string' ? o.policy : JSON.stringify(o.policy);
    if (o.policyArns !== undefined) {
      if (!Array.isArray(o.policyArns)) throw typeError('policyArns must be an array of managed policy ARNs');
      o.policyArns.forEach((arn, i) => {
        params[`PolicyArns.member.${i + 1}.arn`] = text(arn, `policyArns[${i}]`);
      });
    }
    if (o.serialNumber !== undefined) {
      params.SerialNumber = text(o.serialNumber, 'serialNumber');
      if (o.tokenCode === undefined) throw typeError('serialNumber needs tokenCode: the MFA device\'s current code, or a function returning it');
    } else if (o.tokenCode !== undefined) {
      throw typeError('tokenCode needs serialNumber: the ARN (or serial number) of the MFA device');
    }
    if (o.region !== undefined) text(o.region, 'region');
    if (o.endpoint !== undefined) text(o.endpoint, 'endpoint');
    return params;
  }

  /** `fixed` with the MFA code of this call, if the provider takes one: a code is good once, so a function is asked at every refresh. */
  function withCode(o, fixed) {
    const params = Object.assign({}, fixed);
    if (o.serialNumber === undefined) return Promise.resolve(params);
    return resolve(o.tokenCode).then((code) => {
      if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) {
        throw typeError('tokenCode must be the MFA device\'s current six-digit code, or a function returning it (asked at every refresh)');
      }
      params.TokenCode = code;
      return params;
    });
  }

  function sessionName(o) {
    const name = text(o.roleSessionName, 'roleSessionName');
    if (!/^[\w+=,.@-]{2,64}$/.test(name)) throw typeError('roleSessionName must be 2 to 64 characters of letters, digits and +=,.@_-');
    return name;
  }

  function needCredentials(o, what) {
    const c = o.credentials;
    if (c === undefined || c === null || (typeof c !== 'function' && typeof c !== 'object')) {
      throw typeError(`credentials (a value or a provider) are required: ${what}`);
    }
  }

  /** AssumeRole, signed with `credentials`: a provider of the role's temporary credentials. */
  function assumeRole(o) {
    o = o || {};
    needCredentials(o, 'the keys that call AssumeRole');
    const fixed = { RoleArn: text(o.roleArn, 'roleArn'), RoleSessionName: sessionName(o) };
    if (o.externalId !== undefined) fixed.ExternalId = text(o.externalId, 'externalId');
    fixedParams(o, fixed);
    return function provider() {
      return Promise.all([withCode(o, fixed), sourceCredentials(o)])
        .then(([params, credentials]) => call(o, 'AssumeRole', params, credentials));
    };
  }

  /** GetSessionToken, signed with long-term `credentials` (with MFA: serialNumber, tokenCode). */
  function getSessionToken(o) {
    o = o || {};
    needCredentials(o, 'the IAM user\'s long-term keys');
    const fixed = fixedParams(o, {});
    return function provider() {
      return Promise.all([withCode(o, fixed), sourceCredentials(o)])
        .then(([params, credentials]) => call(o, 'GetSessionToken', params, credentials));
    };
  }

  /** AssumeRoleWithWebIdentity, unsigned: `webIdentityToken` (a string, or a function returning the current one) is the proof. */
  function assumeRoleWithWebIdentity(o) {
    o = o || {};
    if (o.serialNumber !== undefined || o.tokenCode !== undefined) throw typeError('AssumeRoleWithWebIdentity takes no MFA (serialNumber, tokenCode)');
    if (typeof o.webIdentityToken !== 'function') text(o.webIdentityToken, 'webIdentityToken (an OIDC ID token or OAuth 2.0 access token, or a function returning the current one)');
    const fixed = { RoleArn: text(o.roleArn, 'roleArn'), RoleSessionName: sessionName(o) };
    if (o.providerId !== undefined) fixed.ProviderId = text(o.providerId, 'providerId');
    fixedParams(o, fixed);
    return function provider() {
      return resolve(o.webIdentityToken).then((token) => {
        const params = Object.assign({}, fixed, { WebIdentityToken: text(token, 'webIdentityToken') });
        return call(o, 'AssumeRoleWithWebIdentity', params, undefined);
      });
    };
  }

  return { assumeRole, getSessionToken, assumeRoleWithWebIdentity };
}
