// A key's policy applies to the resource a request reaches: every spelling of a path that a
// handler would serve as GET /pets/1 is authorized as .../GET/pets/1, and a path that names
// no resource exactly gets API Gateway's answer for an unknown route.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { startServer } from '../../www/server/server.mjs';
import { rawRequest, requestBytes, SCOPE } from './helpers.mjs';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';
const MASKED = 'arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5';
const NOT_PET_ONE = { accessKeyId: 'AKIANOTPETONE0000001', secretAccessKey: 'not-pet-one-secret' };
const config = {
  demoKey: false,
  keys: [
    {
      user: 'not-pet-one',
      ...NOT_PET_ONE,
      policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/test/GET/pets/1` }] },
    },
  ],
};

let server;
before(async () => {
  server = await startServer({ port: 0, config, env: {} });
});
after(() => server.close());

/** Signs `target` (the request target, sent byte for byte) with the key and sends it. */
function signedGet(target) {
  const signed = sign({ url: `${server.url}${target}` }, { ...SCOPE, ...NOT_PET_ONE });
  return rawRequest(server.port, requestBytes('GET', target, Object.entries(signed.headers)));
}

const DENIED = `User: arn:aws:iam::123456789012:user/not-pet-one is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/test/GET/pets/1 with an explicit deny in an identity-based policy`;

test('the Deny holds for the canonical path, and other pets are served', async () => {
  const denied = await signedGet('/test/pets/1');
  assert.equal(denied.status, 403, denied.body);
  assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException');
  assert.equal(denied.json.Message, DENIED);
  const two = await signedGet('/test/pets/2');
  assert.equal(two.status, 200, two.body);
  assert.equal(two.json.id, 2);
});

test('percent-encoded spellings of GET /pets/1 resolve to it, and are denied as it', async () => {
  for (const target of ['/test/pets/%31', '/test/p%65ts/1', '/test/%70%65%74%73/%31', '/test/pets/1?type=dog', '/test/pets/%31?x=%2F']) {
    const response = await signedGet(target);
    assert.equal(response.status, 403, `${target}: ${response.body}`);
    assert.equal(response.json.Message, DENIED, target);
  }
});

test('paths that are not exactly a route: 403 Missing Authentication Token, never pet 1', async () => {
  const targets = [
    '/test/pets/1/', '/test/pets/%31/', '/test/pets/1//', // a trailing slash
    '/test//pets/1', '/test/pets//1', // double slashes
    '/test/pets/./1', '/test/pets/../pets/1', '/test/./pets/1', '/test/pets/1/.', '/test/pets/1/..', '/test/pets/2/../1', // dot segments
    '/test/pets/%2e/1', '/test/pets/%2E%2E/pets/1', '/test/x/%2e%2e/pets/1', // encoded dot segments
    '/test/PETS/1', '/test/Pets/1', '/test/pets/1%2F', '/test/pets%2F1', '/test/pets/%2F1', '/test/pets/1%2f..', // case, %2F
    '/test/pets/1%00', '/test/pets/1%0A', '/test/pets/%FF', // control characters, not UTF-8
    '/test/pets/1/extra', '/test/pets/1\\', '/test/pets\\1',
  ];
  for (const target of targets) {
    const response = await signedGet(target);
    assert.equal(response.status, 403, `${target}: ${response.body}`);
    assert.equal(response.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException', target);
    assert.deepEqual(response.json, { message: 'Missing Authentication Token' }, target);
  }
});

test('a stage spelled otherwise is not the API: the page\'s 404', async () => {
  for (const target of ['/TEST/pets/1', '/t%65st/pets/1', '/%74est/pets/1', '//test/pets/1']) {
    const response = await signedGet(target);
    assert.equal(response.status, 404, `${target}: ${response.body}`);
    assert.ok(!response.body.includes('"id":1'), target);
  }
});

test('ids are compared as written: 01, +1, 1.0 and a full-width 1 are not pet 1', async () => {
  for (const [target, id] of [['/test/pets/01', '01'], ['/test/pets/%30%31', '01'], ['/test/pets/001', '001'], ['/test/pets/+1', '+1'], ['/test/pets/1.0', '1.0'], ['/test/pets/%EF%BC%91', '１'], ['/test/pets/1%20', '1 '], ['/test/pets/%2531', '%31']]) {
    const response = await signedGet(target);
    assert.equal(response.status, 404, `${target}: ${response.body}`);
    assert.deepEqual(response.json, { message: `There is no pet with id '${id}'` }, target);
  }
});
