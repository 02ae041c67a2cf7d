// The package under test is the build in js/dist, which the maintainer may replace mid-run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLES = ['browser.mjs', 'server.mjs', 'js.mjs'];

/** Fails unless js/dist holds a build (js/build.mjs replaces it whole, never in part). */
export function requireDist() {
  const missing = BUNDLES.filter((f) => !existsSync(join(root, 'js', 'dist', f)));
  if (missing.length) throw new Error(`bench: js/dist has no ${missing.join(' or ')}; build the package first (node js/build.mjs, or scripts/setup)`);
}

/** Identifies the build under test (to notice a rebuild in the middle of a run). */
export function distFingerprint() {
  const h = createHash('sha256');
  for (const f of BUNDLES) h.update(readFileSync(join(root, 'js', 'dist', f)));
  return h.digest('hex').slice(0, 16);
}
