/**
 * Wall time of the whole catalogue against the in-process mock (msw) and the HTTPS mock, five runs
 * each after a warm-up; prints the median and the ratio. Run: npx tsx bench/catalogue.ts
 */
import { catalogue } from '../scenarios/load.ts';
import { httpsTarget, mswTarget } from '../src/runner/mock-target.ts';
import { runCatalogue } from '../src/runner/run.ts';
import type { Target } from '../src/runner/target.ts';

const scenarios = catalogue();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function time(target: Target, runs = 5): Promise<number[]> {
  await runCatalogue(scenarios, [target]);
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    const report = await runCatalogue(scenarios, [target]);
    out.push(performance.now() - t0);
    if (report.summary.fail > 0) throw new Error(`${report.summary.fail} scenarios failed on ${target.name}`);
  }
  await target.close();
  return out;
}

const msw = await time(mswTarget());
const https = await time(await httpsTarget());
process.stdout.write(`catalogue: ${scenarios.length} scenarios\nin-process (msw): median ${median(msw).toFixed(0)} ms of ${msw.map((x) => x.toFixed(0)).join(', ')}\nHTTPS:            median ${median(https).toFixed(0)} ms of ${https.map((x) => x.toFixed(0)).join(', ')}\nratio HTTPS / in-process: ${(median(https) / median(msw)).toFixed(2)}\n`);
