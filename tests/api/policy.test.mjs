// Policy wildcards (`*`, `?`) match in time linear in the resource: a request path cannot
// make the server spend more than a bounded time per pattern character. And they match
// exactly what IAM's wildcards mean, compared with a regular expression on small inputs.
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import assert from 'node:assert/strict';
import { evaluatePolicy, INVOKE } from '../../www/server/policy.mjs';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';

/** A policy of one Allow statement on `resource`, in config.mjs's validated form. */
function allowOn(resource, action = INVOKE) {
  return { statements: [{ effect: 'Allow', actions: [action], notAction: false, resources: [resource], notResource: false }] };
}

/** Linear growth multiplies the time by GROWTH, quadratic by its square. */
const GROWTH = 4;

/**
 * How much longer evaluating `pattern` takes on `prefix` + `fill` x GROWTH·length than x
 * length (the median of timed runs, in a worker), or a rejection when that takes over 20 s.
 */
function growthRatio(pattern, prefix, fill, length) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./policy-timing.mjs', import.meta.url), { workerData: { pattern, prefix, fill, length, growth: GROWTH } });
    const deadline = setTimeout(() => {
      worker.terminate();
      reject(new Error(`${pattern.slice(0, 80)}…: no answer from the matcher in 20 s`));
    }, 20_000);
    worker.once('message', (ratio) => {
      clearTimeout(deadline);
      worker.terminate();
      resolve(ratio);
    });
    worker.once('error', reject);
  });
}

async function assertLinear(pattern, prefix, fill, length) {
  const ratio = await growthRatio(pattern, prefix, fill, length);
  // Linear is 4x and quadratic 16x: 8x leaves a noisy machine room both ways.
  assert.ok(ratio < 2 * GROWTH, `${pattern.slice(0, 80)}…: a resource ${GROWTH} times longer took ${ratio.toFixed(1)} times as long`);
}

test('the reported attack: many stars, and a resource of 2,500 colons then 10,000, grows linearly', async () => {
  // A pattern with stars between colons and a path of colons that ends without the
  // pattern's last character: a backtracking regular expression tries every way of
  // splitting the colons among the stars (2,500 colons blocked the server for seconds).
  await assertLinear(`${ARN}/test/GET/pets/${'*:'.repeat(20)}!`, `${ARN}/test/GET/pets/`, ':', 2500);
});

test('long runs between stars, up to the longest request line the server reads (16 KiB), grow linearly too', async () => {
  const run = 'a'.repeat(60);
  for (const pattern of [`${ARN}/*${run}b`, `${ARN}/*${run}?*${run}b*`, `*?${'?*'.repeat(30)}b`]) {
    await assertLinear(pattern, `${ARN}/`, 'a', 4000);
  }
});

test('wildcards mean what IAM says: `*` any run of characters, `?` exactly one, everything else literal', () => {
  const reference = (pattern, text) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(text);
  const alphabet = ['a', 'b', '*', '?'];
  // Every pattern of up to 5 characters over a, b, * and ?, against every text of up to 5
  // characters over a and b.
  const strings = (chars, max) => {
    const all = [''];
    for (let i = 0; i < all.length; i++) if (all[i].length < max) for (const c of chars) all.push(all[i] + c);
    return all;
  };
  const texts = strings(['a', 'b'], 5);
  for (const pattern of strings(alphabet, 5)) {
    const policy = allowOn(pattern);
    for (const text of texts) {
      assert.equal(evaluatePolicy(policy, INVOKE, text) === 'allow', reference(pattern, text), `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`);
    }
  }
  for (const [pattern, text, allowed] of [
    [`${ARN}/test/GET/pets.*`, `${ARN}/test/GET/pets.json`, true],
    [`${ARN}/test/GET/pets.*`, `${ARN}/test/GET/petsXjson`, false],
    [`${ARN}/test/GET/(a|b)+[x]`, `${ARN}/test/GET/(a|b)+[x]`, true],
    [`${ARN}/test/GET/(a|b)+[x]`, `${ARN}/test/GET/a`, false],
    [`${ARN}/*/GET/pets/?`, `${ARN}/test/GET/pets/1`, true],
    [`${ARN}/*/GET/pets/?`, `${ARN}/test/GET/pets/12`, false],
    [`${ARN}/*/GET/*`, `${ARN}/test/POST/pets`, false],
    ['*', '', true],
    ['?', '', false],
    ['a*\n', 'ab\n', true],
  ]) {
    assert.equal(evaluatePolicy(allowOn(pattern), INVOKE, text) === 'allow', allowed, `${pattern} on ${text}`);
  }
  // Actions are case-insensitive, resources are not.
  assert.equal(evaluatePolicy(allowOn('*', 'Execute-API:invoke'), INVOKE, ARN), 'allow');
  assert.equal(evaluatePolicy(allowOn('*', 'execute-api:Inv?ke'), INVOKE, ARN), 'allow');
  assert.equal(evaluatePolicy(allowOn(`${ARN}/test/GET/Pets`), INVOKE, `${ARN}/test/GET/pets`), 'implicit-deny');
});
