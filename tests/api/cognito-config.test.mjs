// The Cognito section of the local API's config (www/server/cognito/config.mjs): the demo
// pools that come with the demo key, the example config's pools, the errors that name the
// field, and what /demo/credentials and the banner give.
//
//   node --test tests/api/cognito-config.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as cognito from 'sigv4-wasm/cognito';
import { ConfigError, startServer } from '../../www/server/server.mjs';
import { validateConfig } from '../../www/server/config.mjs';

const EXAMPLE = fileURLToPath(new URL('../../www/server/example-config.json', import.meta.url));
const SERVER = fileURLToPath(new URL('../../www/server/server.mjs', import.meta.url));

const pool = (changes = {}) => ({
  id: 'us-east-1_Pool1',
  users: [{ username: 'alice', password: 'pw-alice-1' }],
  clients: [{ clientId: 'client0001', explicitAuthFlows: ['USER_SRP_AUTH'] }],
  ...changes,
});

test('the demo key comes with demo pools, in the config\'s format; "cognito": false or no demo key turns them off', () => {
  const config = validateConfig({}, 'the config', {});
  assert.equal(config.cognito.demo, true);
  assert.equal(config.cognito.userPool.id, 'us-east-1_sigv4Demo');
  assert.equal(config.cognito.userPool.users[0].username, 'demo');
  assert.match(config.cognito.userPool.users[0].password, /^Demo-[A-Za-z0-9_-]{12}1!$/);
  assert.deepEqual(config.cognito.userPool.clients.map((c) => [c.clientId, c.clientSecret !== undefined]), [
    ['sigv4demopublicclient00001', false], ['sigv4democonfidential00001', true], ['sigv4demomachine0000000001', true],
  ]);
  assert.notEqual(validateConfig({}, 'c', {}).cognito.userPool.users[0].password, config.cognito.userPool.users[0].password, 'a password per run');
  assert.match(config.cognito.identityPool.id, /^us-east-1:/);
  assert.deepEqual(config.cognito.authorizer.methods, [{ method: 'GET /me', scopes: [] }]);
  assert.equal(validateConfig({ region: 'eu-west-1' }, 'c', {}).cognito.userPool.id, 'eu-west-1_sigv4Demo');
  assert.equal(validateConfig({ cognito: false }, 'c', {}).cognito.userPool, null);
  assert.equal(validateConfig({ demoKey: false, keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's' }] }, 'c', {}).cognito.userPool, null);
});

test('config errors name the field and say what to write', () => {
  const cases = [
    [{ cognito: [] }, /cognito must be an object/],
    [{ cognito: { userpool: {} } }, /cognito\.userpool is not a known field; expected one of: userPool, identityPool, authorizer/],
    [{ cognito: { userPool: pool({ id: 'eu-west-1_Pool1' }) } }, /cognito\.userPool\.id must start with the config's region "us-east-1_"/],
    [{ cognito: { userPool: pool({ id: 'Pool1' }) } }, /cognito\.userPool\.id must be a user pool id such as "us-east-1_LocalPool1"/],
    [{ cognito: { userPool: pool({ users: [] }) } }, /cognito\.userPool\.users must be a non-empty array/],
    [{ cognito: { userPool: pool({ users: [{ username: 'a b', password: 'x' }] }) } }, /users\[0\]\.username must be 1 to 128/],
    [{ cognito: { userPool: pool({ users: [{ username: 'alice' }] }) } }, /users\[0\]\.password is required \(or passwordEnv/],
    [{ cognito: { userPool: pool({ users: [{ username: 'alice', passwordEnv: 'NOPE_NOT_SET' }] }) } }, /users\[0\]\.passwordEnv names NOPE_NOT_SET, which is not set/],
    [{ cognito: { userPool: pool({ users: [{ username: 'alice', password: 'x' }, { username: 'ALICE', password: 'y' }] }) } }, /users\[1\]\.username repeats "ALICE"/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'bad id' }] }) } }, /clients\[0\]\.clientId must be 1 to 128 letters/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', explicitAuthFlows: ['CUSTOM_AUTH'] }] }) } }, /clients\[0\]\.explicitAuthFlows\[0\] must be one of USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH; not "CUSTOM_AUTH"/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['code'] }] }) } }, /clients\[0\]\.callbackUrls needs at least one URL for the code flow/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['code'], callbackUrls: ['http://example.com/cb'] }] }) } }, /callbackUrls\[0\] must be https, or http on localhost/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['code'], callbackUrls: ['https://example.com/cb#x'] }] }) } }, /callbackUrls\[0\] must not have a fragment/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['code'], callbackUrls: ['javascript:alert(1)'] }] }) } }, /callbackUrls\[0\] must not be a javascript: URL/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['code'], callbackUrls: ['https://example.com/café'] }] }) } }, /callbackUrls\[0\] must be a URL in printable ASCII/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', clientSecret: 'secret-123', allowedOAuthFlows: ['client_credentials', 'code'], callbackUrls: ['https://a.example/'] }] }) } }, /cannot have both client_credentials and code/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthFlows: ['client_credentials'], allowedOAuthScopes: ['a/b'] }] }) } }, /clients\[0\]\.clientSecret is required for the client_credentials flow/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1', allowedOAuthScopes: ['admin'] }] }) } }, /allowedOAuthScopes\[0\] must be openid, email, phone, profile, aws\.cognito\.signin\.user\.admin or a custom scope/],
    [{ cognito: { userPool: pool({ clients: [{ clientId: 'c1' }, { clientId: 'c1' }] }) } }, /clients\[1\]\.clientId repeats c1/],
    [{ cognito: { userPool: pool({ tokenLifetimeSeconds: 0 }) } }, /tokenLifetimeSeconds must be a whole number of seconds from 1 to 86400, not 0/],
    [{ cognito: { identityPool: { id: 'us-east-1:0a0b0c0d-1111-4222-8333-444455556666', roleArn: 'arn:aws:iam::123456789012:role/R' } } }, /cognito\.identityPool needs cognito\.userPool/],
    [{ cognito: { userPool: pool(), identityPool: { id: 'us-east-1:nope', roleArn: 'arn:aws:iam::123456789012:role/R' } } }, /cognito\.identityPool\.id must be an identity pool id/],
    [{ cognito: { userPool: pool(), identityPool: { id: 'us-east-1:0a0b0c0d-1111-4222-8333-444455556666', roleArn: 'arn:aws:iam::123456789012:user/R' } } }, /cognito\.identityPool\.roleArn must be an IAM role ARN/],
    [{ cognito: { userPool: pool(), identityPool: { id: 'us-east-1:0a0b0c0d-1111-4222-8333-444455556666', roleArn: 'arn:aws:iam::123456789012:role/R', policy: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] } } } }, /cognito\.identityPool\.policy\.Statement\[0\]\.Effect must be "Allow" or "Deny"/],
    [{ cognito: { userPool: pool(), authorizer: { methods: ['DELETE /pets'] } } }, /cognito\.authorizer\.methods\[0\] must be one of "GET \/", .*"GET \/me"; not "DELETE \/pets"/],
    [{ cognito: { authorizer: { methods: ['GET /me'] } } }, /cognito\.authorizer needs cognito\.userPool/],
    [{ cognito: { userPool: pool(), authorizer: { methods: [{ method: 'GET /pets', scopes: 'pets/read' }] } } }, /cognito\.authorizer\.methods\[0\]\.scopes must be an array of OAuth scopes/],
    [{ cognito: { userPool: pool(), authorizer: { methods: [{ method: 'GET /pet' }] } } }, /cognito\.authorizer\.methods\[0\]\.method must be one of/],
    [{ cognito: { userPool: pool(), authorizer: { methods: ['GET /me', 'GET /me'] } } }, /cognito\.authorizer\.methods\[1\] repeats GET \/me/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => validateConfig(raw, 'c.json', {}), (error) => error instanceof ConfigError && message.test(error.message) && error.message.startsWith('c.json: '), JSON.stringify(raw).slice(0, 120));
  }
});

test('the example config\'s pools work: alice signs in with SRP, the web app\'s callback has the server\'s URL', async () => {
  const server = await startServer({ port: 0, configFile: EXAMPLE, env: {} });
  try {
    const answer = await cognito.signInWithSrp({ userPoolId: 'us-east-1_LocalPool1', clientId: 'localwebapp000000000000001', endpoint: `${server.url}/cognito-idp/`, username: 'alice', password: 'Alice#local-only-1' });
    assert.equal(cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload.iss, `${server.url}/us-east-1_LocalPool1`);
    const web = server.cognito.userPool.clients.get('localwebapp000000000000001');
    assert.equal(web.callbackUrls[0], `${server.url}/`);
    // /demo/credentials gives a page on this machine what it needs to sign in.
    const demo = await (await fetch(`${server.url}/demo/credentials`)).json();
    assert.equal(demo.cognito.userPoolId, 'us-east-1_LocalPool1');
    assert.equal(demo.cognito.identityPoolId, 'us-east-1:0f0e0d0c-1111-4222-8333-444455556666');
    assert.deepEqual(demo.cognito.users.map((u) => u.username), ['alice', 'bob']);
    assert.equal(demo.cognito.endpoints.cognitoIdp, `${server.url}/cognito-idp/`);
    // /demo/api names the pools and clients, without a password or a secret.
    const api = await (await fetch(`${server.url}/demo/api`)).text();
    assert.equal(JSON.parse(api).cognito.userPoolId, 'us-east-1_LocalPool1');
    assert.deepEqual(JSON.parse(api).cognito.clients.map((c) => c.confidential), [false, true, true]);
    for (const secret of ['Alice#local-only-1', 'Bob#local-only-2', 'backend/secret/for/the/local/pool/only', 'batch/secret/for/the/local/pool/only0']) {
      assert.ok(api.includes(secret) === false, 'no secret in /demo/api');
      assert.ok(JSON.stringify(demo).includes(secret), 'each secret in /demo/credentials');
    }
  } finally {
    await server.close();
  }
});

test('the banner prints the demo pools once: user, password, pool ids, client ids and secrets, endpoints', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--quiet'], { env: { ...process.env, SIGV4_DEMO_ACCESS_KEY_ID: '', SIGV4_DEMO_SECRET_ACCESS_KEY: '', SIGV4_DEMO_USER_PASSWORD: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15000);
    child.stdout.on('data', () => {
      if (out.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill('SIGTERM');
  const url = /Playground {3}(http:\/\/\S+)\//.exec(out)[1];
  assert.match(out, /user pool {11}us-east-1_sigv4Demo {3}issuer http:\/\/127\.0\.0\.1:\d+\/us-east-1_sigv4Demo/);
  assert.match(out, /user {16}demo \(demo@example\.com\) {3}password Demo-\S+/);
  assert.match(out, /app client {10}sigv4demopublicclient00001 {3}\(public\)/);
  assert.match(out, /app client {10}sigv4demomachine0000000001 {3}secret \S{20,}/);
  assert.match(out, /identity pool {7}us-east-1:[0-9a-f-]{36}/);
  assert.ok(out.includes(`POST ${url}/cognito-idp/`));
  assert.ok(out.includes(`${url}/oauth2/authorize`));
  assert.equal(out.split('Cognito stand-ins').length, 2, 'printed once');
});

test('www/README.md\'s Cognito examples run as written against a server (curl and the package)', async () => {
  const { readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { execFile } = await import('node:child_process');
  // Asynchronous: the server answering the examples runs in this process.
  const run = (file, args, options) => new Promise((resolve, reject) => {
    execFile(file, args, options, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
  const readme = readFileSync(new URL('../../www/README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Examples'), readme.indexOf('### Error answers'));
  const shell = /```sh\n([\s\S]*?)```/.exec(section)[1];
  const js = /```js\n([\s\S]*?)```/.exec(section)[1];
  const password = 'Local#Demo-pass1';
  assert.ok(section.includes(`SIGV4_DEMO_USER_PASSWORD='${password}'`));
  const server = await startServer({ port: 0, env: { SIGV4_DEMO_USER_PASSWORD: password } });
  const script = fileURLToPath(new URL(`./readme-example-${process.pid}.tmp.mjs`, import.meta.url));
  try {
    const env = { ...process.env, SIGV4_DEMO_USER_PASSWORD: password };
    const out = await run('bash', ['-c', `set -e\n${shell.replace('API=http://127.0.0.1:8080', `API=${server.url}`).replaceAll('127.0.0.1:8080', server.url.replace('http://', ''))}`], { env, encoding: 'utf8', timeout: 30000 });
    assert.match(out, /"message":"Signed in as demo"/);
    assert.match(out, /HTTP\/1\.1 401 Unauthorized[\s\S]*\{"message":"Unauthorized"\}/);
    assert.match(out, /"access_token":"ey/);
    assert.match(out, /\{"IdentityId":"us-east-1:[0-9a-f-]{36}"\}/);
    writeFileSync(script, js.replace("'http://127.0.0.1:8080'", `'${server.url}'`));
    const printed = await run(process.execPath, [script], { env, encoding: 'utf8', timeout: 30000 });
    const expected = /\/\/ (200 arn:\S+)/.exec(js)[1];
    assert.equal(printed.trim(), expected);
  } finally {
    rmSync(script, { force: true });
    await server.close();
  }
});
