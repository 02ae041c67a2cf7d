// The package's builds as each audience gets them, for the suites that run in Node: one
// build's signer API (sigv4-wasm in that runtime) with verify from the same audience's
// sigv4-wasm/verify. js/package.json maps the conditions to these files; Node's own
// condition is `server`, the others are imported by file.
export const BUILDS = {
  /** Node, Deno, Bun: the servers' binary, built for speed; one instance for both subpaths. */
  server: { signer: 'sigv4-wasm', verify: 'sigv4-wasm/verify', backend: 'wasm' },
  /** Browsers and bundlers: the signer's binary, built for size; verify brings the servers'. */
  browser: { signer: '../../js/dist/browser.mjs', verify: '../../js/dist/verify.mjs', backend: 'wasm' },
  /** React Native, Postman, runtimes without WebAssembly: wasm2js translations. */
  js: { signer: 'sigv4-wasm/js', verify: '../../js/dist/verify-js.mjs', backend: 'js' },
};

/** The signer API of build `name` with its verify (and `verifyBackend`, its getBackend). */
export async function loadBuild(name) {
  const build = BUILDS[name];
  const [signer, verifier] = await Promise.all([import(build.signer), import(build.verify)]);
  return { ...signer, verify: verifier.verify, verifyBackend: verifier.getBackend };
}
