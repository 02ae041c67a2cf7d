// The measurement loop, shared by Node and the Chromium page (no Node or DOM APIs besides
// performance.now()).
//
// For one group of cases (the signers of one workload), each case is warmed up and
// calibrated to an iteration count that takes about `sliceMs`; then `samples` rounds run,
// each round timing every case once for its fixed iteration count, in a rotated order so that
// machine noise (other processes, GC, frequency changes) spreads over all signers instead of
// landing on one. A case's result is the median of its per-sample ops/s.

const now = () => performance.now();

/** Median of a numeric array (mean of the two middle values for an even length). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile (0..1) by linear interpolation. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// Every result is folded into this sink so that no engine can drop a call as dead code.
let sink = 0;
export function getSink() {
  return sink;
}
function consume(signature) {
  sink = (sink + signature.charCodeAt(sink & 63) + signature.length) | 0;
}

/** Runs `op` `n` times and returns the elapsed milliseconds. */
async function timeBatch(testCase, n) {
  const op = testCase.op;
  if (testCase.async) {
    const t0 = now();
    for (let i = 0; i < n; i++) consume(await op());
    return now() - t0;
  }
  const t0 = now();
  for (let i = 0; i < n; i++) consume(op());
  return now() - t0;
}

/** Runs each case for about `ms` milliseconds (at least 3 calls). */
export async function warmUp(cases, ms) {
  for (const testCase of cases) {
    let calls = 0;
    for (let spent = 0; spent < ms || calls < 3; calls++) spent += await timeBatch(testCase, 1);
  }
}

/**
 * Measures a group of cases: [{ id, op, async }] -> { [id]: { medianOps, p25, p75, samples, n } }.
 * `op()` performs one complete signing and returns (or resolves to) the signature.
 */
export async function measureGroup(cases, { samples = 21, sliceMs = 50, warmupMs = 400, onSample } = {}) {
  const iterations = {};
  for (const testCase of cases) {
    // Warm up for warmupMs (at least 3 calls), then calibrate on the second half.
    let calls = 0;
    let spent = 0;
    let lateCalls = 0;
    let lateSpent = 0;
    while (spent < warmupMs || calls < 3) {
      const batch = Math.max(1, calls >> 2);
      const elapsed = await timeBatch(testCase, batch);
      calls += batch;
      spent += elapsed;
      if (spent >= warmupMs / 2) {
        lateCalls += batch;
        lateSpent += elapsed;
      }
    }
    const perOp = lateCalls ? lateSpent / lateCalls : spent / calls;
    iterations[testCase.id] = Math.max(1, Math.round(sliceMs / Math.max(perOp, 1e-6)));
  }
  const perSample = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < cases.length; k++) {
      const testCase = cases[(s + k) % cases.length];
      const n = iterations[testCase.id];
      const elapsed = await timeBatch(testCase, n);
      perSample[testCase.id].push((n * 1000) / elapsed);
    }
    if (onSample) onSample(s + 1, samples);
    // Let the event loop breathe (timers, the page's console) between rounds.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const out = {};
  for (const testCase of cases) {
    const values = perSample[testCase.id];
    out[testCase.id] = {
      medianOps: median(values),
      p25: quantile(values, 0.25),
      p75: quantile(values, 0.75),
      n: iterations[testCase.id],
      samples: values.map((v) => Math.round(v * 10) / 10),
    };
  }
  return out;
}
