// The worker of policy.test.mjs: times evaluatePolicy on a resource of `length` and of twice
// that, and posts the ratio. In a worker so that the test can stop a matcher that never
// returns (the regular expression this replaced), which a test in the same thread cannot.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluatePolicy, INVOKE } from '../../www/server/policy.mjs';

/** Median over `samples` of the time per call of `fn`, each sample repeating it for at least 20 ms. */
function medianMsPerCall(fn, samples = 7) {
  const times = [];
  for (let s = 0; s < samples; s++) {
    let calls = 0;
    const start = performance.now();
    let elapsed;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < 20);
    times.push(elapsed / calls);
  }
  return times.sort((a, b) => a - b)[samples >> 1];
}

const { pattern, prefix, fill, length } = workerData;
const policy = { statements: [{ effect: 'Allow', actions: [INVOKE], notAction: false, resources: [pattern], notResource: false }] };
const small = prefix + fill.repeat(length);
const large = prefix + fill.repeat(2 * length);
medianMsPerCall(() => evaluatePolicy(policy, INVOKE, large), 1); // warm up
const ratio = medianMsPerCall(() => evaluatePolicy(policy, INVOKE, large)) / medianMsPerCall(() => evaluatePolicy(policy, INVOKE, small));
parentPort.postMessage(ratio);
