/**
 * First figure of the mock's speed: token grants per second over HTTPS (and HTTP) on loopback with
 * keep-alive. The mock runs as `sfjwt serve` in its own process; this process drives it with undici
 * at a fixed concurrency for a fixed time, reusing one signed assertion. Prints a table: grants/s,
 * p50 and p99 latency. Run: npm run bench:token [-- seconds]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { buildClaims, importPrivateKey, signAssertion, tokenForm } from '../src/client/assertion.ts';

const seconds = Number(process.argv[2] ?? 5);

interface Served {
  login: string;
  ca: string | null;
  consumerKey: string;
  privateKeyFile: string;
  username: string;
}

async function startServer(http: boolean) {
  const args = ['bin/sfjwt.js', 'serve', '--json', '--knob', 'loginRatePerHour=null', ...(http ? ['--http'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { served: JSON.parse(line) as Served, stop: () => child.kill('SIGTERM') };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(served: Served, connections: number) {
  const key = importPrivateKey(readFileSync(served.privateKeyFile, 'utf8'));
  const assertion = await signAssertion(buildClaims({ consumerKey: served.consumerKey, username: served.username, audience: 'https://login.salesforce.com', now: Date.now(), lifetimeSeconds: 3600 }), key);
  const body = tokenForm(assertion);
  const dispatcher = new Agent({ connections, pipelining: 1, connect: served.ca === null ? {} : { ca: readFileSync(served.ca, 'utf8') } });
  const url = `${served.login}/services/oauth2/token`;
  const latencies: number[] = [];
  let errors = 0;
  const one = async () => {
    const t0 = performance.now();
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, dispatcher });
    await res.body.text();
    if (res.statusCode !== 200) errors += 1;
    latencies.push(performance.now() - t0);
  };
  // Warm-up, then the measured window.
  for (let i = 0; i < 200; i += 1) await one();
  latencies.length = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await one();
  }));
  const elapsed = (performance.now() - started) / 1000;
  await dispatcher.close();
  latencies.sort((a, b) => a - b);
  return { connections, requests: latencies.length, errors, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const rows: string[] = [];
for (const http of [false, true]) {
  const { served, stop } = await startServer(http);
  try {
    for (const c of [1, 10]) {
      const r = await load(served, c);
      rows.push(`${http ? 'http ' : 'https'}  ${String(c).padStart(3)}  ${r.perSecond.toFixed(0).padStart(8)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}  ${String(r.requests).padStart(8)}  ${r.errors}`);
    }
  } finally {
    stop();
  }
}
process.stdout.write(`transport  conn  grants/s  p50 ms  p99 ms  requests  non-200\n${rows.join('\n')}\n`);
