// The server's configuration and command line: the example config works, bad config gets a
// clear error naming the file and the field, and the demo key comes from the environment.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseArgs, startServer } from '../../www/server/server.mjs';
import { signedRequest } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('../../www/server/server.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../www/server/example-config.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sigv4-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name, content) {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

async function startError(options) {
  try {
    const server = await startServer({ port: 0, env: {}, ...options });
    await server.close();
  } catch (error) {
    return error;
  }
  return null;
}

test('the example config starts, and its keys behave as documented', async () => {
  const server = await startServer({ port: 0, configFile: EXAMPLE, env: {} });
  try {
    const pets = `${server.url}/test/pets`;
    const reader = { accessKeyId: 'AKIAEXAMPLEREADER001', secretAccessKey: 'reader/secret/for/the/local/api/only0000' };
    assert.equal((await signedRequest(pets, reader)).status, 200);
    const denied = await signedRequest(pets, reader, { method: 'POST', body: '{}' });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException');
    const noPost = { accessKeyId: 'AKIAEXAMPLENOPOST001', secretAccessKey: 'no-posting/secret/for/the/local/api/only0' };
    assert.match((await signedRequest(pets, noPost, { method: 'POST', body: '{}' })).json.Message, /with an explicit deny/);
    const temporary = { accessKeyId: 'ASIAEXAMPLETEMPORARY', secretAccessKey: 'temporary/secret/for/the/local/api/only0', sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN/abc+def=' };
    assert.equal((await signedRequest(pets, temporary)).status, 200);
    assert.equal(server.config.keys.length, 4, 'the demo key and three keys');
  } finally {
    await server.close();
  }
});

test('bad config: each error names the file and the field', async () => {
  const cases = [
    ['not-json.json', '{\n  "stage": "test",\n  "keys": [}\n', /not-json\.json: not valid JSON: Unexpected token '}' \(line 3, column 12\)$/],
    ['unknown.json', { kyes: [] }, /unknown\.json: kyes is not a known field; expected one of: .*keys/],
    ['array.json', [], /array\.json: the top level must be a JSON object, not an array/],
    ['stage.json', { stage: 'sigv4-wasm' }, /stage cannot be "sigv4-wasm"/],
    ['region.json', { region: 'Mars' }, /region must be an AWS region/],
    ['no-secret.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001' }] }, /keys\[0\]\.secretAccessKey is required/],
    ['short-id.json', { keys: [{ accessKeyId: 'AK', secretAccessKey: 's' }] }, /keys\[0\]\.accessKeyId must be 16 to 128/],
    ['effect.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's', policy: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] } }] }, /keys\[0\]\.policy\.Statement\[0\]\.Effect must be "Allow" or "Deny", not "allow"/],
    ['condition.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} }] } }] }, /Statement\[0\]\.Condition is not supported/],
    ['resource.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'pets' }] } }] }, /Statement\[0\]\.Resource\[0\] must be "\*" or an ARN/],
    ['long-pattern.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's', policy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: `arn:${'*'.repeat(2045)}` }] } }] }, /Statement\[0\]\.Resource\[0\] is 2049 characters long; a pattern may have at most 2048/],
    ['duplicate.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'a' }, { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'b' }] }, /keys\[1\]\.accessKeyId repeats AKIAEXAMPLE000000001/],
    ['env.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKeyEnv: 'NOT_SET_ANYWHERE' }] }, /keys\[0\]\.secretAccessKeyEnv names NOT_SET_ANYWHERE, which is not set/],
    ['expiration.json', { keys: [{ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's', expiration: 'soon' }] }, /keys\[0\]\.expiration must be an ISO 8601 time/],
    ['nokeys.json', { demoKey: false }, /keys is empty and demoKey is false/],
  ];
  for (const [name, content, expected] of cases) {
    const error = await startError({ configFile: configFile(name, content) });
    assert.ok(error instanceof ConfigError, `${name}: ${error}`);
    assert.match(error.message, expected, name);
    assert.ok(error.message.includes(join(dir, name)), `${name} names the file`);
  }
  const missing = await startError({ configFile: join(dir, 'absent.json') });
  assert.match(missing.message, /cannot read the config file .*absent\.json: no such file/);
});

test('a secret from the environment, and the demo key from SIGV4_DEMO_*', async () => {
  const env = {
    SIGV4_DEMO_ACCESS_KEY_ID: 'AKIAFROMTHEENVIRON01',
    SIGV4_DEMO_SECRET_ACCESS_KEY: 'env-secret',
    SIGV4_DEMO_SESSION_TOKEN: 'env-token',
    OTHER_SECRET: 'other-secret',
  };
  const server = await startServer({ port: 0, env, config: { keys: [{ user: 'other', accessKeyId: 'AKIAOTHER00000000001', secretAccessKeyEnv: 'OTHER_SECRET' }] } });
  try {
    assert.deepEqual(server.credentials, { accessKeyId: 'AKIAFROMTHEENVIRON01', secretAccessKey: 'env-secret', sessionToken: 'env-token', region: 'us-east-1', service: 'execute-api' });
    const pets = `${server.url}/test/pets`;
    assert.equal((await signedRequest(pets, server.credentials)).status, 200);
    assert.equal((await signedRequest(pets, { accessKeyId: 'AKIAFROMTHEENVIRON01', secretAccessKey: 'env-secret' })).status, 403, 'the token is required');
    assert.equal((await signedRequest(pets, { accessKeyId: 'AKIAOTHER00000000001', secretAccessKey: 'other-secret' })).status, 200);
  } finally {
    await server.close();
  }
  const half = await startError({ env: { SIGV4_DEMO_ACCESS_KEY_ID: 'AKIAFROMTHEENVIRON01' } });
  assert.match(half.message, /set both SIGV4_DEMO_ACCESS_KEY_ID and SIGV4_DEMO_SECRET_ACCESS_KEY/);
});

test('generated demo keys look like AWS keys and differ per start', async () => {
  const a = await startServer({ port: 0, env: {} });
  const b = await startServer({ port: 0, env: {} });
  try {
    assert.match(a.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(a.credentials.secretAccessKey.length, 40);
    assert.notEqual(a.credentials.secretAccessKey, b.credentials.secretAccessKey);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a port in use gets a clear error', async () => {
  const first = await startServer({ port: 0, env: {} });
  try {
    const error = await startError({ port: first.port });
    assert.match(error.message, new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is already in use; pass --port`));
  } finally {
    await first.close();
  }
});

test('the command line: arguments parsed, bad ones refused with usage', () => {
  assert.deepEqual(parseArgs(['--port', '0', '--host=localhost', '--config', 'c.json']), { port: 0, host: 'localhost', quiet: false, configFile: 'c.json' });
  assert.throws(() => parseArgs(['--port', 'eighty']), /--port must be a whole number from 0 to 65535, not 'eighty'/);
  assert.throws(() => parseArgs(['--port', '70000']), /--port must be/);
  assert.throws(() => parseArgs(['--config']), /--config needs a value/);
  assert.throws(() => parseArgs(['--verbose']), /unknown argument '--verbose'[\s\S]*Usage:/);
  const help = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: node www\/server\/server\.mjs/);
  const bad = spawnSync(process.execPath, [SERVER, '--port', '0', '--config', configFile('cli-bad.json', { stage: 'a b' })], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error: .*cli-bad\.json: stage must be letters, digits/);
});

test('the command line with --port 0 prints the URL and the demo credentials once, then serves', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIGV4_DEMO_ACCESS_KEY_ID: '', SIGV4_DEMO_SECRET_ACCESS_KEY: '' } });
  try {
    let output = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ctrl+C')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const url = /Playground {3}(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)[1];
    const accessKeyId = /access key id {7}(\S+)/.exec(output)[1];
    const secretAccessKey = /secret access key {3}(\S+)/.exec(output)[1];
    const response = await signedRequest(`${url}/test/pets`, { accessKeyId, secretAccessKey });
    assert.equal(response.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const secretCount = output.split(secretAccessKey).length - 1;
    assert.ok(secretCount >= 1 && !/GET \/test\/pets 200.*\S{40}/.test(output), 'request lines carry no secret');
  } finally {
    child.kill('SIGTERM');
  }
});
