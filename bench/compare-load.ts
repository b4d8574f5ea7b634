/**
 * The `load` section of `npm run bench:compare`: serves each tree side by side (each its own
 * `bin/sfjwt.js serve --knob loginRatePerHour=null` from its own scratch folder) and drives them with
 * the same autocannon load in interleaved rounds, so machine noise falls on each alike; the median
 * grants/s, p50 and p99 of each and its ratio to the first. HTTPS by default. With `prefill` every
 * server first takes N grants (e.g. 110000 to fill the 100,000-session store); with `startup`, five
 * starts of each to the first answer of /__sfjwt/health, taken in turn; with `soak` N, N grants to
 * each in blocks of 50,000 taken in turn, with memory after each block.
 */
import { readFileSync } from 'node:fs';
import { fixed, int, markdownTable, median, ratio, say } from './lib/format.ts';
import { FORM, grantBody, TOKEN_PATH, wrongKeyBody } from './lib/grant.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { type Running, type Served, startServe } from './lib/servers.ts';
import type { Tree } from './lib/trees.ts';
import { measureStartup } from './startup.ts';

export interface LoadCompareOptions {
  http: boolean;
  invalid: boolean;
  connections: number;
  seconds: number;
  rounds: number;
  prefill: number;
  soak: number;
  startup: boolean;
}

export async function compareLoad(trees: readonly Tree[], o: LoadCompareOptions): Promise<string> {
  const out: string[] = [];
  const servers: Running<Served>[] = [];
  const bodies: string[] = [];
  try {
    for (const t of trees) {
      const s = await startServe({ http: o.http, bin: t.bin, cwd: t.work });
      servers.push(s);
      const grant = { consumerKey: s.info.consumerKey ?? '', username: s.info.username ?? '', privateKeyPem: readFileSync(s.info.privateKeyFile ?? '', 'utf8') };
      bodies.push(o.invalid ? await wrongKeyBody(grant) : await grantBody(grant));
    }
    const load = (i: number, extra: { seconds: number; amount?: number; warmupSeconds: number; latencies?: boolean }) => {
      const s = servers[i]?.info;
      if (s === undefined) throw new Error('no server');
      return runLoad({ url: `${s.login}${TOKEN_PATH}`, connections: o.connections, method: 'POST', headers: FORM, body: bodies[i] ?? '', ...(s.ca === null ? {} : { caFile: s.ca }), ...extra });
    };
    if (o.prefill > 0) {
      for (const [i, t] of trees.entries()) {
        const r = await load(i, { seconds: 0, amount: o.prefill, warmupSeconds: 0, latencies: false });
        say(`[compare] ${t.name}: prefilled ${int(r.responses)} at ${int(r.perSecond)}/s`);
      }
    }
    if (o.soak > 0) {
      // Blocks of 50,000 grants, each server in turn, with its memory after every block.
      const rows: string[][] = [];
      for (let sent = 0; sent < o.soak; sent += 50_000) {
        const row = [int(sent + 50_000)];
        for (const [i, s] of servers.entries()) {
          const r = await load(i, { seconds: 0, amount: 50_000, warmupSeconds: 0, latencies: false });
          row.push(`${fixed(s.memory().rssMb, 0)} MB · ${int(r.perSecond)}/s`);
        }
        say(`[compare] soak ${row.join(' | ')}`);
        rows.push(row);
      }
      out.push(
        `Soak (${o.http ? 'HTTP' : 'HTTPS'}, ${o.connections} connections): RSS after each block of 50,000 grants, and the block's rate\n\n${markdownTable(['grants', ...trees.map((t) => t.name)], rows)}`,
      );
    }
    const results: LoadResult[][] = trees.map(() => []);
    for (let round = 0; round < o.rounds; round += 1) {
      for (const [i, t] of trees.entries()) {
        const r = await load(i, { seconds: o.seconds, warmupSeconds: 1 });
        results[i]?.push(r);
        say(`[compare] round ${round + 1} ${t.name}: ${int(r.perSecond)}/s p50 ${fixed(r.p50)} p99 ${fixed(r.p99)} ${JSON.stringify(r.statuses)}`);
      }
    }
    const mem = servers.map((s) => s.memory());
    await Promise.all(servers.map((s) => s.stop()));
    let startup: number[] | undefined;
    if (o.startup) {
      // Five starts of each, taken in turn.
      const times: number[][] = trees.map(() => []);
      for (let i = 0; i < 5; i += 1) {
        for (const [j, t] of trees.entries()) times[j]?.push(...(await measureStartup(1, o.http, t.bin, t.work)).firstAnswerMs);
      }
      startup = times.map((t) => median(t));
      say(`[compare] serve start ms: ${trees.map((t, j) => `${t.name} ${times[j]?.map((x) => x.toFixed(0)).join(', ')}`).join('; ')}`);
    }
    const base = median(results[0]?.map((r) => r.perSecond) ?? []);
    const head = ['tree', 'answers/s (median)', 'ratio to first', 'p50 ms', 'p99 ms', 'RSS MB', ...(startup === undefined ? [] : ['serve start ms'])];
    const rows = trees.map((t, i) => {
      const rs = results[i] ?? [];
      const ps = median(rs.map((r) => r.perSecond));
      return [
        t.name,
        int(ps),
        ratio(ps, base),
        fixed(median(rs.map((r) => r.p50))),
        fixed(median(rs.map((r) => r.p99))),
        fixed(mem[i]?.rssMb ?? NaN, 0),
        ...(startup === undefined ? [] : [fixed(startup[i] ?? NaN, 0)]),
      ];
    });
    out.push(
      `${o.http ? 'HTTP' : 'HTTPS'}, ${o.invalid ? 'invalid assertion' : 'good grant'}, ${o.connections} connections, ${o.rounds} rounds of ${o.seconds} s${o.prefill > 0 ? `, after ${int(o.prefill)} grants each` : ''}\n\n${markdownTable(head, rows)}`,
    );
    return out.join('\n\n');
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
