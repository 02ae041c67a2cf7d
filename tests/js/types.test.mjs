// The TypeScript declarations (js/src/index.d.ts, shipped as dist/index.d.ts) type-check the
// documented usage under --strict, and reject the misuses marked @ts-expect-error; they need
// no particular library: they compile in a browser project (DOM, no @types/node), a Node-only
// project (@types/node, no DOM) and a React Native project (React Native's tsconfig), each
// checking the package's declarations too (skipLibCheck false).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = `${root}node_modules/.bin/tsc`;

function check(args) {
  try {
    return execFileSync(tsc, args, { cwd: root, encoding: 'utf8' });
  } catch (error) {
    assert.fail(`tsc reported errors:\n${error.stdout}${error.stderr}`);
  }
}

test('tsc --strict accepts the documented usage and rejects the misuses', () => {
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2022,dom', '--skipLibCheck', 'false', 'tests/js/types/usage.ts', 'tests/js/types/aws4fetch.ts', 'tests/js/types/cognito.ts'];
  assert.equal(check(args).trim(), '');
});

for (const project of ['dom', 'node', 'react-native']) {
  test(`the types compile in a ${project} project (tests/js/types/tsconfig.${project}.json)`, () => {
    assert.equal(check(['-p', `tests/js/types/tsconfig.${project}.json`]).trim(), '');
  });
}
