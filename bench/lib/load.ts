/**
 * Runs one load: writes the spec to a private temporary file, starts bench/load-driver.ts (autocannon)
 * in its own process and returns what it measured. Every server in a run is driven through this with
 * the same settings, so the figures compare.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstJsonLine, spawnTracked, stopChild } from './children.ts';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Measured window in seconds (ignored when `amount` is set). */
  seconds: number;
  /** A fixed number of requests instead of a time window. */
  amount?: number;
  warmupSeconds: number;
  /** CA certificate file for HTTPS. */
  caFile?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A sequence each connection loops over, instead of one request. */
  requests?: LoadRequest[];
  /** false: do not keep per-response latencies (long soaks). */
  latencies?: boolean;
}

export interface LoadResult {
  responses: number;
  elapsedS: number;
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

const DRIVER = fileURLToPath(new URL('../load-driver.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-bench-'));
let n = 0;
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  n += 1;
  const file = join(dir, `load-${n}.json`);
  writeFileSync(file, JSON.stringify(spec), { mode: 0o600 });
  const child = spawnTracked(process.execPath, ['--import', 'tsx', DRIVER, file]);
  const budgetMs = ((spec.amount === undefined ? spec.seconds : 600) + spec.warmupSeconds + 30) * 1000;
  try {
    return await firstJsonLine<LoadResult>(child, budgetMs);
  } finally {
    await stopChild(child);
    rmSync(file, { force: true });
  }
}
