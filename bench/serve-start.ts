/**
 * `sfjwt serve` to its first answer, as a user starts it: spawn `node <tree>/bin/sfjwt.js serve
 * --json --port 0` (HTTPS, free ports, no knobs) from the tree's scratch folder, wait for the `--json`
 * line (it is printed once every host listens), then send one good JWT Bearer grant to the login URL
 * it names, over a new TLS connection trusting the CA it names, and stop the clock at the answer
 * (which must be 200). The first start of each tree is discarded: it makes the state folder (keys,
 * local CA) and gives the consumer key, user and key file the grant is signed for. Then `runs` starts
 * taken in turn across the trees; medians are quoted. Part of `npm run bench` and
 * `npm run bench:compare`.
 */
import { readFileSync } from 'node:fs';
import { firstJsonLine, spawnTracked, stopChild } from './lib/children.ts';
import { FORM, grantBody, send, TOKEN_PATH } from './lib/grant.ts';
import type { Served } from './lib/servers.ts';
import type { Tree } from './lib/trees.ts';

export interface ServeStartTimes {
  tree: string;
  /** Milliseconds from spawn to the 200 answer to the first grant, per start. */
  firstGrantMs: number[];
  /** Milliseconds from spawn to the `--json` line, per start. */
  jsonLineMs: number[];
}

export const SERVE_ARGS = ['serve', '--json', '--port', '0'] as const;

async function start(t: Tree, body: string | null): Promise<{ info: Served; jsonMs: number; grantMs: number | null }> {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [t.bin, ...SERVE_ARGS], { cwd: t.work });
  try {
    const info = await firstJsonLine<Served>(child, 60_000);
    const jsonMs = performance.now() - t0;
    if (body === null) return { info, jsonMs, grantMs: null };
    const status = await send(info.login, { method: 'POST', path: TOKEN_PATH, headers: FORM, body }, info.ca);
    const grantMs = performance.now() - t0;
    if (status !== 200) throw new Error(`${t.name}: the first grant after serve started answered ${status}, expected 200`);
    return { info, jsonMs, grantMs };
  } finally {
    await stopChild(child);
  }
}

export async function measureServeStart(trees: readonly Tree[], runs = 7): Promise<ServeStartTimes[]> {
  const bodies: string[] = [];
  for (const t of trees) {
    const { info } = await start(t, null);
    if (info.consumerKey === null || info.username === null || info.privateKeyFile === null) throw new Error(`${t.name}: serve --json did not name a consumer key, user and key file`);
    const body = await grantBody({ consumerKey: info.consumerKey, username: info.username, privateKeyPem: readFileSync(info.privateKeyFile, 'utf8') });
    // The warm-up also checks the grant, so a wrong body fails here, not inside a timed start.
    await start(t, body);
    bodies.push(body);
  }
  const out: ServeStartTimes[] = trees.map((t) => ({ tree: t.name, firstGrantMs: [], jsonLineMs: [] }));
  for (let i = 0; i < runs; i += 1) {
    for (const [j, t] of trees.entries()) {
      const r = await start(t, bodies[j] ?? null);
      out[j]?.firstGrantMs.push(r.grantMs ?? NaN);
      out[j]?.jsonLineMs.push(r.jsonMs);
    }
  }
  return out;
}
