/**
 * Wall time of one `npm test` in a checkout, as a developer runs it (its own package.json's test
 * script, from its folder, with this process's environment). Not a loop: one run per tree, the
 * trees one after another, since each run already fills both cores. Its output goes to
 * reports/bench/npm-test-<tree>-<stamp>.log; the exit code and vitest's closing "Tests" line are
 * kept with the time. A failing suite is reported, not thrown: the time of a red run still tells.
 * Part of `npm run bench` and `npm run bench:compare` (section `npm-test`).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTracked } from './lib/children.ts';
import { ROOT } from './lib/servers.ts';
import type { Tree } from './lib/trees.ts';

export interface NpmTestTime {
  tree: string;
  ms: number;
  exitCode: number | null;
  /** vitest's "Tests  N passed (N)" line, if it printed one. */
  tests: string | null;
  /** vitest's own "Duration" line (its run alone, without npm and the type check before it). */
  vitestDuration: string | null;
  log: string;
}

export async function timeNpmTest(t: Tree, stamp: string): Promise<NpmTestTime> {
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const log = join(dir, `npm-test-${t.name.replace(/[^\w-]/g, '_')}-${stamp}.log`);
  const file = createWriteStream(log);
  let tail = '';
  const t0 = performance.now();
  const child = spawnTracked('npm', ['test'], { cwd: t.dir, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  const keep = (d: Buffer) => {
    file.write(d);
    tail = (tail + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const ms = performance.now() - t0;
  await new Promise<void>((resolve) => file.end(() => resolve()));
  const plain = tail.replace(/\u001b\[[0-9;]*m/g, '');
  const line = (label: string) => new RegExp(`^\\s*${label}\\s+(.+)$`, 'm').exec(plain)?.[1]?.trim() ?? null;
  return { tree: t.name, ms, exitCode, tests: line('Tests'), vitestDuration: line('Duration'), log };
}
