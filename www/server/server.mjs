#!/usr/bin/env node
// The signing playground and a local API that answers like an API Gateway REST API with
// AWS_IAM authorization, from one small Node server.
//
//   node www/server/server.mjs [--port N] [--host H] [--config file.json]
//
// In-process (tests): `const server = await startServer({ port: 0 }); ...; await server.close()`.

import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { authorize, gatewayError, MISSING_TOKEN, refuseBeforeBody } from './auth.mjs';
import { chunkedUpload, UPLOAD_PATH } from './chunked.mjs';
import { ConfigError, DEMO_USER, allowAllPolicy, demoCredentials, loadConfigFile, validateConfig } from './config.mjs';
import { bodyBytesRead, createStore, handle, matchResource, RESOURCES } from './petstore.mjs';
import { serveStatic, sendText } from './static.mjs';
import { authorizeToken, callerAnswer, callerName, matchCallerResource } from './cognito/caller.mjs';
import { createIdentityPool } from './cognito/identitypool.mjs';
import { handleCognito } from './cognito/routes.mjs';
import { createUserPool } from './cognito/userpool.mjs';

export { ConfigError } from './config.mjs';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
/** The most the request line and headers may take together: Node's default, 16 KiB. */
const MAX_HEADER_BYTES = 16 * 1024;
/** Bodies past the limit are read and discarded up to this size, so the client gets the 413; beyond it the connection is closed. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Starts the server. Options: `port` (default 8080; 0 picks a free one), `host` (default
 * 127.0.0.1), `config` (a config object) or `configFile` (a JSON file), `env` (for the
 * SIGV4_DEMO_* variables; default process.env), `log` (a function given one line per
 * request; default none). Resolves to `{ url, port, host, credentials, config, close() }`.
 */
export async function startServer(options = {}) {
  const env = options.env || process.env;
  const config = options.configFile ? loadConfigFile(options.configFile, env) : validateConfig(options.config || {}, 'the config', env);
  let credentials;
  if (config.demoKey) {
    const demo = demoCredentials(env);
    if (config.keys.some((k) => k.accessKeyId === demo.accessKeyId)) {
      throw new ConfigError(`the demo access key id ${demo.accessKeyId} is also in the config's keys; remove one`);
    }
    config.keys.unshift({
      arn: `arn:aws:iam::${config.accountId}:user/${DEMO_USER}`,
      accessKeyId: demo.accessKeyId,
      secretAccessKey: demo.secretAccessKey,
      sessionToken: demo.sessionToken,
      expiration: undefined,
      policy: allowAllPolicy(config.arnPrefix),
      policyGiven: false,
      demo: true,
      source: demo.source,
    });
    credentials = { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey, region: config.region, service: config.service };
    if (demo.sessionToken) credentials.sessionToken = demo.sessionToken;
  }

  const port = options.port === undefined ? DEFAULT_PORT : options.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(options.port)}`);
  const host = options.host || DEFAULT_HOST;
  const log = typeof options.log === 'function' ? options.log : () => {};
  const store = createStore();
  // The Cognito stand-ins (www/server/cognito/): the config's user pool and identity pool, or the demo ones.
  const userPool = config.cognito.userPool ? createUserPool(config.cognito.userPool) : null;
  const identityPool = config.cognito.identityPool ? createIdentityPool(config.cognito.identityPool, userPool, { allowAll: allowAllPolicy(config.arnPrefix) }) : null;
  if (identityPool) config.issuedKeys = identityPool.keys;
  const cognito = { userPool, identityPool, tokenMethods: new Map(config.cognito.authorizer.methods.map((m) => [m.method, m.scopes])) };
  const app = { config, store, log, cognito };

  // Requests without a Host header get the API's own clear 400, not Node's empty one. The
  // request line and headers are at most MAX_HEADER_BYTES (Node's default, fixed here
  // whatever --max-http-header-size says): the policy matcher's time grows with the path's length.
  const server = http.createServer({ requireHostHeader: false, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    route(app, req, res).catch((error) => {
      log(`${req.method} ${pathOf(req.url)} 500 ${error && error.message}`);
      if (!res.headersSent) sendApiError(res, app, gatewayError(500, 'InternalServerErrorException', 'Internal server error'));
      else res.destroy();
    });
  });
  server.on('clientError', (error, socket) => answerUnreadable(error, socket));
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;

  await new Promise((resolve, reject) => {
    const onError = (error) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new ConfigError(`port ${port} on ${host} is already in use; pass --port with another number, or --port 0 for a free one`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new ConfigError(`--host ${host} is not an address of this machine`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  const address = server.address();
  // A wildcard address is reached through loopback from this machine.
  const shown = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const urlHost = shown.includes(':') ? `[${shown}]` : shown;
  const url = `http://${urlHost}:${address.port}`;
  if (userPool) userPool.setServerUrl(url);
  let closed;
  return {
    url,
    port: address.port,
    host,
    credentials,
    config,
    cognito: { userPool, identityPool },
    close() {
      if (!closed) {
        closed = new Promise((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
      }
      return closed;
    },
  };
}

/** The path of a request target, for routing and logs (never the query: it may carry a session token). */
function pathOf(target) {
  let path = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

function queryOf(target) {
  const start = target.indexOf('?');
  return start === -1 ? '' : target.slice(start + 1).replace(/#.*$/, '');
}

async function route(app, req, res) {
  const path = pathOf(req.url);
  if (!req.headers.host) {
    app.log(`${req.method} ${path} 400 (no Host header)`);
    sendApiError(res, app, gatewayError(400, 'BadRequestException', 'The request has no Host header; HTTP/1.1 requires one, and SigV4 signs it.'));
    return undefined;
  }
  if (await handleCognito(app.cognito, req, res, path, app.log)) return undefined;
  const stagePrefix = `/${app.config.stage}`;
  if (path === stagePrefix || path.startsWith(`${stagePrefix}/`)) return api(app, req, res, path.slice(stagePrefix.length) || '/');
  if (path === '/demo/credentials') return demoCredentialsEndpoint(app, req, res);
  if (path === '/demo/api') return demoApiEndpoint(app, req, res);
  if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(req, res, path))) return undefined;
  app.log(`${req.method} ${path} 404`);
  sendText(res, 404, `Not found: ${path}\nThe playground is at /, the API under /${app.config.stage}/ (try /${app.config.stage}/pets).\n`);
  return undefined;
}

/** Headers every API Gateway response carries, plus CORS as "Enable CORS" configures it. */
function apiHeaders(app) {
  return {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': randomUUID(),
    'x-amz-apigw-id': randomBytes(12).toString('base64').replace(/[+/=]/g, 'A').slice(0, 16),
    'Access-Control-Allow-Origin': app.config.cors.allowOrigin,
    // Not part of API Gateway's CORS setup: lets a playground on another origin read the error type.
    'Access-Control-Expose-Headers': 'x-amzn-ErrorType,x-amzn-RequestId,x-amz-apigw-id,X-Local-Caller',
  };
}

function sendJson(res, app, status, body, extra = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...apiHeaders(app), 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function sendApiError(res, app, error, extra = {}) {
  sendJson(res, app, error.status, error.body, { ...(error.errorType ? { 'x-amzn-ErrorType': error.errorType } : {}), ...extra });
}

async function api(app, req, res, resourcePath) {
  const { config } = app;
  // /whoami (AWS_IAM) and, with a user pool, /me (its authorizer): who called (cognito/caller.mjs).
  const match = matchResource(resourcePath) || (resourcePath !== '/me' || app.cognito.userPool ? matchCallerResource(resourcePath) : null);
  const presigned = /(^|&)X-Amz-Algorithm=/.test(queryOf(req.url));
  const logLine = (status, what = '') => app.log(`${req.method} /${config.stage}${resourcePath}${presigned ? ' (presigned)' : ''} ${status}${what ? ` ${what}` : ''}`);

  // The CORS preflight: an OPTIONS method without authorization on every resource.
  if (req.method === 'OPTIONS' && match) {
    res.writeHead(200, {
      ...apiHeaders(app),
      'Access-Control-Allow-Methods': [...match.resource.methods, 'OPTIONS'].join(','),
      'Access-Control-Allow-Headers': config.cors.allowHeaders.join(','),
      'Content-Length': 2,
    });
    res.end('{}');
    logLine(200, 'preflight');
    return;
  }
  // aws-chunked uploads (chunked.mjs): verified chunk by chunk as the body streams in.
  if (!match && UPLOAD_PATH.test(resourcePath)) {
    const received = { method: req.method, url: req.url, headers: headerPairs(req) };
    const send = (answer, extra = {}) => sendApiError(res, app, answer, extra);
    logLine(...(await chunkedUpload(req, received, resourcePath, config, send).then((what) => [res.statusCode, what])));
    return;
  }
  // A resource or method the API does not have: API Gateway answers before looking at the signature.
  if (!match || !match.resource.methods.includes(req.method)) {
    sendApiError(res, app, MISSING_TOKEN);
    logLine(403, 'MissingAuthenticationTokenException (no such resource or method)');
    return;
  }

  // Methods behind the COGNITO_USER_POOLS authorizer take a token instead of a signature.
  let caller;
  const byToken = app.cognito.userPool && app.cognito.tokenMethods.has(`${req.method} ${match.resource.path}`);
  if (byToken) {
    const outcome = authorizeToken(app.cognito.userPool, req.headers.authorization, app.cognito.tokenMethods.get(`${req.method} ${match.resource.path}`));
    if (!outcome.ok) {
      sendApiError(res, app, outcome, hasBody(req) ? { Connection: 'close' } : {});
      logLine(outcome.status, `${outcome.errorType} (user pool authorizer)`);
      return;
    }
    caller = { claims: outcome.claims };
  }

  const received = { method: req.method, url: req.url, headers: headerPairs(req) };
  // A body declared over the limit gets the 413 below whatever its signature, as API Gateway
  // answers. Any other request that has a body and that its headers alone refuse (no
  // signature, a malformed one, an unknown key, ...) is answered before the body is read, so
  // a client without a key cannot make the server take in 10 MB: Node answers such a request
  // with Connection: close and reads no more of it.
  if (!byToken && hasBody(req) && !(declaredLength(req) > config.maxBodyBytes)) {
    const refused = refuseBeforeBody(received, config);
    if (refused) {
      sendApiError(res, app, refused);
      logLine(refused.status, `${refused.errorType} (before the body)`);
      return;
    }
  }

  const body = await readBody(req, config.maxBodyBytes, bodyBytesRead(req.method, match));
  if (body.tooLarge) {
    const error = gatewayError(
      413,
      // API Gateway's REQUEST_TOO_LARGE gateway response; its error type header is not documented, so none is sent.
      undefined,
      `Request Too Long: the body is ${body.size > DRAIN_LIMIT ? 'more than 64 MB' : `${body.size} bytes`}; API Gateway accepts at most ${config.maxBodyBytes} bytes (10 MB)`,
    );
    sendApiError(res, app, error, body.drained ? {} : { Connection: 'close' });
    logLine(413, 'Request Too Long');
    return;
  }

  if (!byToken) {
    const outcome = authorize({ ...received, bodySha256: body.sha256 }, match.path, config);
    if (!outcome.ok) {
      sendApiError(res, app, outcome);
      logLine(outcome.status, outcome.errorType);
      return;
    }
    caller = { key: outcome.key };
  }
  const query = new URLSearchParams(queryOf(req.url));
  const answer = matchCallerResource(match.resource.path) ? callerAnswer(config, req, match, caller) : handle(app.store, req.method, match, query, body, config.stage);
  // Who called, on every answer (the Lambda proxy's requestContext, in one line): an ARN or the token's user.
  const name = callerName(caller);
  // A header value is Latin-1: a user name outside printable ASCII is sent percent-encoded.
  sendJson(res, app, answer.status, answer.body, { 'X-Local-Caller': name.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c)) });
  logLine(answer.status, `(${caller.key ? name.replace(/^.*:/, '') : name})`);
}

/** Every header as received, in order, repeats kept: what the signature covers. */
function headerPairs(req) {
  const headers = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return headers;
}

function declaredLength(req) {
  return Number(req.headers['content-length'] || 0);
}

function hasBody(req) {
  return req.headers['transfer-encoding'] !== undefined || declaredLength(req) > 0;
}

/**
 * Reads the body as it arrives and holds none of it: its size, its SHA-256 (what verify
 * checks the signature against) and, when it is at most `keep` bytes, the bytes, for a
 * handler that parses them. A body over `limit` (as declared or as counted) is counted and
 * discarded up to DRAIN_LIMIT, so that the client, still sending, reads the 413; past that
 * the connection is closed after the answer.
 */
function readBody(req, limit, keep) {
  const declared = declaredLength(req);
  if (declared > DRAIN_LIMIT) return Promise.resolve({ tooLarge: true, size: declared, drained: false });
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const kept = [];
    let size = 0;
    let settled = false;
    const settle = (result) => {
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk) => {
      if (settled) return;
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        req.pause();
        settle({ tooLarge: true, size, drained: false });
      } else if (Math.max(size, declared) <= limit) {
        hash.update(chunk);
        if (size <= keep) kept.push(chunk);
        else kept.length = 0;
      }
    });
    req.on('end', () => {
      if (settled) return;
      if (Math.max(size, declared) > limit) settle({ tooLarge: true, size, drained: true });
      else settle({ tooLarge: false, size, sha256: hash.digest('hex'), bytes: size <= keep ? Buffer.concat(kept, size) : null });
    });
    req.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
  });
}

/** Loopback peers only: the page of this machine, not another machine on the network. */
function fromLoopback(req) {
  const address = req.socket.remoteAddress || '';
  const hostname = (req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
  const loopbackHost = hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  const loopbackPeer = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  // A page on another site cannot read this answer (no CORS headers), and the Host check
  // turns away DNS-rebinding pages that reach 127.0.0.1 under their own name.
  return loopbackPeer && loopbackHost && req.headers['sec-fetch-site'] !== 'cross-site';
}

function demoCredentialsEndpoint(app, req, res) {
  const { config } = app;
  const noStore = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (req.method !== 'GET') {
    sendText(res, 405, 'Use GET.\n');
    return;
  }
  if (!fromLoopback(req)) {
    app.log('GET /demo/credentials 403 (not from loopback)');
    const text = JSON.stringify({ message: 'The demo credentials are only given to pages loaded from this machine, at http://127.0.0.1 or http://localhost.' });
    res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...noStore });
    res.end(text);
    return;
  }
  const keys = config.keys.map((key) => ({
    label: key.demo ? `${DEMO_USER} (demo key: every method and resource)` : `${key.arn.replace(/^.*?:(user|assumed-role|role)\//, '')}${key.policyGiven ? ' (its own policy)' : ''}`,
    arn: key.arn,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
  }));
  const text = JSON.stringify({
    region: config.region,
    service: config.service,
    endpoint: `http://${req.headers.host}/${config.stage}/pets`,
    keys,
    ...(app.cognito.userPool ? { cognito: cognitoDemo(app, `http://${req.headers.host}`) } : {}),
  });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...noStore });
  res.end(text);
  app.log('GET /demo/credentials 200');
}

/** The Cognito part of /demo/credentials: what a page needs to sign in with the local pools (loopback only, like the keys). */
function cognitoDemo(app, base) {
  const { userPool, identityPool } = app.cognito;
  return {
    userPoolId: userPool.id,
    issuer: userPool.issuer,
    users: userPool.pool.users.map((u) => ({ username: u.username, password: u.password, ...(u.email ? { email: u.email } : {}) })),
    clients: [...userPool.clients.values()].map((c) => ({
      name: c.name,
      clientId: c.clientId,
      ...(c.clientSecret !== undefined ? { clientSecret: c.clientSecret } : {}),
      callbackUrls: c.callbackUrls,
      allowedOAuthFlows: c.allowedOAuthFlows,
      allowedOAuthScopes: c.allowedOAuthScopes,
      explicitAuthFlows: c.explicitAuthFlows,
    })),
    ...(identityPool ? { identityPoolId: identityPool.id, roleArn: identityPool.pool.roleArn } : {}),
    endpoints: {
      cognitoIdp: `${base}/cognito-idp/`,
      cognitoIdentity: `${base}/cognito-identity/`,
      authorize: `${base}/oauth2/authorize`,
      token: `${base}/oauth2/token`,
      jwks: `${base}/${userPool.id}/.well-known/jwks.json`,
    },
    tokenAuthorized: app.config.cognito.authorizer.methods,
  };
}

/** The Cognito part of /demo/api: ids and endpoints, no passwords or secrets. */
function publicCognito(demo) {
  return {
    ...demo,
    users: demo.users.map((u) => ({ username: u.username })),
    clients: demo.clients.map(({ clientSecret, ...client }) => ({ ...client, confidential: clientSecret !== undefined })),
  };
}

function demoApiEndpoint(app, req, res) {
  const { config } = app;
  const base = `http://${req.headers.host || 'localhost'}/${config.stage}`;
  sendJson(res, app, 200, {
    name: 'PetStore',
    authorizationType: 'AWS_IAM',
    region: config.region,
    service: config.service,
    stage: config.stage,
    apiId: config.apiId,
    accountId: config.accountId,
    invokeUrl: base,
    resources: RESOURCES.map((r) => ({ path: r.path, methods: r.methods, arn: `${config.arnPrefix}/${config.stage}/{METHOD}/${r.path.slice(1)}` })),
    keys: config.keys.map((k) => ({ arn: k.arn, accessKeyId: k.accessKeyId, sessionTokenRequired: !!k.sessionToken })),
    ...(app.cognito.userPool ? { cognito: publicCognito(cognitoDemo(app, `http://${req.headers.host || 'localhost'}`)) } : {}),
  });
}

/** A request Node's HTTP parser refused (bytes that are not allowed in a URL, oversized headers): a clear 400, not a dropped connection. */
function answerUnreadable(error, socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const reason = (error.reason || error.message || 'malformed request').replace(/^Parse Error: /, '');
  const body = JSON.stringify({ message: `The request could not be read: ${reason} (${error.code || 'parse error'})` });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-amzn-ErrorType: BadRequestException\r\nConnection: close\r\n\r\n${body}`,
  );
}

const USAGE = `Usage: node www/server/server.mjs [--port N] [--host H] [--config file.json]

  --port N       the port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host H       the address to listen on (default ${DEFAULT_HOST}, this machine only)
  --config F     a JSON config file: keys with IAM-style policies, stage, ids (see www/server/example-config.json)
  --quiet        no line per request

Environment: SIGV4_DEMO_ACCESS_KEY_ID and SIGV4_DEMO_SECRET_ACCESS_KEY (and optionally
SIGV4_DEMO_SESSION_TOKEN) set the demo key instead of generating one; SIGV4_DEMO_USER_PASSWORD
sets the demo user pool's user's password.
`;

/** Parses the command line; throws ConfigError naming the bad argument. */
export function parseArgs(argv) {
  const options = { port: DEFAULT_PORT, host: DEFAULT_HOST, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const needValue = () => {
      if (value === undefined) value = argv[++i];
      if (value === undefined || value === '') throw new ConfigError(`${flag} needs a value\n\n${USAGE}`);
      return value;
    };
    if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--quiet') options.quiet = true;
    else if (flag === '--port') {
      const text = needValue();
      if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new ConfigError(`--port must be a whole number from 0 to 65535, not '${text}'`);
      options.port = Number(text);
    } else if (flag === '--host') options.host = needValue();
    else if (flag === '--config') options.configFile = needValue();
    else throw new ConfigError(`unknown argument '${argv[i]}'\n\n${USAGE}`);
  }
  return options;
}

function banner(server, options) {
  const { config, credentials, url } = server;
  const lines = ['', 'sigv4-wasm: signing playground and local IAM-authorized API', '', `  Playground   ${url}/`];
  lines.push(`  API          ${url}/${config.stage}/pets   (API Gateway REST API, AWS_IAM, ${config.region}, ${config.service})`);
  const demo = config.keys.find((k) => k.demo);
  if (credentials) {
    lines.push('', `  Demo credentials (${demo.source === 'environment' ? 'from SIGV4_DEMO_*' : 'generated for this run; shown only here and to the playground'}):`);
    lines.push(`    access key id       ${credentials.accessKeyId}`);
    if (demo.source === 'generated') lines.push(`    secret access key   ${credentials.secretAccessKey}`);
    else lines.push('    secret access key   (from SIGV4_DEMO_SECRET_ACCESS_KEY)');
    if (credentials.sessionToken) lines.push('    session token       (from SIGV4_DEMO_SESSION_TOKEN)');
  }
  for (const key of config.keys.filter((k) => !k.demo)) lines.push(`  Key from the config: ${key.accessKeyId}  ${key.arn}`);
  lines.push(...cognitoBanner(server));
  lines.push('', '  Try it:');
  lines.push(`    curl -i ${url}/${config.stage}/pets        # 403 Missing Authentication Token`);
  if (credentials && !credentials.sessionToken) {
    const secret = demo.source === 'generated' ? credentials.secretAccessKey : '$SIGV4_DEMO_SECRET_ACCESS_KEY';
    lines.push(`    curl -i --aws-sigv4 "aws:amz:${config.region}:${config.service}" --user '${credentials.accessKeyId}:${secret}' ${url}/${config.stage}/pets`);
  }
  if (!/^(127\.|localhost$|::1$|\[::1\]$)/.test(options.host)) {
    lines.push('', `  Listening on ${options.host}: other machines can reach the page and the API. The demo credentials are still only given to loopback.`);
  }
  lines.push('', '  Ctrl+C stops the server.', '');
  return lines.join('\n');
}

/** The Cognito stand-ins' lines of the banner: pools, users, clients, endpoints (the demo pool's passwords and secrets too: made for this run). */
function cognitoBanner(server) {
  const { config, url } = server;
  const { userPool, identityPool } = server.cognito;
  if (!userPool) return [];
  const demo = config.cognito.demo;
  const pad = (label) => `    ${label.padEnd(20)}`;
  const lines = ['', `  Cognito stand-ins (${demo ? 'the demo pools, made for this run' : 'from the config'}):`];
  lines.push(`${pad('user pool')}${userPool.id}   issuer ${userPool.issuer}`);
  for (const user of userPool.pool.users) lines.push(`${pad('user')}${user.username}${user.email ? ` (${user.email})` : ''}${demo ? `   password ${user.passwordFromEnv ? '(from SIGV4_DEMO_USER_PASSWORD)' : user.password}` : ''}`);
  for (const client of userPool.clients.values()) {
    const flows = [...client.allowedOAuthFlows.map((f) => (f === 'code' ? 'code + PKCE' : f)), ...client.explicitAuthFlows.map((f) => f.replace(/_AUTH$/, ''))].join(', ');
    lines.push(`${pad('app client')}${client.clientId}${client.clientSecret !== undefined ? (demo ? `   secret ${client.clientSecret}` : '   (with a secret)') : '   (public)'}   ${flows}`);
  }
  if (identityPool) lines.push(`${pad('identity pool')}${identityPool.id}   role ${identityPool.pool.roleArn}`);
  lines.push(`${pad('cognito-idp')}POST ${url}/cognito-idp/     cognito-identity  POST ${url}/cognito-identity/`);
  lines.push(`${pad('hosted login')}${url}/oauth2/authorize   token ${url}/oauth2/token`);
  lines.push(`${pad('JWKS')}${url}/${userPool.id}/.well-known/jwks.json`);
  for (const { method, scopes } of config.cognito.authorizer.methods) {
    lines.push(`${pad('token-authorized')}${method.replace(' /', ` /${config.stage}/`)}   (${scopes.length ? `an access token with ${scopes.join(' or ')}` : 'an ID token'} in Authorization)`);
  }
  return lines;
}

async function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let server;
  try {
    server = await startServer({
      port: options.port,
      host: options.host,
      configFile: options.configFile,
      log: options.quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  process.stdout.write(banner(server, options) + '\n');
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}
