/**
 * Before and after in the same run: serves two or more checkouts of sfjwt side by side (each its own
 * `bin/sfjwt.js serve` process, all with this folder's state directory, so the same keys and CA) and
 * drives them with the same autocannon load in interleaved rounds, so machine noise falls on each
 * alike; prints the median grants/s, p50 and p99 of each and its ratio to the first. With --prefill N
 * every server first takes N grants (e.g. 110000 to fill the 100,000-session store); with --startup,
 * five starts of each to the first answer, taken in turn; with --soak N, N grants to each in blocks of
 * 50,000 taken in turn, with memory after each block. Not part of
 * `npm run bench`. Run:
 *   npx tsx bench/compare.ts --stage before=/path/to/old/checkout --stage after=. [--http]
 *     [--invalid] [--connections 10] [--seconds 5] [--rounds 3] [--prefill N] [--startup] [--soak N]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { guardChildren, stopAll } from './lib/children.ts';
import { fixed, int, markdownTable, median, ratio } from './lib/format.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { FORM, TOKEN_PATH, grantBody, wrongKeyBody } from './lib/requests.ts';
import { startServe, type Running, type Served } from './lib/servers.ts';
import { measureStartup } from './startup.ts';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const stages = argv.flatMap((a, i) => (a === '--stage' ? [argv[i + 1] ?? ''] : [])).map((s) => {
  const eq = s.indexOf('=');
  return { name: s.slice(0, eq), dir: resolve(s.slice(eq + 1)) };
});
if (stages.length < 2) throw new Error('give at least two --stage NAME=DIR');
const http = argv.includes('--http');
const invalid = argv.includes('--invalid');
const connections = opt('--connections', 10);
const seconds = opt('--seconds', 5);
const rounds = opt('--rounds', 3);
const prefill = opt('--prefill', 0);

guardChildren();
const servers: Running<Served>[] = [];
try {
  for (const st of stages) servers.push(await startServe({ http, bin: join(st.dir, 'bin', 'sfjwt.js') }));
  const first = servers[0]?.info;
  if (first === undefined) throw new Error('no server');
  const grant = { consumerKey: first.consumerKey ?? '', username: first.username ?? '', privateKeyPem: readFileSync(first.privateKeyFile ?? '', 'utf8') };
  const body = invalid ? await wrongKeyBody(grant) : await grantBody(grant);
  const load = (s: Served, extra: { seconds: number; amount?: number; warmupSeconds: number; latencies?: boolean }) =>
    runLoad({ url: `${s.login}${TOKEN_PATH}`, connections, method: 'POST', headers: FORM, body, ...(s.ca === null ? {} : { caFile: s.ca }), ...extra });
  if (prefill > 0) {
    for (const [i, s] of servers.entries()) {
      const r = await load(s.info, { seconds: 0, amount: prefill, warmupSeconds: 0, latencies: false });
      process.stderr.write(`[compare] ${stages[i]?.name}: prefilled ${int(r.responses)} at ${int(r.perSecond)}/s\n`);
    }
  }
  const soakTotal = opt('--soak', 0);
  if (soakTotal > 0) {
    // Blocks of 50,000 grants, each server in turn, with its memory after every block.
    const rows: string[][] = [];
    for (let sent = 0; sent < soakTotal; sent += 50_000) {
      const row = [int(sent + 50_000)];
      for (const s of servers) {
        const r = await load(s.info, { seconds: 0, amount: 50_000, warmupSeconds: 0, latencies: false });
        const m = s.memory();
        row.push(`${fixed(m.rssMb, 0)} MB · ${int(r.perSecond)}/s`);
      }
      process.stderr.write(`[compare] soak ${row.join(' | ')}\n`);
      rows.push(row);
    }
    process.stdout.write(`Soak (${http ? 'HTTP' : 'HTTPS'}, ${connections} connections): RSS after each block of 50,000 grants, and the block's rate\n\n${markdownTable(['grants', ...stages.map((st) => st.name)], rows)}\n\n`);
  }
  const results: LoadResult[][] = stages.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, s] of servers.entries()) {
      const r = await load(s.info, { seconds, warmupSeconds: 1 });
      results[i]?.push(r);
      process.stderr.write(`[compare] round ${round + 1} ${stages[i]?.name}: ${int(r.perSecond)}/s p50 ${fixed(r.p50)} p99 ${fixed(r.p99)} ${JSON.stringify(r.statuses)}\n`);
    }
  }
  const mem = servers.map((s) => s.memory());
  await Promise.all(servers.map((s) => s.stop()));
  let startup: number[] | undefined;
  if (argv.includes('--startup')) {
    // Five starts of each, taken in turn.
    const times: number[][] = stages.map(() => []);
    for (let i = 0; i < 5; i += 1) {
      for (const [j, st] of stages.entries()) times[j]?.push(...(await measureStartup(1, http, join(st.dir, 'bin', 'sfjwt.js'))).firstAnswerMs);
    }
    startup = times.map((t) => median(t));
    process.stderr.write(`[compare] serve start ms: ${stages.map((st, j) => `${st.name} ${times[j]?.map((x) => x.toFixed(0)).join(', ')}`).join('; ')}\n`);
  }
  const base = median(results[0]?.map((r) => r.perSecond) ?? []);
  const head = ['stage', 'answers/s (median)', 'ratio to first', 'p50 ms', 'p99 ms', 'RSS MB', ...(startup === undefined ? [] : ['serve start ms'])];
  const rows = stages.map((st, i) => {
    const rs = results[i] ?? [];
    const ps = median(rs.map((r) => r.perSecond));
    return [st.name, int(ps), ratio(ps, base), fixed(median(rs.map((r) => r.p50))), fixed(median(rs.map((r) => r.p99))), fixed(mem[i]?.rssMb ?? NaN, 0), ...(startup === undefined ? [] : [fixed(startup[i] ?? NaN, 0)])];
  });
  process.stdout.write(`${http ? 'HTTP' : 'HTTPS'}, ${invalid ? 'invalid assertion' : 'good grant'}, ${connections} connections, ${rounds} rounds of ${seconds} s${prefill > 0 ? `, after ${int(prefill)} grants each` : ''}\n\n${markdownTable(head, rows)}\n`);
} finally {
  await stopAll();
}
