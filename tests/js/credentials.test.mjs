// Credentials as a value or a provider (issue 13), and AwsClient's clock-skew correction:
//  1. cacheCredentials: a sync or async provider is called once while its credentials are
//     fresh, again REFRESH_MARGIN_MS (5 min) before they expire (an injected clock pins the
//     boundary), once for any number of concurrent callers, and a failure rejects with
//     CREDENTIALS_REFRESH_FAILED and caches nothing.
//  2. AwsClient with `credentials` (a value or a provider) against a 127.0.0.1 server that
//     verifies every signature; signSync takes values only; an ExpiredToken answer makes the
//     provider fetch new credentials once.
//  3. Clock skew: the server's clock is 20 minutes ahead of the client's (injected), it answers
//     as S3, API Gateway and STS do; the client learns the offset from the Date header, retries
//     once, and signs the next request at the corrected time.
// On the servers' build and the wasm2js build (tests/js/builds.mjs).
//
//   node --test tests/js/credentials.test.mjs        (BUILDS=server,js,browser to choose)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { loadBuild } from './builds.mjs';

const BUILD_NAMES = (process.env.BUILDS || 'server,js').split(',');
const KEYS = {
  AKIDFIRST: { secretAccessKey: 'first/secret/EXAMPLEKEY', sessionToken: 'token-first' },
  AKIDSECOND: { secretAccessKey: 'second/secret/EXAMPLEKEY', sessionToken: 'token-second' },
  AKIDSTATIC: { secretAccessKey: 'static/secret/EXAMPLEKEY' },
};
const MINUTE = 60 * 1000;
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------
// The server: verifies with its own clock (real time + skewMs); `style` chooses how a time
// error is worded; a token listed in `expiredTokens` is answered as STS answers an expired one.

const serverState = { skewMs: 0, style: 's3', expiredTokens: new Set(), received: [] };
let server;
let baseUrl;
let verify;

const TIME_ERRORS = {
  s3: (code) => [403, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?><Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><ServerTime>x</ServerTime></Error>`, code],
  apigateway: (code) => [403, 'application/json', JSON.stringify({ message: code === 'SIGNATURE_EXPIRED' ? 'Signature expired: 20260102T030405Z is now earlier than 20260102T031905Z (20260102T032405Z - 5 min.)' : 'Signature not yet current: 20260102T034405Z is still later than 20260102T033405Z (20260102T032905Z + 5 min.)' }), code],
  sts: (code) => [400, 'text/xml', `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature ${code === 'SIGNATURE_EXPIRED' ? 'expired' : 'not yet current'}: ...</Message></Error></ErrorResponse>`, code],
};

function startServer() {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const serverNow = Date.now() + serverState.skewMs;
      const request = { method: req.method, url: req.url, headers: req.headers, body: new Uint8Array(Buffer.concat(chunks)) };
      const token = req.headers['x-amz-security-token'];
      let outcome = { verified: true };
      try {
        verify(request, {
          region: 'us-east-1', service: 'execute-api', now: new Date(serverNow),
          lookup: (id) => (KEYS[id] ? { secretAccessKey: KEYS[id].secretAccessKey, sessionToken: token } : null),
        });
      } catch (error) {
        outcome = { verified: false, code: error.code };
      }
      const id = /Credential=([A-Z]+)/.exec(req.headers.authorization || '')?.[1];
      serverState.received.push({ ...outcome, id, token, amzDate: req.headers['x-amz-date'] });
      let answer = [200, 'application/json', JSON.stringify({ ok: true, id })];
      if (!outcome.verified && (outcome.code === 'SIGNATURE_EXPIRED' || outcome.code === 'SIGNATURE_NOT_YET_CURRENT')) {
        answer = TIME_ERRORS[serverState.style](outcome.code);
      } else if (!outcome.verified) {
        answer = [403, 'application/json', JSON.stringify({ message: `The request signature we calculated does not match (${outcome.code})` })];
      } else if (serverState.expiredTokens.has(token)) {
        answer = [403, 'application/json', JSON.stringify({ __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' })];
      }
      res.writeHead(answer[0], { 'content-type': answer[1], date: new Date(serverNow).toUTCString() });
      res.end(answer[2]);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    resolve();
  }));
}

function reset() {
  serverState.skewMs = 0;
  serverState.style = 's3';
  serverState.expiredTokens = new Set();
  serverState.received.length = 0;
}

/** A provider that hands out `sequence` in turn (each an access key id of KEYS), counting calls. */
function rotating(sequence, expirationOf) {
  const provider = () => {
    const id = sequence[Math.min(provider.calls, sequence.length - 1)];
    provider.calls++;
    return Promise.resolve({ accessKeyId: id, ...KEYS[id], expiration: expirationOf ? expirationOf(provider.calls) : undefined });
  };
  provider.calls = 0;
  return provider;
}

before(startServer);
after(() => new Promise((resolve) => server.close(resolve)));

for (const buildName of BUILD_NAMES) {
  describe(`credentials on the ${buildName} build`, () => {
    let build;
    before(async () => {
      build = await loadBuild(buildName);
      verify = build.verify;
    });

    describe('cacheCredentials', () => {
      test('a sync provider is called once while its credentials are fresh, and again 5 minutes before they expire', async () => {
        let clock = T0;
        let calls = 0;
        const provider = build.cacheCredentials(() => {
          calls++;
          return { accessKeyId: `AKID${calls}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(clock + 15 * MINUTE) };
        }, { now: () => clock });
        const first = await provider();
        assert.equal(first.accessKeyId, 'AKID1');
        assert.deepEqual(first.expiration, new Date(T0 + 15 * MINUTE));
        clock = T0 + 10 * MINUTE - 1; // 5 min + 1 ms before the expiry: still fresh
        assert.equal((await provider()).accessKeyId, 'AKID1');
        assert.equal(provider.peek().accessKeyId, 'AKID1');
        assert.equal(calls, 1);
        clock = T0 + 10 * MINUTE; // exactly the margin: refreshed
        assert.equal(provider.peek(), undefined);
        assert.equal((await provider()).accessKeyId, 'AKID2');
        assert.equal(calls, 2);
        assert.equal(build.cacheCredentials(provider), provider, 'a cached provider is not wrapped twice');
      });

      test('the margin is an option; credentials without an expiration are kept until refresh()', async () => {
        let clock = T0;
        let calls = 0;
        const expiring = build.cacheCredentials(() => ({ accessKeyId: `A${++calls}`, secretAccessKey: 's', expiration: T0 + 2 * MINUTE }), { now: () => clock, marginMs: MINUTE });
        assert.equal((await expiring()).accessKeyId, 'A1');
        clock = T0 + MINUTE - 1;
        assert.equal((await expiring()).accessKeyId, 'A1');
        clock = T0 + MINUTE; // within the margin: fetched again, used, not reused (moto's live 90 s)
        assert.equal((await expiring()).accessKeyId, 'A2');
        assert.equal((await expiring()).accessKeyId, 'A3');
        clock = T0 + 2 * MINUTE; // at the expiry: refused
        await assert.rejects(expiring(), { code: 'CREDENTIALS_REFRESH_FAILED', message: /credentials that expired at 2026-01-02T03:06:05.000Z/ });
        assert.equal(calls, 4);
        let n = 0;
        const forever = build.cacheCredentials(() => ({ accessKeyId: `B${++n}`, secretAccessKey: 's' }), { now: () => clock });
        assert.equal((await forever()).accessKeyId, 'B1');
        clock += 1e12;
        assert.equal((await forever()).accessKeyId, 'B1');
        assert.equal(forever.peek().expiration, undefined);
        assert.equal((await forever.refresh()).accessKeyId, 'B2');
        forever.invalidate();
        assert.equal(forever.peek(), undefined);
        assert.equal((await forever()).accessKeyId, 'B3');
      });

      test('expiration as a Date, milliseconds or an ISO 8601 string (what STS returns)', async () => {
        for (const expiration of [new Date(T0 + 60 * MINUTE), T0 + 60 * MINUTE, new Date(T0 + 60 * MINUTE).toISOString()]) {
          const provider = build.cacheCredentials(() => ({ accessKeyId: 'A', secretAccessKey: 's', expiration }), { now: () => T0 });
          assert.deepEqual((await provider()).expiration, new Date(T0 + 60 * MINUTE));
        }
      });

      test('concurrent callers share one refresh', async () => {
        const gate = deferred();
        let calls = 0;
        const provider = build.cacheCredentials(() => {
          calls++;
          return gate.promise;
        });
        const callers = Array.from({ length: 20 }, () => provider());
        await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(calls, 1);
        gate.resolve({ accessKeyId: 'SHARED', secretAccessKey: 's', expiration: Date.now() + 60 * MINUTE });
        const all = await Promise.all(callers);
        assert.ok(all.every((credentials) => credentials === all[0] && credentials.accessKeyId === 'SHARED'));
        assert.equal(calls, 1);
      });

      test('a failed refresh rejects every waiting caller with CREDENTIALS_REFRESH_FAILED and is not cached', async () => {
        let calls = 0;
        const failure = new Error('GetCredentialsForIdentity answered 400 NotAuthorizedException');
        const provider = build.cacheCredentials(() => {
          calls++;
          if (calls === 1) return Promise.reject(failure);
          if (calls === 2) throw new Error('sync failure');
          return { accessKeyId: 'OK', secretAccessKey: 's' };
        });
        const waiting = await Promise.allSettled([provider(), provider(), provider()]);
        assert.equal(calls, 1);
        for (const outcome of waiting) {
          assert.equal(outcome.status, 'rejected');
          assert.ok(outcome.reason instanceof build.SigV4Error);
          assert.equal(outcome.reason.code, 'CREDENTIALS_REFRESH_FAILED');
          assert.equal(outcome.reason.cause, failure);
          assert.match(outcome.reason.message, /the credentials provider failed: GetCredentialsForIdentity answered 400/);
        }
        await assert.rejects(provider(), { code: 'CREDENTIALS_REFRESH_FAILED', message: /sync failure/ });
        assert.equal((await provider()).accessKeyId, 'OK');
        assert.equal(calls, 3);
      });

      test('what a provider returns is checked, and no secret is echoed', async () => {
        const cases = [
          [null, /must return \(or resolve to\) an object/],
          [{ secretAccessKey: 'SECRETVALUE' }, /no accessKeyId/],
          [{ accessKeyId: 'A' }, /no secretAccessKey/],
          [{ accessKeyId: 'A', secretAccessKey: 'SECRETVALUE', sessionToken: 5 }, /sessionToken that is not a string/],
          [{ accessKeyId: 'A', secretAccessKey: 'SECRETVALUE', expiration: 'next tuesday' }, /expiration that is not a Date/],
          [{ accessKeyId: 'A', secretAccessKey: 'SECRETVALUE', expiration: Date.now() - 1 }, /credentials that expired at/],
        ];
        for (const [value, message] of cases) {
          const error = await build.cacheCredentials(() => value)().then(() => null, (e) => e);
          assert.ok(error, `rejected: ${JSON.stringify(value)}`);
          assert.equal(error.code, 'CREDENTIALS_REFRESH_FAILED');
          assert.match(error.message, message);
          assert.ok(!error.message.includes('SECRETVALUE'));
        }
        assert.throws(() => build.cacheCredentials('AKID'), TypeError);
        assert.throws(() => build.cacheCredentials(() => null, { marginMs: -1 }), TypeError);
      });
    });

    describe('AwsClient with credentials', () => {
      test('credentials as a value sign as accessKeyId and secretAccessKey do', async () => {
        reset();
        const client = new build.AwsClient({ credentials: { accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC }, service: 'execute-api', region: 'us-east-1', retries: 0 });
        const response = await client.fetch(`${baseUrl}/prod/pets`);
        assert.equal(response.status, 200);
        assert.deepEqual(serverState.received.map((r) => [r.verified, r.id]), [[true, 'AKIDSTATIC']]);
        assert.throws(() => new build.AwsClient({ credentials: { accessKeyId: 'A', secretAccessKey: 's' }, accessKeyId: 'B' }), TypeError);
        assert.throws(() => new build.AwsClient({ credentials: 'AKID' }), TypeError);
      });

      test('a provider: fetched on first use, cached, refreshed ahead of expiry; signSync takes values only', async () => {
        reset();
        let clock = Date.now();
        const provider = rotating(['AKIDFIRST', 'AKIDSECOND'], () => clock + 15 * MINUTE);
        const client = new build.AwsClient({ credentials: provider, service: 'execute-api', region: 'us-east-1', retries: 0, now: () => clock });
        assert.equal(provider.calls, 0, 'the constructor calls nothing');
        assert.throws(() => client.signSync(`${baseUrl}/prod/pets`), { name: 'TypeError', message: /signSync signs with credentials as values/ });
        const [a, b] = await Promise.all([client.fetch(`${baseUrl}/prod/a`), client.fetch(`${baseUrl}/prod/b`)]);
        assert.equal(a.status, 200);
        assert.equal(b.status, 200);
        assert.equal(provider.calls, 1, 'two concurrent fetches share one call of the provider');
        const signed = client.signSync(`${baseUrl}/prod/pets`);
        assert.match(signed.init.headers.authorization, /Credential=AKIDFIRST\//);
        assert.equal(signed.init.headers['x-amz-security-token'], 'token-first');
        clock += 10 * MINUTE + 1; // within 5 minutes of the expiry
        assert.equal((await client.fetch(`${baseUrl}/prod/c`)).status, 200);
        assert.equal(provider.calls, 2);
        assert.deepEqual(serverState.received.map((r) => [r.verified, r.id, r.token]), [
          [true, 'AKIDFIRST', 'token-first'], [true, 'AKIDFIRST', 'token-first'], [true, 'AKIDSECOND', 'token-second'],
        ]);
        assert.ok(!JSON.stringify(client).includes('secret'), 'the provider and the secrets are not enumerable');
      });

      test('a provider that fails: fetch rejects with CREDENTIALS_REFRESH_FAILED, nothing is sent, the next fetch tries again', async () => {
        reset();
        let fail = true;
        const client = new build.AwsClient({
          credentials: async () => {
            if (fail) throw new Error('identity pool unreachable');
            return { accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC };
          },
          service: 'execute-api', region: 'us-east-1', retries: 0,
        });
        await assert.rejects(client.fetch(`${baseUrl}/prod/a`), { code: 'CREDENTIALS_REFRESH_FAILED', message: /identity pool unreachable/ });
        await assert.rejects(client.sign(`${baseUrl}/prod/a`), { code: 'CREDENTIALS_REFRESH_FAILED' });
        assert.equal(serverState.received.length, 0);
        fail = false;
        assert.equal((await client.fetch(`${baseUrl}/prod/a`)).status, 200);
      });

      test('an ExpiredToken answer makes the provider fetch new credentials, and the request is sent again once', async () => {
        reset();
        serverState.expiredTokens.add('token-first');
        const provider = rotating(['AKIDFIRST', 'AKIDSECOND'], () => Date.now() + 60 * MINUTE);
        const client = new build.AwsClient({ credentials: provider, service: 'execute-api', region: 'us-east-1', retries: 0 });
        const response = await client.fetch(`${baseUrl}/prod/a`);
        assert.equal(response.status, 200);
        assert.equal(provider.calls, 2);
        assert.deepEqual(serverState.received.map((r) => r.token), ['token-first', 'token-second']);
        // With values there is nothing to refresh: the answer is returned as it is.
        reset();
        serverState.expiredTokens.add('token-first');
        const fixed = new build.AwsClient({ accessKeyId: 'AKIDFIRST', ...KEYS.AKIDFIRST, service: 'execute-api', region: 'us-east-1', retries: 0 });
        assert.equal((await fixed.fetch(`${baseUrl}/prod/a`)).status, 403);
        assert.equal(serverState.received.length, 1);
      });
    });

    describe('clock skew', () => {
      const AHEAD = 20 * MINUTE;
      for (const [style, label] of [['s3', 'RequestTimeTooSkewed (S3)'], ['apigateway', 'Signature expired (API Gateway)'], ['sts', 'Signature expired (STS, 400)']]) {
        test(`${label}: the offset is learnt from the Date header, the request retried once, later ones signed at the corrected time`, async () => {
          reset();
          serverState.skewMs = AHEAD;
          serverState.style = style;
          const client = new build.AwsClient({ accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC, service: 'execute-api', region: 'us-east-1', retries: 0, now: () => Date.now() });
          const first = await client.fetch(`${baseUrl}/prod/a`, { method: 'POST', body: 'hello' });
          assert.equal(first.status, 200);
          assert.deepEqual(serverState.received.map((r) => r.verified), [false, true]);
          assert.equal(serverState.received[0].code, 'SIGNATURE_EXPIRED');
          assert.ok(Math.abs(client.clockOffsetMs - AHEAD) < 2000, `offset ${client.clockOffsetMs}`);
          const second = await client.fetch(`${baseUrl}/prod/b`);
          assert.equal(second.status, 200);
          assert.deepEqual(serverState.received.map((r) => r.verified), [false, true, true], 'no rejected request once corrected');
          // signSync uses the corrected clock too.
          const { signed } = client.signSync(`${baseUrl}/prod/c`);
          assert.ok(Math.abs(Date.parse(signed.datetime.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z')) - (Date.now() + AHEAD)) < 5000);
        });
      }

      test('Signature not yet current (a client clock ahead): a negative offset', async () => {
        reset();
        serverState.style = 'apigateway';
        const client = new build.AwsClient({ accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC, service: 'execute-api', region: 'us-east-1', retries: 0, now: () => Date.now() + AHEAD });
        assert.equal((await client.fetch(`${baseUrl}/prod/a`)).status, 200);
        assert.deepEqual(serverState.received.map((r) => [r.verified, r.code]), [[false, 'SIGNATURE_NOT_YET_CURRENT'], [true, undefined]]);
        assert.ok(Math.abs(client.clockOffsetMs + AHEAD) < 2000, `offset ${client.clockOffsetMs}`);
      });

      test('retried once only; not retried when the datetime is given, nor on another 403', async () => {
        reset();
        serverState.skewMs = AHEAD;
        // A clock that stays wrong whatever the offset (each call drifts further): one retry, then the answer.
        let drift = 0;
        const client = new build.AwsClient({ accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC, service: 'execute-api', region: 'us-east-1', retries: 0, now: () => Date.now() - (drift += AHEAD) });
        assert.equal((await client.fetch(`${baseUrl}/prod/a`)).status, 403);
        assert.equal(serverState.received.length, 2);
        reset();
        serverState.skewMs = AHEAD;
        const dated = new build.AwsClient({ accessKeyId: 'AKIDSTATIC', ...KEYS.AKIDSTATIC, service: 'execute-api', region: 'us-east-1', retries: 0 });
        const answer = await dated.fetch(`${baseUrl}/prod/a`, { aws: { datetime: new Date(Date.now()) } });
        assert.equal(answer.status, 403);
        assert.match(await answer.text(), /RequestTimeTooSkewed/, 'the answer returned is whole');
        assert.equal(serverState.received.length, 1);
        assert.equal(dated.clockOffsetMs, 0);
        reset();
        const wrongKey = new build.AwsClient({ accessKeyId: 'AKIDSTATIC', secretAccessKey: 'wrong', service: 'execute-api', region: 'us-east-1', retries: 0 });
        assert.equal((await wrongKey.fetch(`${baseUrl}/prod/a`)).status, 403);
        assert.equal(serverState.received.length, 1);
      });
    });
  });
}
