// The worker of policy.test.mjs: times evaluatePolicy on a resource of `length` and of `growth`
// times that, and posts the ratio. In a worker so that the test can stop a matcher that never
// returns (the regular expression this replaced), which a test in the same thread cannot.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluatePolicy, INVOKE } from '../../www/server/policy.mjs';

/** Time per call of `fn` in ms, repeating it for at least 20 ms. */
function msPerCall(fn) {
  let calls = 0;
  const start = performance.now();
  let elapsed;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < 20);
  return elapsed / calls;
}

const { pattern, prefix, fill, length, growth } = workerData;
const policy = { statements: [{ effect: 'Allow', actions: [INVOKE], notAction: false, resources: [pattern], notResource: false }] };
const small = prefix + fill.repeat(length);
const large = prefix + fill.repeat(growth * length);
msPerCall(() => evaluatePolicy(policy, INVOKE, large)); // warm up
// Each sample times both sizes back to back, so a load that comes and goes on the machine
// slows both; the median of the samples' ratios is reported.
const ratios = [];
for (let sample = 0; sample < 9; sample++) {
  const smallMs = msPerCall(() => evaluatePolicy(policy, INVOKE, small));
  ratios.push(msPerCall(() => evaluatePolicy(policy, INVOKE, large)) / smallMs);
}
parentPort.postMessage(ratios.sort((a, b) => a - b)[ratios.length >> 1]);
