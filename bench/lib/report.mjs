// Markdown tables and the issue-12 speed targets from the results of run.mjs.

const fmtOps = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const spread = (r) => (r.medianOps ? Math.round(((r.p75 - r.p25) / 2 / r.medianOps) * 100) : 0);
const cell = (r) => (r ? `${fmtOps(r.medianOps)} ±${spread(r)}%` : '–');
const ratio = (a, b) => (a && b ? a.medianOps / b.medianOps : undefined);
const fmtRatio = (x) => (x === undefined ? '–' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`);

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h, i) => (i ? '---:' : '---')).join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const SMALL = ['apigw-get', 'post-json-1k', 's3-presign-get', 'sts-post-token'];

/** The speed targets of issue 12: [{ name, pass, detail }]. */
export function evaluateTargets(results) {
  const targets = [];
  const node = results.node;
  const chromium = results.chromium;
  const against = (env, id, peer, wanted, ours = 'sigv4-wasm') => {
    const w = env.workloads[id];
    const x = w && ratio(w.signers[ours], w.signers[peer]);
    if (x !== undefined) targets.push({ name: `≥ ${wanted}x ${peer}, ${env === node ? 'Node' : 'Chromium'}, ${id}${ours === 'sigv4-wasm' ? '' : ` (${ours})`}`, pass: x >= wanted, value: x, detail: fmtRatio(x) });
  };
  if (node) for (const id of SMALL) against(node, id, 'aws4', 1);
  if (chromium) {
    for (const id of SMALL) {
      against(chromium, id, 'aws4fetch', 2);
      against(chromium, id, 'smithy', 2);
    }
    against(chromium, 's3-put-1m', 'aws4fetch', 0.9, 'sigv4-wasm (signAsync)');
  }
  return targets;
}

const micros = (x) => x.toFixed(2);

/** For each speed target: the time it allows per signature against the floor of this design. */
export function timeBudgets(results) {
  const rows = [];
  const add = (target, env, id, peer, ratioWanted) => {
    const w = env.workloads[id];
    const f = env.floor && env.floor.workloads[id];
    if (!w || !f || !w.signers[peer] || !w.signers['sigv4-wasm']) return;
    const allowed = 1e6 / w.signers[peer].medianOps / ratioWanted;
    const hashing = f.blocks * env.floor.blockMicros;
    rows.push({
      target, env: env.env, workload: id, allowed, blocks: f.blocks, hashing, call: env.floor.callMicros,
      left: allowed - f.micros, measured: 1e6 / w.signers['sigv4-wasm'].medianOps,
    });
  };
  if (results.node) for (const id of SMALL) add('2x aws4 (where this should end up)', results.node, id, 'aws4', 2);
  return rows;
}

export function markdown(results) {
  const out = [];
  const m = results.machine;
  out.push(`# sigv4-wasm benchmark (${results.date})`);
  out.push('');
  out.push(`CPU: ${m.cpu} (${m.cpus} logical CPUs); Node ${m.node}; ${m.chromium || 'Chromium not run'}; ` +
    `${results.config.samples} samples × ~${results.config.sliceMs} ms per signer, ${results.config.warmupMs} ms warm-up; ` +
    'median ops/s ± half the interquartile range; ratios are sigv4-wasm median ÷ peer median (> 1: sigv4-wasm is faster). ' +
    `Load average (1 min) before/after: ${m.loadavgBefore ? m.loadavgBefore[0] : '?'} / ${m.loadavgAfter ? m.loadavgAfter[0] : '?'}.`);
  for (const w of results.warnings || []) out.push('', `**Warning:** ${w}.`);
  for (const env of [results.node, results.chromium]) {
    if (!env) continue;
    out.push('', `Cross-check (${env.env}, every signature 64 hex digits; same canonical request → same signature):`, '');
    for (const line of env.crossCheck) out.push(`    ${line}`);
  }

  const node = results.node;
  if (node) {
    out.push('', '## Node', '');
    out.push(table(
      ['Workload', 'sigv4-wasm (wasm)', 'aws4', '@smithy/signature-v4', 'aws4fetch', '× aws4', '× smithy', '× aws4fetch'],
      Object.values(node.workloads).map((w) => {
        const s = w.signers;
        return [w.title, cell(s['sigv4-wasm']), cell(s.aws4), cell(s.smithy), cell(s.aws4fetch),
          fmtRatio(ratio(s['sigv4-wasm'], s.aws4)), fmtRatio(ratio(s['sigv4-wasm'], s.smithy)), fmtRatio(ratio(s['sigv4-wasm'], s.aws4fetch))];
      }),
    ));
    out.push('', '### wasm2js backend (sigv4-wasm/js) against wasm, Node', '');
    out.push('The translation against the binary it translates (the browsers\' signer, built for size), ' +
      'within 3x (issue 3); and against the servers\' binary, built for speed, which Node gets. ' +
      'The 1 MiB PUT is not like for like: the browsers\' build hashes the body in wasm, sigv4-wasm/js in Node with node:crypto.', '');
    out.push(table(
      ['Workload', 'signer wasm', 'wasm2js', 'signer wasm ÷ wasm2js', '≤ 3x', 'servers\' wasm', 'servers\' wasm ÷ wasm2js'],
      Object.values(node.workloads).map((w) => {
        const s = w.signers;
        const x = ratio(s['sigv4-wasm (signer wasm)'], s['sigv4-wasm/js']);
        return [w.title, cell(s['sigv4-wasm (signer wasm)']), cell(s['sigv4-wasm/js']), fmtRatio(x), x <= 3 ? 'pass' : 'FAIL',
          cell(s['sigv4-wasm']), fmtRatio(ratio(s['sigv4-wasm'], s['sigv4-wasm/js']))];
      }),
    ));
  }

  const chromium = results.chromium;
  if (chromium) {
    out.push('', '## Headless Chromium', '');
    out.push('smithy = @smithy/signature-v4 with @aws-crypto/sha256-browser (WebCrypto, the AWS SDK v3 browser default); ' +
      'smithy (sha256-js) = with the pure-JavaScript @aws-crypto/sha256-js. aws4 needs Node built-ins and is not run here.', '');
    out.push(table(
      ['Workload', 'sigv4-wasm (wasm)', 'signAsync', 'sigv4-wasm/js', 'aws4fetch', 'smithy', 'smithy (sha256-js)', '× aws4fetch', '× smithy', '× smithy (sha256-js)', 'signAsync × aws4fetch', 'wasm ÷ wasm2js'],
      Object.values(chromium.workloads).map((w) => {
        const s = w.signers;
        return [w.title, cell(s['sigv4-wasm']), cell(s['sigv4-wasm (signAsync)']), cell(s['sigv4-wasm/js']), cell(s.aws4fetch), cell(s.smithy), cell(s['smithy (sha256-js)']),
          fmtRatio(ratio(s['sigv4-wasm'], s.aws4fetch)), fmtRatio(ratio(s['sigv4-wasm'], s.smithy)),
          fmtRatio(ratio(s['sigv4-wasm'], s['smithy (sha256-js)'])), fmtRatio(ratio(s['sigv4-wasm (signAsync)'], s.aws4fetch)),
          fmtRatio(ratio(s['sigv4-wasm'], s['sigv4-wasm/js']))];
      }),
    ));
  }

  const hashRows = [];
  for (const env of [node, chromium]) {
    if (!env || !env.hashing) continue;
    const h = env.hashing.mbps;
    const native = h['node:crypto'] !== undefined ? h['node:crypto'] : h['WebCrypto digest'];
    const nativeName = h['node:crypto'] !== undefined ? 'node:crypto' : 'WebCrypto';
    hashRows.push([env.env === 'node' ? 'Node' : 'Chromium', `${h['sigv4-wasm'].toFixed(0)}`,
      h['sigv4-wasm/js'] !== undefined ? `${h['sigv4-wasm/js'].toFixed(0)}` : '–',
      h['node:crypto'] !== undefined ? `${h['node:crypto'].toFixed(0)}` : '–',
      `${h['WebCrypto digest'].toFixed(0)}`,
      `${(h['sigv4-wasm'] / native).toFixed(2)}x ${nativeName}`]);
  }
  if (hashRows.length) {
    out.push('', '## Payload hashing, 1 MiB (MB/s, MB = 10^6 bytes)', '');
    out.push('sigv4-wasm: (1 MiB − 16 B) ÷ (time to sign the S3 PUT with a 1 MiB body − time with a 16 B body), ' +
      'with `nativeHash: false` so that the body is hashed in wasm (sign() in Node hashes it with node:crypto), ' +
      'so it includes copying the body into wasm memory. Native: one SHA-256 of the 1 MiB body per call, hex digest.', '');
    out.push(table(['Environment', 'sigv4-wasm (wasm)', 'sigv4-wasm/js', 'node:crypto createHash', 'WebCrypto digest', 'sigv4-wasm ÷ native'], hashRows));
  }

  const budgetRows = timeBudgets(results).map((b) => [b.target, b.env, b.workload, micros(b.allowed), String(b.blocks),
    micros(b.hashing), micros(b.call), b.left >= 0 ? micros(b.left) : `**${micros(b.left)}**`, micros(b.measured)]);
  if (budgetRows.length) {
    out.push('', '## What each speed target leaves (µs per signature)', '');
    out.push('Allowed: the peer\'s median time ÷ the target ratio. Floor: the SHA-256 blocks SigV4 hashes per signature ' +
      '(payload, canonical request, and HMAC of the string to sign with the cached key\'s precomputed pads) at the wasm ' +
      'per-block time from the hashing measurement, plus one call into the module (inferScope: a lower bound for sign\'s ' +
      'crossing). Left: what remains for URL parsing, canonicalization, validation and returning the artefacts; negative ' +
      'means no signer that hashes in wasm can meet the target on this machine.', '');
    out.push(table(['Target', 'Env', 'Workload', 'Allowed', 'Blocks', 'Hashing', 'Call', 'Left', 'sigv4-wasm now'], budgetRows));
  }

  const targets = results.targets;
  if (targets.length) {
    out.push('', '## Targets (issue 12)', '');
    out.push(table(['Target', 'Measured', 'Result'], targets.map((t) => [t.name, t.detail, t.pass ? 'pass' : '**FAIL**'])));
  }
  return out.join('\n');
}
