/**
 * Memory under a long load: a fresh `sfjwt serve --http` takes good grants in blocks of 100,000
 * (autocannon, own process, 10 connections) up to 1,000,000 or a time budget, whichever comes first;
 * after each block its RSS and peak RSS are read from /proc and the block's rate is noted, so a
 * series that keeps growing (a leak) or slows down shows. The journal (1,000 traces) and the sessions
 * (100,000 tokens) are bounded: memory must flatten once they are full. Part of `npm run bench`;
 * alone: npx tsx bench/soak.ts [--budget SECONDS]
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { guardChildren, type Memory, stopAll } from './lib/children.ts';
import { fixed, int, isMain, markdownTable } from './lib/format.ts';
import { FORM, grantBody, TOKEN_PATH } from './lib/grant.ts';
import { runLoad } from './lib/load.ts';
import { startServe } from './lib/servers.ts';

export interface SoakSample extends Memory {
  /** Requests answered so far. */
  requests: number;
  /** Answers per second over the block that ended here. */
  blockPerSecond: number;
}

export interface SoakResult {
  transport: 'http';
  connections: number;
  target: number;
  sent: number;
  /** What the mock's journal counted (must equal `sent`). */
  journalTotal: number;
  seconds: number;
  stoppedBy: 'count' | 'time';
  idle: Memory;
  samples: SoakSample[];
  non200: number;
}

function health(admin: string): Promise<{ requests: number }> {
  return new Promise((resolve, reject) => {
    get(`${admin}/health`, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(JSON.parse(text) as { requests: number }));
    }).on('error', reject);
  });
}

export async function soak(o: { target?: number; block?: number; budgetSeconds?: number; connections?: number } = {}): Promise<SoakResult> {
  const target = o.target ?? 1_000_000;
  const block = o.block ?? 100_000;
  const budgetMs = (o.budgetSeconds ?? 200) * 1000;
  const connections = o.connections ?? 10;
  const mock = await startServe({ http: true });
  try {
    const s = mock.info;
    const body = await grantBody({ consumerKey: s.consumerKey ?? '', username: s.username ?? '', privateKeyPem: readFileSync(s.privateKeyFile ?? '', 'utf8') });
    const out: SoakResult = { transport: 'http', connections, target, sent: 0, journalTotal: 0, seconds: 0, stoppedBy: 'count', idle: mock.memory(), samples: [], non200: 0 };
    const t0 = performance.now();
    while (out.sent < target) {
      const elapsed = performance.now() - t0;
      const last = out.samples.at(-1);
      // Stop before a block that would overrun the budget at the last block's rate.
      const nextBlockMs = last === undefined ? 0 : (block / last.blockPerSecond) * 1000;
      if (elapsed + nextBlockMs > budgetMs) {
        out.stoppedBy = 'time';
        break;
      }
      const r = await runLoad({
        url: `${s.login}${TOKEN_PATH}`,
        connections,
        seconds: 0,
        amount: Math.min(block, target - out.sent),
        warmupSeconds: 0,
        method: 'POST',
        headers: FORM,
        body,
        latencies: false,
      });
      out.sent += r.responses;
      out.non200 += Object.entries(r.statuses)
        .filter(([k]) => k !== '200')
        .reduce((n, [, v]) => n + v, 0);
      out.samples.push({ requests: out.sent, blockPerSecond: r.perSecond, ...mock.memory() });
      process.stderr.write(`[soak] ${int(out.sent)} requests, ${int(r.perSecond)}/s, RSS ${fixed(mock.memory().rssMb, 1)} MB\n`);
    }
    out.seconds = (performance.now() - t0) / 1000;
    out.journalTotal = (await health(s.admin)).requests;
    return out;
  } finally {
    await mock.stop();
  }
}

export function soakTable(r: SoakResult): string {
  return markdownTable(
    ['requests', 'RSS MB', 'peak RSS MB', 'block answers/s'],
    [['0 (idle)', fixed(r.idle.rssMb, 1), fixed(r.idle.hwmMb, 1), ''], ...r.samples.map((x) => [int(x.requests), fixed(x.rssMb, 1), fixed(x.hwmMb, 1), int(x.blockPerSecond)])],
  );
}

if (isMain(import.meta.url)) {
  guardChildren();
  const i = process.argv.indexOf('--budget');
  try {
    const r = await soak({ budgetSeconds: i > 0 ? Number(process.argv[i + 1]) : 200 });
    process.stdout.write(`${soakTable(r)}\n\n${int(r.sent)} requests in ${fixed(r.seconds, 0)} s (stopped by ${r.stoppedBy}); journal counted ${int(r.journalTotal)}; non-200: ${r.non200}\n`);
  } finally {
    await stopAll();
  }
}
