/**
 * The load generator, always run as its own process (`node --import tsx bench/load-driver.ts FILE`)
 * so it never shares an event loop with a server: reads a LoadSpec from FILE, drives autocannon with
 * it (keep-alive connections, no pipelining), first for a discarded warm-up, then for the measured
 * window (a duration or a fixed amount), and prints one JSON line, a LoadResult. Latencies are taken
 * from autocannon's per-response event in fractional milliseconds and ranked exactly here, because
 * its own histogram counts whole milliseconds, too coarse for sub-millisecond answers.
 */

import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadResult, LoadSpec } from './lib/load.ts';

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => EventEmitter;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadSpec;
const ca = spec.caFile === undefined ? undefined : readFileSync(spec.caFile, 'utf8');

function run(window: { duration?: number; amount?: number }, keepLatencies: boolean): Promise<{ result: AutocannonResult; latencies: Float64Array; count: number; elapsedS: number }> {
  let latencies = new Float64Array(keepLatencies ? 1 << 16 : 0);
  let count = 0;
  let lastAt = 0;
  return new Promise((resolve, reject) => {
    let started = 0;
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        timeout: 10,
        ...window,
        ...(spec.requests === undefined ? { method: spec.method ?? 'POST', headers: spec.headers ?? {}, body: spec.body ?? '' } : { requests: spec.requests }),
        ...(ca === undefined ? {} : { tlsOptions: { ca } }),
      },
      (err, result) => {
        if (err !== null) reject(err);
        // From the start to the last answer: with `amount`, autocannon only notices it is done on its
        // next one-second tick, which would otherwise count as load time.
        else resolve({ result, latencies: latencies.subarray(0, Math.min(count, latencies.length)), count, elapsedS: ((count > 0 ? lastAt : performance.now()) - started) / 1000 });
      },
    );
    instance.once('start', () => {
      started = performance.now();
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      if (keepLatencies) {
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count] = ms;
      }
      count += 1;
      lastAt = performance.now();
    });
  });
}

function rank(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
}

if (spec.warmupSeconds > 0) await run({ duration: spec.warmupSeconds }, false);
const measured = await run(spec.amount === undefined ? { duration: spec.seconds } : { amount: spec.amount }, spec.latencies !== false);
const sorted = measured.latencies.sort();
const statuses: Record<string, number> = {};
for (const [code, { count }] of Object.entries(measured.result.statusCodeStats)) statuses[code] = count;
const out: LoadResult = {
  responses: measured.count,
  elapsedS: measured.elapsedS,
  perSecond: measured.count / measured.elapsedS,
  p50: rank(sorted, 50),
  p99: rank(sorted, 99),
  statuses,
  errors: measured.result.errors,
  timeouts: measured.result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
