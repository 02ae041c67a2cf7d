// Snippets that sign at run time (www/lib/runtime-snippets.mjs): the Node, aws4fetch and AWS
// SDK v3 ones run against the local API (started and stopped here on 127.0.0.1) and are
// accepted; with a wrong secret the API refuses them; no snippet carries the secret or the
// session token unless asked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer } from '../../www/server/server.mjs';
import { runtimeSnippets } from '../../www/lib/runtime-snippets.mjs';

const run = promisify(execFile);
// Inside the repository, so that 'sigv4-wasm', 'aws4fetch' and '@smithy/…' resolve from its node_modules.
const DIR = fileURLToPath(new URL('../../target/runtime-snippets/', import.meta.url));
const TOKEN = 'FwoGZXIvYXdzEXAMPLE//runtime+token=';
let server;
let tokenServer;

before(async () => {
  server = await startServer({ port: 0, env: {}, log: () => {} });
  tokenServer = await startServer({
    port: 0,
    log: () => {},
    env: { SIGV4_DEMO_ACCESS_KEY_ID: 'ASIAEXAMPLERUNTIME01', SIGV4_DEMO_SECRET_ACCESS_KEY: 'rUnTiMeSeCrEt/K7MDENG+bPxRfiCYEXAMPLEKEY', SIGV4_DEMO_SESSION_TOKEN: TOKEN },
  });
  mkdirSync(DIR, { recursive: true });
});
after(async () => {
  if (server) await server.close();
  if (tokenServer) await tokenServer.close();
  rmSync(DIR, { recursive: true, force: true });
});

function inputFor(overrides = {}) {
  return {
    method: 'POST',
    url: `${server.url}/test/pets`,
    headers: [['Content-Type', 'application/json']],
    body: '{"type": "dog", "price": 249.99}',
    region: server.credentials.region,
    service: server.credentials.service,
    s3: false,
    unsignedPayload: false,
    ...overrides,
  };
}

async function runSnippet(id, input, env) {
  const snippet = runtimeSnippets(input).find((s) => s.id === id);
  const file = `${DIR}${id}-${Math.random().toString(36).slice(2)}.mjs`;
  writeFileSync(file, snippet.text);
  const { stdout } = await run(process.execPath, [file], { env: { PATH: process.env.PATH, ...env }, timeout: 30000 });
  return stdout;
}

const goodEnv = () => ({ AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey });

for (const id of ['node', 'aws4fetch', 'sdk-v3']) {
  test(`${id}: the snippet signs when it runs and the local API accepts it (POST and GET with a query); a wrong secret is refused`, async () => {
    const posted = await runSnippet(id, inputFor(), goodEnv());
    assert.match(posted, /^200 .*"message":"success"/s, posted);
    const listed = await runSnippet(id, inputFor({ method: 'GET', url: `${server.url}/test/pets?type=dog&page=1`, headers: [], body: '' }), goodEnv());
    assert.match(listed, /^200 /, listed);
    const refused = await runSnippet(id, inputFor(), { ...goodEnv(), AWS_SECRET_ACCESS_KEY: `${server.credentials.secretAccessKey.slice(0, -1)}X` });
    assert.match(refused, /^403 .*signature we calculated does not match/s, refused);
  });
}

for (const id of ['node', 'aws4fetch', 'sdk-v3']) {
  test(`${id}: temporary credentials, the session token read from AWS_SESSION_TOKEN, are accepted; without the token refused`, async () => {
    const input = { ...inputFor(), url: `${tokenServer.url}/test/pets`, region: tokenServer.credentials.region, service: tokenServer.credentials.service };
    const env = { AWS_ACCESS_KEY_ID: tokenServer.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: tokenServer.credentials.secretAccessKey };
    const accepted = await runSnippet(id, input, { ...env, AWS_SESSION_TOKEN: TOKEN });
    assert.match(accepted, /^200 .*"message":"success"/s, accepted);
    const refused = await runSnippet(id, input, env);
    assert.match(refused, /^403 /, refused);
  });
}

test('botocore: the Python snippet is accepted too (skipped where botocore is not installed)', async (t) => {
  try {
    await run('python3', ['-c', 'import botocore']);
  } catch {
    t.skip('python3 with botocore is not installed here');
    return;
  }
  const snippet = runtimeSnippets(inputFor()).find((s) => s.id === 'botocore');
  const { stdout } = await run('python3', ['-c', snippet.text], { env: { PATH: process.env.PATH, ...goodEnv() }, timeout: 30000 });
  assert.match(stdout, /^200 .*success/s, stdout);
});

test('no snippet carries the secret or the session token unless asked; asked, each says so', () => {
  const credentials = { accessKeyId: 'ASIAEXAMPLEKEY000001', secretAccessKey: 'SeCrEt/with+chars=EXAMPLEKEY0000000000000', sessionToken: 'ToKeN//session+token=' };
  const input = inputFor({ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets', region: 'eu-west-1', service: 'execute-api' });
  const plain = runtimeSnippets(input, credentials);
  assert.deepEqual(plain.map((s) => s.id), ['node', 'browser', 'react-native', 'curl', 'aws4fetch', 'sdk-v3', 'botocore']);
  for (const snippet of plain) {
    assert.ok(!snippet.text.includes(credentials.secretAccessKey), `${snippet.id} has the secret`);
    assert.ok(!snippet.text.includes(credentials.sessionToken), `${snippet.id} has the token`);
    assert.ok(!snippet.text.includes('WARNING'), snippet.id);
  }
  for (const id of ['node', 'aws4fetch', 'sdk-v3']) assert.match(plain.find((s) => s.id === id).text, /process\.env\.AWS_SECRET_ACCESS_KEY/);
  assert.match(plain.find((s) => s.id === 'curl').text, /--user "\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY"/);
  assert.match(plain.find((s) => s.id === 'curl').text, /x-amz-security-token: \$AWS_SESSION_TOKEN/);
  assert.match(plain.find((s) => s.id === 'botocore').text, /os\.environ\['AWS_SECRET_ACCESS_KEY'\]/);
  for (const id of ['browser', 'react-native']) assert.match(plain.find((s) => s.id === id).text, /getCredentials\(\)/);
  const embedded = runtimeSnippets(input, credentials, { embedSecret: true });
  for (const snippet of embedded) {
    assert.ok(snippet.text.includes(credentials.secretAccessKey), `${snippet.id} lacks the secret`);
    assert.ok(snippet.text.includes(credentials.sessionToken), `${snippet.id} lacks the token`);
    assert.match(snippet.text.split('\n')[0], /WARNING: this code contains your secret access key/);
  }
});

test('curl --aws-sigv4: region and service as curl takes them, the body and headers as shell words', async () => {
  const text = runtimeSnippets(inputFor({ body: "it's" })).find((s) => s.id === 'curl').text;
  const { stdout } = await run('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\nAWS_ACCESS_KEY_ID=K AWS_SECRET_ACCESS_KEY=S\n${text}`]);
  assert.deepEqual(stdout.split('\0').slice(0, -1), [
    '--aws-sigv4', `aws:amz:${server.credentials.region}:${server.credentials.service}`, '--user', 'K:S', '-X', 'POST',
    '-H', 'Content-Type: application/json', '--data-binary', "it's", `${server.url}/test/pets`,
  ]);
});

test('curl --aws-sigv4: run by curl itself, the local API accepts it (skipped where curl is older than 7.75)', async (t) => {
  let version = '';
  try {
    version = (await run('curl', ['--version'])).stdout;
  } catch {
    // No curl.
  }
  const [major, minor] = (/^curl (\d+)\.(\d+)/.exec(version) || []).slice(1).map(Number);
  if (!(major > 7 || (major === 7 && minor >= 75))) {
    t.skip(`curl ${version.split(' ')[1] || 'missing'} has no --aws-sigv4`);
    return;
  }
  for (const [input, expected] of [
    [inputFor(), /"message":"success"/],
    [inputFor({ method: 'GET', url: `${server.url}/test/pets?type=dog`, headers: [], body: '' }), /"type":"dog"/],
  ]) {
    const text = runtimeSnippets(input).find((s) => s.id === 'curl').text;
    const { stdout } = await run('bash', ['-c', `${text} --silent --show-error --write-out ' %{http_code}'`], { env: { PATH: process.env.PATH, ...goodEnv() }, timeout: 30000 });
    assert.match(stdout, / 200$/, stdout);
    assert.match(stdout, expected, stdout);
  }
});
