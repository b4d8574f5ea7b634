/**
 * Wall time of the whole catalogue against the in-process mock (msw) and the HTTPS mock, five runs
 * each after a warm-up; prints the median and the ratio. Part of `npm run bench`; alone:
 * npx tsx bench/catalogue.ts
 */
import { catalogue } from '../scenarios/load.ts';
import { httpsTarget, mswTarget } from '../src/runner/mock-target.ts';
import { runCatalogue } from '../src/runner/run.ts';
import type { Target } from '../src/runner/target.ts';
import { isMain, median } from './lib/format.ts';

export interface CatalogueTimes {
  scenarios: number;
  /** Milliseconds per run. */
  inProcess: number[];
  https: number[];
}

async function time(scenarios: ReturnType<typeof catalogue>, target: Target, runs: number): Promise<number[]> {
  try {
    await runCatalogue(scenarios, [target]);
    const out: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = performance.now();
      const report = await runCatalogue(scenarios, [target]);
      out.push(performance.now() - t0);
      if (report.summary.fail > 0) throw new Error(`${report.summary.fail} scenarios failed on ${target.name}`);
    }
    return out;
  } finally {
    await target.close();
  }
}

export async function catalogueWallTimes(runs = 5): Promise<CatalogueTimes> {
  const scenarios = catalogue();
  const inProcess = await time(scenarios, mswTarget(), runs);
  const https = await time(scenarios, await httpsTarget(), runs);
  return { scenarios: scenarios.length, inProcess, https };
}

if (isMain(import.meta.url)) {
  const r = await catalogueWallTimes();
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  process.stdout.write(
    `catalogue: ${r.scenarios} scenarios\nin-process (msw): median ${median(r.inProcess).toFixed(0)} ms of ${list(r.inProcess)}\nHTTPS:            median ${median(r.https).toFixed(0)} ms of ${list(r.https)}\nratio HTTPS / in-process: ${(median(r.https) / median(r.inProcess)).toFixed(2)}\n`,
  );
}
