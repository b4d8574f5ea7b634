/**
 * Vitest's global setup: brings dist/ up to date before any test file runs. The tests that start a
 * real `sfjwt` process run bin/sfjwt.js, which runs the compiled CLI in dist/, so without this
 * `npx vitest run src/cli/cli.test.ts` after an edit would test the previous build. `tsc -b` rebuilds
 * only what changed and a build with nothing to do takes well under a second (`npm test` has just
 * built, so there it does nothing).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function buildDist(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // What `npm run build` runs, without npm: the compile, then the removal of outputs of old sources.
  for (const args of [[tsc, '-b', 'tsconfig.build.json', 'tsconfig.types.json'], ['scripts/prune-dist.mjs']]) {
    const step = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (step.status !== 0) throw new Error(`building dist/ failed (npm run build):\n${step.stdout}${step.stderr}`);
  }
}
