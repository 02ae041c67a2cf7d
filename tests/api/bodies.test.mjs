// Bodies are never held whole: a request that its headers refuse is answered before its body
// is read, a body is hashed as it arrives, and the only bytes kept are a pet's JSON. Twenty
// concurrent 10 MB POSTs, unsigned or falsely signed, leave the server's memory where it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { sign } from 'sigv4-wasm';
import { startServer } from '../../www/server/server.mjs';
import { freePort, peakResident, residentBytes, startChild } from '../servers.mjs';
import { SCOPE } from './helpers.mjs';

const TEN_MB = 10 * 1024 * 1024;
const KEY = { accessKeyId: 'AKIABODIES0000000001', secretAccessKey: 'bodies-secret' };
const UNKNOWN = { accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'unknown-secret' };

/**
 * A connection that sends what it is given when it is given, and does not half-close: a
 * client still sending its body. `answer(ms)` resolves to the first response (status, error
 * type, JSON body) that has arrived whole within `ms`, or null.
 */
function connection(port) {
  const socket = net.connect(port, '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    received = Buffer.concat([received, chunk]);
  });
  socket.on('error', () => {});
  const parse = () => {
    const end = received.indexOf('\r\n\r\n');
    if (end === -1) return null;
    const head = received.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)[1]);
    if (received.length < end + 4 + length) return null;
    const errorType = /\r\nx-amzn-errortype: *([^\r]*)/i.exec(head);
    return { status: Number(head.split(' ')[1]), type: errorType && errorType[1], json: JSON.parse(received.subarray(end + 4, end + 4 + length).toString('utf8')) };
  };
  return {
    send: (bytes) => socket.write(bytes),
    answer: async (ms) => {
      for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 10))) {
        const response = parse();
        if (response) return response;
      }
      return parse();
    },
    close: () => socket.destroy(),
  };
}

/** The head of a POST /test/pets with these headers (host first) and a Content-Length of `length`. */
function postHead(host, headers, length) {
  return [`POST /test/pets HTTP/1.1`, `Host: ${host}`, ...headers.map(([name, value]) => `${name}: ${value}`), `Content-Length: ${length}`, '', ''].join('\r\n');
}

/** Signed headers for POST /test/pets with `body`, without host (postHead writes it). */
function signedHeaders(url, key, body, options = {}) {
  const signed = sign({ method: 'POST', url: `${url}/test/pets`, body }, { ...SCOPE, ...key, ...options });
  return Object.entries(signed.headers).filter(([name]) => name !== 'host');
}

describe('refused before the body', () => {
  let server;
  let host;
  before(async () => {
    server = await startServer({ port: 0, config: { demoKey: false, keys: [{ user: 'bodies', ...KEY }] }, env: {} });
    host = `127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  test('no signature, a malformed one, an unknown key or the wrong scope: the answer comes while the body has not been sent, and is the one the whole request gets', async () => {
    const body = 'x'.repeat(100);
    const cases = [
      ['no signature', [], 'MissingAuthenticationTokenException'],
      ['a presigned query that is not one', null, 'IncompleteSignatureException'],
      ['garbage after the algorithm', [['Authorization', 'AWS4-HMAC-SHA256 garbage']], 'IncompleteSignatureException'],
      ['another scheme', [['Authorization', 'Bearer abc.def']], 'IncompleteSignatureException'],
      ['no SignedHeaders and Signature', [['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIABODIES0000000001/20260101/us-east-1/execute-api/aws4_request']], 'IncompleteSignatureException'],
      ['an unknown key', signedHeaders(server.url, UNKNOWN, body), 'UnrecognizedClientException'],
      ['the wrong region', signedHeaders(server.url, KEY, body, { region: 'eu-west-1' }), 'InvalidSignatureException'],
      ['a signing time an hour ago', signedHeaders(server.url, KEY, body, { datetime: new Date(Date.now() - 3600_000) }), 'InvalidSignatureException'],
    ];
    for (const [what, headers, type] of cases) {
      const head = headers ? postHead(host, headers, TEN_MB) : postHead(host, [], TEN_MB).replace('/test/pets', '/test/pets?X-Amz-Algorithm=AWS4-HMAC-SHA256');
      const early = connection(server.port);
      early.send(head + body);
      const answer = await early.answer(3000);
      early.close();
      assert.ok(answer, `${what}: no answer before the body was sent`);
      assert.equal(answer.type, type, what);
      // The same request sent whole, body and all.
      const whole = connection(server.port);
      whole.send(head.replace(`Content-Length: ${TEN_MB}`, `Content-Length: ${body.length}`) + body);
      const expected = await whole.answer(3000);
      whole.close();
      if (what === 'a signing time an hour ago') {
        assert.match(answer.json.message, /^Signature expired: /, what); // the message says what time it is now
      } else {
        assert.deepEqual(answer, expected, what);
      }
    }
  });

  test('a signature from a known key is checked against the body: the body is read first, then refused or accepted', async () => {
    const pet = JSON.stringify({ type: 'fish', price: 1 });
    const forged = signedHeaders(server.url, { ...KEY, secretAccessKey: 'not-the-secret' }, pet);
    const genuine = signedHeaders(server.url, KEY, pet);
    for (const [headers, status, type] of [[forged, 403, 'InvalidSignatureException'], [genuine, 200, null]]) {
      const client = connection(server.port);
      client.send(postHead(host, headers, pet.length) + pet.slice(0, 5));
      assert.equal(await client.answer(300), null, 'no answer before the body has arrived');
      client.send(pet.slice(5));
      const answer = await client.answer(3000);
      client.close();
      assert.equal(answer.status, status, JSON.stringify(answer.json));
      assert.equal(answer.type, type);
    }
  });

  test('a pet is at most 64 KiB of JSON: only that much of a body is ever kept', async () => {
    for (const [padding, status] of [[60 * 1024, 200], [64 * 1024, 400]]) {
      const pet = `{"type": "dog", "price": 5}${' '.repeat(padding)}`;
      const client = connection(server.port);
      client.send(postHead(host, signedHeaders(server.url, KEY, pet), pet.length) + pet);
      const answer = await client.answer(3000);
      client.close();
      assert.equal(answer.status, status, JSON.stringify(answer.json));
      if (status === 400) assert.equal(answer.json.message, `Could not parse request body into json: the body is ${pet.length} bytes; a pet is at most 65536 bytes of JSON`);
    }
  });
});

describe('memory', () => {
  let server;
  let port;
  before(async () => {
    port = await freePort();
    const root = fileURLToPath(new URL('../../', import.meta.url));
    server = await startChild(process.execPath, ['www/server/server.mjs', '--port', String(port), '--quiet'], {
      port,
      cwd: root,
      env: { SIGV4_DEMO_ACCESS_KEY_ID: KEY.accessKeyId, SIGV4_DEMO_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
  });
  after(() => server && server.stop());

  /**
   * POSTs `body` with `headers`; resolves to the status once the answer is read and the body
   * sent, or to the error code when the server cut the connection first: after an answer
   * given before the body was read, Node closes the connection rather than take in the rest,
   * and the client's write fails, sometimes before it has read the answer.
   */
  function post(headers, body) {
    return new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/test/pets', method: 'POST', headers: { ...headers, 'content-length': body.length }, agent: false });
      let status;
      let sent = false;
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          status = res.statusCode;
          if (sent) resolve(status);
        });
      });
      req.on('finish', () => {
        sent = true;
        if (status !== undefined) resolve(status);
      });
      req.on('error', (error) => resolve(status ?? error.code));
      req.end(body);
    });
  }

  /** The most the server's RSS rose above `baseline` while `work` ran. */
  async function peakGrowth(baseline, work) {
    return (await peakResident(server.child.pid, work)).peak - baseline;
  }

  test('20 concurrent 10 MB POSTs, unsigned and then falsely signed, raise the server\'s RSS by less than 64 MB', async (t) => {
    const body = Buffer.alloc(TEN_MB, 0x61);
    const url = `http://127.0.0.1:${port}`;
    const forged = Object.fromEntries(signedHeaders(url, { ...KEY, secretAccessKey: 'not-the-secret' }, 'x'));
    // Warm up every path the attack takes (the wasm instance, the hash, the answers), then
    // measure from there.
    const CUT = ['EPIPE', 'ECONNRESET'];
    assert.ok([403, ...CUT].includes(await post({}, body)));
    assert.equal(await post(forged, body), 403);
    const baseline = residentBytes(server.child.pid);
    const unsigned = await peakGrowth(baseline, async () => {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => post({}, body)));
      assert.ok(statuses.every((status) => [403, ...CUT].includes(status)), statuses.join());
    });
    // A false signature from a known key: each body is read and hashed as it arrives.
    const falselySigned = await peakGrowth(baseline, async () => {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => post(forged, body)));
      assert.deepEqual(new Set(statuses), new Set([403]));
    });
    // Buffered, the 20 bodies are 200 MB (RSS rose by 260 MB when the server buffered them).
    // Refused before the body, none of it is read: about 3 MB is measured. Read and hashed
    // as they arrive, each 64 KiB read is garbage at once, but V8 frees those buffers in
    // batches: about 30 MB is measured. 64 MB leaves room for a slower collector and stays
    // far below what holding even a third of the bodies would take.
    const MB = 1024 * 1024;
    t.diagnostic(`RSS ${(baseline / MB).toFixed(1)} MB at rest; at most +${(unsigned / MB).toFixed(1)} MB under unsigned POSTs, +${(falselySigned / MB).toFixed(1)} MB under falsely signed ones`);
    assert.ok(unsigned < 64 * MB, `unsigned: RSS rose by ${(unsigned / MB).toFixed(1)} MB`);
    assert.ok(falselySigned < 64 * MB, `falsely signed: RSS rose by ${(falselySigned / MB).toFixed(1)} MB`);
  });
});
