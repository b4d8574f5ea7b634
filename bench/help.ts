/**
 * Wall time of `sfjwt --help`: spawn `node <tree>/bin/sfjwt.js --help` from the tree's scratch
 * folder and wait for it to exit, which is what a user waits for on every command (loading the CLI,
 * whatever it loads eagerly, the transpiler if the tree uses one). One discarded start of each tree
 * first (disk cache, a transpiler's cache), then `runs` starts taken in turn across the trees so
 * machine noise falls on each alike; the median is quoted. Checks the exit code and that the text
 * names its commands. Part of `npm run bench` and `npm run bench:compare`.
 */
import { spawnTracked } from './lib/children.ts';
import type { Tree } from './lib/trees.ts';

export interface HelpTimes {
  tree: string;
  /** Milliseconds from spawn to exit, per run. */
  ms: number[];
}

function once(t: Tree): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawnTracked(process.execPath, [t.bin, '--help'], { cwd: t.work });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.resume();
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${t.name}: sfjwt --help exited ${code}`));
      else if (!out.includes('serve')) reject(new Error(`${t.name}: sfjwt --help printed no command list: ${out.slice(0, 200)}`));
      else resolve(ms);
    });
  });
}

export async function measureHelp(trees: readonly Tree[], runs = 10): Promise<HelpTimes[]> {
  const out = trees.map((t) => ({ tree: t.name, ms: [] as number[] }));
  for (const t of trees) await once(t);
  for (let i = 0; i < runs; i += 1) {
    for (const [j, t] of trees.entries()) out[j]?.ms.push(await once(t));
  }
  return out;
}
