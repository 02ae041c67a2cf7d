// The package's builds as each audience gets them, for the suites that run in Node: one
// build's signer API (sigv4-wasm in that runtime) with verify from the same audience's
// sigv4-wasm/verify. js/package.json maps the conditions to these files; Node's own
// condition is `server`, the others are imported by file.
export const BUILDS = {
  /** Node, Deno, Bun: the servers' binary, built for speed; one instance for both subpaths. */
  server: { signer: 'sigv4-wasm', verify: 'sigv4-wasm/verify', backend: 'wasm' },
  /** Browsers and bundlers: the signer's binary, built for size; verify brings the servers'. */
  browser: { signer: '../../js/dist/browser.mjs', verify: '../../js/dist/verify.mjs', backend: 'wasm' },
  /** Postman, pages that refuse WebAssembly, runtimes without it: the signer's translation. */
  js: { signer: 'sigv4-wasm/js', verify: '../../js/dist/verify-js.mjs', backend: 'js' },
  /** React Native: the translation of the signer built for speed in an interpreter. */
  native: { signer: '../../js/dist/react-native.cjs', verify: '../../js/dist/verify-js.mjs', backend: 'js' },
};

/** The signer API of build `name` with its verify (and `verifyBackend`, its getBackend). */
export async function loadBuild(name) {
  const build = BUILDS[name];
  // A CommonJS-only bundle (react-native.cjs) imports as its module.exports, under default.
  const load = async (entry) => {
    const module = await import(entry);
    return module.sign || module.verify ? module : module.default;
  };
  const [signer, verifier] = await Promise.all([load(build.signer), load(build.verify)]);
  return { ...signer, verify: verifier.verify, verifyBackend: verifier.getBackend };
}
