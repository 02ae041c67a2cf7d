// The TypeScript declarations (js/src/index.d.ts, shipped as dist/index.d.ts) type-check the
// documented usage under --strict, and reject the misuses marked @ts-expect-error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('tsc --strict accepts the documented usage and rejects the misuses', () => {
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2022,dom', '--skipLibCheck', 'false', 'tests/js/types/usage.ts'];
  let output = '';
  try {
    output = execFileSync(`${root}node_modules/.bin/tsc`, args, { cwd: root, encoding: 'utf8' });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
    assert.fail(`tsc reported errors:\n${output}`);
  }
  assert.equal(output.trim(), '');
});
