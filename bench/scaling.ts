/**
 * How cost grows with the world: generated worlds (generateWorld, seed 42, one org) of 10, 1,000 and
 * 100,000 users with 1 and 50 apps, each served by `sfjwt serve --world FILE` over HTTPS in its own
 * process, all at once; for each, the time to the `--json` line, idle memory and the time of one
 * `POST /__sfjwt/reset` (which must not grow with the world: no copy of it is made), then good grants per
 * second at 10 connections (median of rounds that go round the worlds in turn) logging in as the
 * LAST user with the LAST app (so no lookup is lucky), and memory after. The generated certificate
 * is the state folder's default-app one, so its key signs. Lookups are map reads: grants/s must not
 * fall with the world's size. Part of `npm run bench`; alone: npx tsx bench/scaling.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStateDir } from '../lib/state-folder.ts';
import { generateWorld } from '../mock-server/world/generate.ts';
import { prepareWorld } from '../mock-server/world/prepare.ts';
import { guardChildren, type Memory, stopAll } from './lib/children.ts';
import { fixed, int, isMain, markdownTable, median, ratio } from './lib/format.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { FORM, grantBody, send, TOKEN_PATH } from './lib/requests.ts';
import { type Running, type Served, startServe } from './lib/servers.ts';

export interface ScalingRow {
  users: number;
  apps: number;
  worldFileMb: number;
  /** Spawn to the `--json` line (the world loaded, validated and indexed). */
  startMs: number;
  /** One POST /__sfjwt/reset, as a client times it. */
  resetMs: number;
  idle: Memory;
  perSecond: number;
  p50: number;
  p99: number;
  afterLoad: Memory;
}

export const WORLDS: readonly { users: number; apps: number }[] = [
  { users: 10, apps: 1 },
  { users: 10, apps: 50 },
  { users: 1_000, apps: 1 },
  { users: 1_000, apps: 50 },
  { users: 100_000, apps: 1 },
  { users: 100_000, apps: 50 },
];

/** The time of one POST /__sfjwt/reset (with the admin token the JSON line gives); it must answer 200. */
async function timeReset(mock: Running<Served>): Promise<number> {
  const token = (mock.info as Served & { adminToken?: string | null }).adminToken;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(typeof token === 'string' ? { Authorization: `Bearer ${token}` } : {}) };
  const t0 = performance.now();
  const status = await send(mock.info.admin, { method: 'POST', path: `${new URL(mock.info.admin).pathname}/reset`, headers, body: '{}' }, mock.info.ca);
  const ms = performance.now() - t0;
  if (status !== 200) throw new Error(`POST /__sfjwt/reset answered ${status}, expected 200`);
  return ms;
}

export async function measureScaling(o: { seconds?: number; rounds?: number; worlds?: readonly { users: number; apps: number }[] } = {}): Promise<ScalingRow[]> {
  const seconds = o.seconds ?? 4;
  const rounds = o.rounds ?? 3;
  const appKey = prepareWorld({ stateDir: defaultStateDir() }).appKey;
  if (appKey === undefined) throw new Error('no default-app key in the state folder');
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-worlds-'));
  const served: { w: { users: number; apps: number }; mock: Running<Served>; body: string; fileMb: number; startMs: number; resetMs: number; idle: Memory; results: LoadResult[] }[] = [];
  try {
    // Every world is served at once and the loads go round them in turn, so noise falls on all alike.
    for (const w of o.worlds ?? WORLDS) {
      const world = generateWorld({ seed: 42, orgs: 1, usersPerOrg: w.users, apps: w.apps, certificatePem: appKey.certificatePem });
      const file = join(dir, `world-${w.users}-${w.apps}.json`);
      const text = JSON.stringify(world);
      writeFileSync(file, text);
      const user = world.users.at(-1);
      const app = world.apps.at(-1);
      if (user === undefined || app === undefined) throw new Error('an empty world');
      const t0 = performance.now();
      const mock = await startServe({ world: file });
      const startMs = performance.now() - t0;
      rmSync(file, { force: true });
      const body = await grantBody({ consumerKey: app.consumerKey, username: user.username, privateKeyPem: appKey.privateKeyPem });
      const idle = mock.memory();
      const resetMs = await timeReset(mock);
      served.push({ w, mock, body, fileMb: Buffer.byteLength(text) / 1_048_576, startMs, resetMs, idle, results: [] });
      const status = await send(mock.info.login, { method: 'POST', path: TOKEN_PATH, headers: FORM, body }, mock.info.ca);
      if (status !== 200) throw new Error(`the last user of the ${w.users}-user world got ${status}, expected 200`);
      process.stderr.write(`[scaling] ${int(w.users)} users, ${w.apps} apps: serve started in ${fixed(startMs, 0)} ms, RSS ${fixed(idle.rssMb, 0)} MB, reset ${fixed(resetMs, 0)} ms\n`);
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const x of served) {
        const s = x.mock.info;
        const r = await runLoad({
          url: `${s.login}${TOKEN_PATH}`,
          connections: 10,
          seconds,
          warmupSeconds: round === 0 ? 1 : 0,
          method: 'POST',
          headers: FORM,
          body: x.body,
          ...(s.ca === null ? {} : { caFile: s.ca }),
        });
        x.results.push(r);
        process.stderr.write(`[scaling] round ${round + 1}: ${int(x.w.users)} users, ${x.w.apps} apps: ${int(r.perSecond)}/s, p99 ${fixed(r.p99)} ms\n`);
      }
    }
    return served.map((x) => {
      const mid = (f: (r: LoadResult) => number) => median(x.results.map(f));
      return {
        users: x.w.users,
        apps: x.w.apps,
        worldFileMb: x.fileMb,
        startMs: x.startMs,
        resetMs: x.resetMs,
        idle: x.idle,
        perSecond: mid((r) => r.perSecond),
        p50: mid((r) => r.p50),
        p99: mid((r) => r.p99),
        afterLoad: x.mock.memory(),
      };
    });
  } finally {
    await Promise.all(served.map((x) => x.mock.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function scalingTable(rows: readonly ScalingRow[]): string {
  const base = rows[0]?.perSecond ?? NaN;
  return markdownTable(
    ['users', 'apps', 'world file MB', 'serve start ms', 'reset ms', 'idle RSS MB', 'grants/s (10 conn, median)', 'vs smallest', 'p99 ms', 'RSS after MB'],
    rows.map((r) => [
      int(r.users),
      String(r.apps),
      fixed(r.worldFileMb, 1),
      int(r.startMs),
      int(r.resetMs),
      fixed(r.idle.rssMb, 0),
      int(r.perSecond),
      ratio(r.perSecond, base),
      fixed(r.p99),
      fixed(r.afterLoad.rssMb, 0),
    ]),
  );
}

if (isMain(import.meta.url)) {
  guardChildren();
  try {
    process.stdout.write(`${scalingTable(await measureScaling())}\n`);
  } finally {
    await stopAll();
  }
}
