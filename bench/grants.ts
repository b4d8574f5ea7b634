/**
 * Token grants per second over plain HTTP on loopback at 10 keep-alive connections, autocannon in
 * its own process, every server in its own process, all measured in the same rounds: each tree's
 * mock (`<tree>/bin/sfjwt.js serve --json --http --knob loginRatePerHour=null`, a good JWT Bearer
 * grant for its default world), the bare node:http ceiling (bench/servers/bare.ts: reads the body,
 * answers a fixed token-sized body) and the peer, oauth2-mock-server 9.3's jwt-bearer grant
 * (bench/servers/peer9.ts), which gets the very same form body as the first mock and answers 200
 * with a token it signs. Optionally oauth2-mock-server 7.2.1's client_credentials as well (it has no
 * jwt-bearer grant). Before measuring, one request to each checks its status and that the answer
 * carries an access_token; during a load any other status fails the run. Rounds go over every
 * server in turn, the order rotated each round, and each figure is the median of its rounds. Part
 * of `npm run bench` and `npm run bench:compare`.
 */
import { readFileSync } from 'node:fs';
import { fixed, int, markdownTable, median, ratio, say } from './lib/format.ts';
import { FORM, grantBody, peerBodies, TOKEN_PATH } from './lib/grant.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { type Running, startBare, startPeer, startPeer9, startServe } from './lib/servers.ts';
import type { Tree } from './lib/trees.ts';

export interface GrantsOptions {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number;
  /** Also load oauth2-mock-server 7.2.1's client_credentials grant. */
  peer7: boolean;
}

export const DEFAULT_GRANTS: GrantsOptions = { seconds: 5, rounds: 3, warmupSeconds: 1, connections: 10, peer7: false };

export type ServerKind = 'mock' | 'bare' | 'peer9' | 'peer7';

export interface GrantRow {
  /** `mock <tree>`, `bare node:http`, `oauth2-mock-server 9.3.0 jwt-bearer`, … */
  label: string;
  kind: ServerKind;
  tree: string | null;
  perSecond: number;
  p50: number;
  p99: number;
  rounds: { perSecond: number; p50: number; p99: number }[];
  statuses: Record<string, number>;
  errors: number;
  /** The server's RSS after its last load, MB. */
  rssMb: number;
}

export interface GrantsResult {
  transport: 'http';
  connections: number;
  seconds: number;
  rounds: number;
  peerVersion: string;
  rows: GrantRow[];
}

interface Load {
  label: string;
  kind: ServerKind;
  tree: string | null;
  url: string;
  body: string;
  server: Running<unknown>;
  runs: LoadResult[];
}

/** One request; the status and whether the answer carries an access_token. */
async function probe(url: string, body: string): Promise<{ status: number; token: boolean; text: string }> {
  const r = await fetch(url, { method: 'POST', headers: FORM, body, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  let token = false;
  try {
    token = typeof (JSON.parse(text) as { access_token?: unknown }).access_token === 'string';
  } catch {
    // not JSON: no token
  }
  return { status: r.status, token, text };
}

export async function measureGrants(trees: readonly Tree[], o: GrantsOptions = DEFAULT_GRANTS): Promise<GrantsResult> {
  say(`[grants] starting ${trees.length} mock${trees.length === 1 ? '' : 's'}, the bare server and the peer${o.peer7 ? 's' : ''} (HTTP)`);
  const servers: Running<unknown>[] = [];
  try {
    const mocks = await Promise.all(trees.map((t) => startServe({ http: true, bin: t.bin, cwd: t.work })));
    servers.push(...mocks);
    const [bare, peer9, peer7] = await Promise.all([startBare(false), startPeer9(false), o.peer7 ? startPeer(false) : Promise.resolve(null)]);
    servers.push(bare, peer9, ...(peer7 === null ? [] : [peer7]));
    const loads: Load[] = [];
    for (const [i, t] of trees.entries()) {
      const m = mocks[i];
      if (m === undefined) continue;
      const s = m.info;
      if (s.consumerKey === null || s.username === null || s.privateKeyFile === null) throw new Error(`${t.name}: serve --json did not name a consumer key, user and key file`);
      const body = await grantBody({ consumerKey: s.consumerKey, username: s.username, privateKeyPem: readFileSync(s.privateKeyFile, 'utf8') });
      loads.push({ label: `mock ${t.name}`, kind: 'mock', tree: t.name, url: `${s.login}${TOKEN_PATH}`, body, server: m, runs: [] });
    }
    const body = loads[0]?.body ?? '';
    loads.push({ label: 'bare node:http', kind: 'bare', tree: null, url: `${bare.info.url}/`, body, server: bare, runs: [] });
    const peerVersion = (peer9.info as { version?: string }).version ?? '?';
    loads.push({ label: `oauth2-mock-server ${peerVersion} jwt-bearer`, kind: 'peer9', tree: null, url: `${peer9.info.url}/token`, body, server: peer9, runs: [] });
    if (peer7 !== null)
      loads.push({ label: 'oauth2-mock-server 7.2.1 client_credentials', kind: 'peer7', tree: null, url: `${peer7.info.url}/token`, body: peerBodies.clientCredentials, server: peer7, runs: [] });

    for (const l of loads) {
      const p = await probe(l.url, l.body);
      if (p.status !== 200 || (l.kind !== 'bare' && !p.token)) throw new Error(`${l.label}: answered ${p.status} ${p.text.slice(0, 200)}; expected 200 with an access_token`);
    }
    for (let round = 0; round < o.rounds; round += 1) {
      // Rotated each round, so no server always follows the same one.
      const order = loads.map((_, i) => loads[(i + round) % loads.length] as Load);
      for (const l of order) {
        const r = await runLoad({ url: l.url, connections: o.connections, seconds: o.seconds, warmupSeconds: round === 0 ? o.warmupSeconds : 0, method: 'POST', headers: FORM, body: l.body });
        const stray = Object.keys(r.statuses).filter((k) => k !== '200');
        if (stray.length > 0 || r.responses === 0) throw new Error(`${l.label}: answered ${stray.join(', ') || 'nothing'} under load, expected only 200`);
        l.runs.push(r);
        say(`[grants] round ${round + 1} ${l.label}: ${int(r.perSecond)}/s p50 ${fixed(r.p50)} ms p99 ${fixed(r.p99)} ms (${r.errors} errors)`);
      }
    }
    const rows = loads.map((l): GrantRow => {
      const mid = (f: (r: LoadResult) => number) => median(l.runs.map(f));
      const statuses: Record<string, number> = {};
      for (const r of l.runs) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
      return {
        label: l.label,
        kind: l.kind,
        tree: l.tree,
        perSecond: mid((r) => r.perSecond),
        p50: mid((r) => r.p50),
        p99: mid((r) => r.p99),
        rounds: l.runs.map((r) => ({ perSecond: r.perSecond, p50: r.p50, p99: r.p99 })),
        statuses,
        errors: l.runs.reduce((n, r) => n + r.errors, 0),
        rssMb: l.server.memory().rssMb,
      };
    });
    return { transport: 'http', connections: o.connections, seconds: o.seconds, rounds: o.rounds, peerVersion, rows };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export interface GrantRatios {
  tree: string;
  perSecond: number;
  perBare: number;
  perPeer: number;
  perPeer7: number;
  /** To the first tree's mock. */
  perFirst: number;
}

export function grantRatios(r: GrantsResult): GrantRatios[] {
  const of = (k: ServerKind) => r.rows.find((x) => x.kind === k)?.perSecond ?? NaN;
  const mocks = r.rows.filter((x) => x.kind === 'mock');
  const first = mocks[0]?.perSecond ?? NaN;
  return mocks.map((m) => ({
    tree: m.tree ?? '?',
    perSecond: m.perSecond,
    perBare: m.perSecond / of('bare'),
    perPeer: m.perSecond / of('peer9'),
    perPeer7: m.perSecond / of('peer7'),
    perFirst: m.perSecond / first,
  }));
}

export function renderGrants(r: GrantsResult): string {
  const rows = r.rows.map((x) => [x.label, int(x.perSecond), fixed(x.p50), fixed(x.p99), x.rounds.map((y) => int(y.perSecond)).join(', '), fixed(x.rssMb, 0), String(x.errors)]);
  const table = markdownTable(['server', 'grants/s (median)', 'p50 ms', 'p99 ms', 'each round /s', 'RSS MB', 'errors'], rows);
  const hasPeer7 = r.rows.some((x) => x.kind === 'peer7');
  const ratios = markdownTable(
    ['mock', 'mock / bare', `mock / peer (${r.peerVersion} jwt-bearer)`, ...(hasPeer7 ? ['mock / peer 7.2.1 client_credentials'] : []), 'to the first mock'],
    grantRatios(r).map((x) => [x.tree, ratio(x.perBare, 1), ratio(x.perPeer, 1), ...(hasPeer7 ? [ratio(x.perPeer7, 1)] : []), ratio(x.perFirst, 1)]),
  );
  return `Token grants, HTTP, ${r.connections} connections, median of ${r.rounds} round${r.rounds === 1 ? '' : 's'} of ${r.seconds} s (1 s warm-up first), all in the same rounds:\n\n${table}\n\n${ratios}`;
}
