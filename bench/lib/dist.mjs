// The package under test is the build in js/dist, which the maintainer may be rebuilding.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLES = ['index.mjs', 'js.mjs'];

/** Waits (up to 5 minutes) until js/dist has the bundles the benchmark imports. */
export async function waitForDist() {
  const files = BUNDLES.map((f) => join(root, 'js', 'dist', f));
  for (let waited = 0; !files.every(existsSync); waited += 5) {
    if (waited >= 300) throw new Error('bench: js/dist is missing (build the package: npm run build)');
    if (waited === 0) console.error('bench: js/dist is missing; waiting for the build to finish...');
    await new Promise((r) => setTimeout(r, 5000));
  }
  // A build writes the bundles last but one after the other: give it a moment to finish.
  await new Promise((r) => setTimeout(r, 1000));
}

/** Identifies the build under test (to notice a rebuild in the middle of a run). */
export function distFingerprint() {
  const h = createHash('sha256');
  for (const f of BUNDLES) h.update(readFileSync(join(root, 'js', 'dist', f)));
  return h.digest('hex').slice(0, 16);
}
