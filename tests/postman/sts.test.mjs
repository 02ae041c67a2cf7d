// The collection's STS folder against moto_server with IAM authentication on (moto checks
// header signatures with botocore and answers GetCallerIdentity with the signing identity):
// an IAM user's key, then temporary credentials from AssumeRole with their session token.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { httpRequest, runCollection, startMoto, problems, postmanRuntime } from './helpers.mjs';

const FOLDER = 'STS';
const ACCOUNT = '123456789012';
let moto;
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
});

const valuesFor = (key, extra = {}) => ({
  sts_url: moto.url,
  aws_region: 'us-east-1',
  aws_service: 'sts',
  aws_access_key_id: key.accessKeyId,
  aws_secret_access_key: key.secretAccessKey,
  aws_session_token: key.sessionToken || '',
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
  });
}
