// The collection's STS folder against moto_server with IAM authentication on (moto checks
// header signatures with botocore and answers GetCallerIdentity with the signing identity):
// an IAM user's key, then temporary credentials from AssumeRole with their session token.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { COLLECTION, httpRequest, runCollection, startMoto, problems, postmanRuntime } from './helpers.mjs';
import { startServer } from '../../www/server/server.mjs';

const FOLDER = 'STS';
const ACCOUNT = '123456789012';
let moto;
let api;
const DEMO = { SIGV4_DEMO_ACCESS_KEY_ID: 'AKIAPOSTMANPETSTORE2', SIGV4_DEMO_SECRET_ACCESS_KEY: 'petstore/postman/mixed/secret/0123456789' };
let user;
let role;

/** A form POST to moto, signed with sigv4-wasm (moto ignores the signature while auth is off). */
async function call(service, params, key = { accessKeyId: 'AKIABOOTSTRAP0000000', secretAccessKey: 'bootstrap' }) {
  const body = new URLSearchParams(params).toString();
  const signed = sign({ method: 'POST', url: `${moto.url}/`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
    { ...key, region: 'us-east-1', service });
  const headers = { ...signed.headers };
  delete headers.host;
  const response = await httpRequest(`${moto.url}/`, { method: 'POST', headers, body });
  if (response.status !== 200) throw new Error(`${service} ${params.Action}: ${response.status} ${response.text}`);
  return response.text;
}
const field = (xml, name) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)[1];

before(async () => {
  api = await startServer({ port: 0, env: DEMO });
  moto = await startMoto();
  await httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: 'inf' }); // auth off while seeding
  const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  await call('iam', { Action: 'CreateUser', UserName: 'postman-tester', Version: '2010-05-08' });
  await call('iam', { Action: 'PutUserPolicy', UserName: 'postman-tester', PolicyName: 'all', PolicyDocument: allowAll, Version: '2010-05-08' });
  const key = await call('iam', { Action: 'CreateAccessKey', UserName: 'postman-tester', Version: '2010-05-08' });
  user = { accessKeyId: field(key, 'AccessKeyId'), secretAccessKey: field(key, 'SecretAccessKey') };
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/postman-tester` }, Action: 'sts:AssumeRole' }] });
  await call('iam', { Action: 'CreateRole', RoleName: 'postman-role', AssumeRolePolicyDocument: trust, Version: '2010-05-08' });
  await call('iam', { Action: 'PutRolePolicy', RoleName: 'postman-role', PolicyName: 'all', PolicyDocument: allowAll, Version: '2010-05-08' });
  await httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: '0' }); // auth on from here
  const assumed = await call('sts', { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${ACCOUNT}:role/postman-role`, RoleSessionName: 'postman-session', Version: '2011-06-15' }, user);
  role = { accessKeyId: field(assumed, 'AccessKeyId'), secretAccessKey: field(assumed, 'SecretAccessKey'), sessionToken: field(assumed, 'SessionToken') };
});
after(async () => {
  if (moto) await moto.stop();
  if (api) await api.close();
});

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/postman-role`;
const getCallerIdentity = () => COLLECTION().item.find((f) => f.name === FOLDER).item[0];
/** The generated collection with only `items` (its pre-request script kept). */
function collectionOf(items) {
  const base = COLLECTION();
  return { ...base, item: items };
}
/** GetCallerIdentity named `name`, with test-script lines `after` run once it has been answered. */
function identityItem(name, after = []) {
  const item = getCallerIdentity();
  item.name = name;
  item.event = item.event.map((e) => (e.listen === 'test' ? { ...e, script: { ...e.script, exec: e.script.exec.concat(after) } } : e));
  return item;
}
// What a test script does to make the cached credentials expire in `seconds` (the "expiry forced short").
const expireCacheIn = (seconds) => [
  "var cached = JSON.parse(pm.collectionVariables.get('sigv4_cached_credentials'));",
  `cached.expiration = new Date(Date.now() + ${seconds * 1000}).toISOString();`,
  "pm.collectionVariables.set('sigv4_cached_credentials', JSON.stringify(cached));",
];
/** The collection's own requests, not the scripts' pm.sendRequest calls. */
const identityCalls = (run) => run.executions.filter((e) => e.request.body.includes('Action=GetCallerIdentity'));
const fetches = (run) => run.console.filter((c) => /^sigv4: fetching temporary credentials: STS/.test(c.text));

const valuesFor = (key, extra = {}) => ({
  sts_url: moto.url,
  aws_region: 'us-east-1',
  aws_service: 'sts',
  aws_access_key_id: key.accessKeyId,
  aws_secret_access_key: key.secretAccessKey,
  aws_session_token: key.sessionToken || '',
  sigv4_sts_url: moto.url,
  ...extra,
});

for (const runtime of ['stock', 'latest']) {
  describe(`STS GetCallerIdentity on moto with IAM auth (${runtime}: newman ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    test("an IAM user's key: 200 with the user's ARN", async (t) => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(user) });
      t.diagnostic(`${run.ms} ms`);
      assert.deepEqual(problems(run), []);
      assert.equal(run.executions[0].status, 200);
      assert.equal(field(run.executions[0].body, 'Arn'), `arn:aws:iam::${ACCOUNT}:user/postman-tester`);
    });

    test('temporary credentials with aws_session_token: 200 with the assumed role; without the token, InvalidClientTokenId', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(role) });
      assert.deepEqual(problems(run), []);
      assert.equal(field(run.executions[0].body, 'Arn'), `arn:aws:sts::${ACCOUNT}:assumed-role/postman-role/postman-session`);
      const without = await runCollection({ runtime, folder: FOLDER, values: valuesFor({ ...role, sessionToken: '' }) });
      assert.equal(without.executions[0].status, 403);
      assert.match(without.executions[0].body, /InvalidClientTokenId/);
    });

    test('a wrong secret: 403 SignatureDoesNotMatch (moto really checks)', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor({ ...user, secretAccessKey: `${user.secretAccessKey}x` }) });
      assert.equal(run.executions[0].status, 403);
      assert.match(run.executions[0].body, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    test('temporary credentials that refresh: AssumeRole with the long-term keys once, cached with their expiry, fetched again once expired or within sigv4_refresh_before (300 s), not before; a new session name starts a new cache', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([
          identityItem('first', expireCacheIn(400)),
          identityItem('second (400 s left: from the cache)', expireCacheIn(120)),
          identityItem('third (120 s left: fetched again)', expireCacheIn(-1)),
          identityItem('fourth (expired: fetched again)'),
          identityItem('fifth (from the cache)'),
          identityItem('other session'),
        ]),
        values: valuesFor(user, { sigv4_role_arn: ROLE_ARN, sigv4_role_session_name: 'refreshing', sigv4_duration_seconds: '900', 'sigv4_role_session_name@other session': 'other' }),
      });
      assert.deepEqual(problems(run), []);
      assert.deepEqual(identityCalls(run).map((e) => field(e.body, 'Arn')),
        Array(5).fill('refreshing').concat(['other']).map((session) => `arn:aws:sts::${ACCOUNT}:assumed-role/postman-role/${session}`));
      // Which requests fetched: the AssumeRole calls, in order, each followed by the request it was for.
      const sequence = run.executions.map((e) => (e.request.body.startsWith('Action=AssumeRole') ? 'fetch' : e.name));
      assert.deepEqual(sequence, ['fetch', 'first', 'second (400 s left: from the cache)', 'fetch', 'third (120 s left: fetched again)', 'fetch', 'fourth (expired: fetched again)',
        'fifth (from the cache)', 'fetch', 'other session']);
      assert.deepEqual(fetches(run).map((c) => c.text), Array(4).fill(`sigv4: fetching temporary credentials: STS AssumeRole at ${moto.url}/ for ${ROLE_ARN}`));
      const cached = JSON.parse(run.collectionVariables.sigv4_cached_credentials);
      assert.match(cached.accessKeyId, /^ASIA/);
      assert.ok(Date.parse(cached.expiration) > Date.now() + 800_000, `cached with its expiry: ${cached.expiration}`);
      const log = run.console.map((c) => c.text).join('\n');
      assert.ok(!log.includes(cached.secretAccessKey) && !log.includes(user.secretAccessKey) && !log.includes(cached.sessionToken), 'no secret in the console');
    });

    test('GetSessionToken with an MFA code, cached; another MFA device starts a new cache; without the code it stops and says which variable to set', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([identityItem('with MFA'), identityItem('same device'), identityItem('other device')]),
        values: valuesFor(user, { sigv4_get_session_token: 'true', sigv4_mfa_serial: `arn:aws:iam::${ACCOUNT}:mfa/postman-tester`, sigv4_mfa_code: '123456',
          'sigv4_mfa_serial@other device': `arn:aws:iam::${ACCOUNT}:mfa/other-device` }),
      });
      const sessionTokenCalls = run.executions.filter((e) => e.request.body.startsWith('Action=GetSessionToken'));
      assert.deepEqual(run.executions.map((e) => (e.request.body.startsWith('Action=GetSessionToken') ? /SerialNumber=[^&]*/.exec(e.request.body)[0] : e.name)),
        [`SerialNumber=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:mfa/postman-tester`)}`, 'with MFA', 'same device',
          `SerialNumber=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:mfa/other-device`)}`, 'other device'],
        'fetched for the first request, from the cache for the second, fetched again for the other device');
      // moto's GetSessionToken answers with AWS's documented example keys, which moto's own IAM
      // check then refuses (InvalidClientTokenId): what is checked here is that the MFA code went
      // to STS and that the request was signed with what STS answered.
      const [fetch] = run.executions.filter((e) => e.request.body.startsWith('Action=GetSessionToken'));
      assert.equal(fetch.request.body, `Action=GetSessionToken&Version=2011-06-15&SerialNumber=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:mfa/postman-tester`)}&TokenCode=123456`);
      assert.equal(fetch.status, 200);
      assert.equal(fetches(run)[0].text, `sigv4: fetching temporary credentials: STS GetSessionToken at ${moto.url}/`);
      const [call] = identityCalls(run);
      const header = (name) => call.request.headers.find(([k]) => k.toLowerCase() === name)[1];
      assert.match(header('authorization'), new RegExp(`^AWS4-HMAC-SHA256 Credential=${field(fetch.body, 'AccessKeyId')}/`));
      assert.equal(header('x-amz-security-token'), field(fetch.body, 'SessionToken'));
      assert.equal(JSON.parse(run.collectionVariables.sigv4_cached_credentials).expiration, new Date(field(sessionTokenCalls[1].body, 'Expiration')).toISOString());
      const noCode = await runCollection({
        runtime,
        collection: collectionOf([identityItem('without the code')]),
        values: valuesFor(user, { sigv4_get_session_token: 'true', sigv4_mfa_serial: `arn:aws:iam::${ACCOUNT}:mfa/postman-tester` }),
      });
      assert.equal(noCode.executions.length, 0, 'nothing sent, not even to STS');
      assert.match(noCode.failures[0].error.message, /set sigv4_mfa_code to the current code of your MFA device/);
    });

    test('AssumeRole refused (long-term keys with a wrong secret): the request stops with what STS said', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([identityItem('wrong role')]),
        values: valuesFor({ ...user, secretAccessKey: `${user.secretAccessKey}x` }, { sigv4_role_arn: ROLE_ARN }),
      });
      assert.deepEqual(identityCalls(run), [], 'only the call to STS was sent');
      assert.match(run.failures[0].error.message, /sigv4: STS AssumeRole at .* answered 403 SignatureDoesNotMatch/);
      const badRefresh = await runCollection({ runtime, collection: collectionOf([identityItem('bad setting')]), values: valuesFor(user, { sigv4_role_arn: ROLE_ARN, sigv4_refresh_before: 'soon' }) });
      assert.equal(badRefresh.executions.length, 0, 'nothing sent');
      assert.match(badRefresh.failures[0].error.message, /sigv4_refresh_before is "soon": give a number of seconds/);
    });

    test('one collection, two scopes: NAME@Folder variables sign the STS folder for sts with its key, the PetStore folder for execute-api; sigv4_disabled@Request skips a sign-in request; the request\'s own NAME@Request wins over its folder\'s', async () => {
      const base = COLLECTION();
      const petstore = base.item.find((f) => f.name === 'PetStore API (IAM-protected)');
      const sts = base.item.find((f) => f.name === FOLDER);
      sts.item.push({ name: 'Sign in', request: { method: 'GET', header: [], url: '{{petstore_url}}/pets' } });
      const run = await runCollection({
        runtime,
        collection: collectionOf([petstore, sts]),
        values: {
          petstore_url: `${api.url.replace(/\/$/, '')}/test`,
          sts_url: moto.url,
          aws_region: 'us-east-1',
          aws_service: 'execute-api',
          aws_access_key_id: DEMO.SIGV4_DEMO_ACCESS_KEY_ID,
          aws_secret_access_key: DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY,
          'aws_service@STS': 'sts',
          'aws_access_key_id@STS': user.accessKeyId,
          'aws_secret_access_key@STS': user.secretAccessKey,
          'sigv4_disabled@Sign in': 'true',
          // The folder unsigned but for one request: the innermost (the request's own) wins.
          'sigv4_disabled@STS': 'true',
          'sigv4_disabled@GetCallerIdentity': 'false',
        },
      });
      assert.deepEqual(run.executions.map((e) => [e.name, e.status]), [['GET /pets', 200], ['GET /pets/{petId}', 200], ['POST /pets', 200], ['GetCallerIdentity', 200], ['Sign in', 403]]);
      assert.deepEqual(problems(run), []);
      assert.equal(field(run.executions[3].body, 'Arn'), `arn:aws:iam::${ACCOUNT}:user/postman-tester`);
      const signIn = run.executions[4].request.headers.map(([k]) => k.toLowerCase());
      assert.ok(!signIn.includes('authorization') && !signIn.includes('x-amz-date'), 'the sign-in request went out unsigned');
      assert.ok(run.console.some((c) => c.text === 'sigv4: not signing "Sign in": sigv4_disabled@Sign in is true'));
    });
  });
}
