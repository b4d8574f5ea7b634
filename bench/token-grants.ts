/**
 * Token grants per second and latency (p50, p99) over HTTPS and HTTP on loopback with keep-alive, at
 * 1, 10 and 50 connections, with autocannon in its own process. Measured together, interleaved at
 * each connection count and in rounds (each cell quotes the median of its rounds) so machine noise
 * falls on all of them: the mock (`sfjwt serve`, own process) on a good grant, on `invalid assertion`
 * (signed with another key) and on the catalogue as a mix; the ceiling, a bare node:http(s) server
 * answering a fixed body; and the peer, oauth2-mock-server, on a JWT Bearer grant (which it refuses
 * unread) and on client_credentials (one RS256 signature). The mock's memory is read from /proc
 * after each of its loads. Part of `npm run bench`; alone: npm run bench:token [-- --seconds N]
 * [--rounds N]
 */
import { readFileSync } from 'node:fs';
import { guardChildren, type Memory, stopAll } from './lib/children.ts';
import { fixed, int, isMain, markdownTable, median, ratio, say } from './lib/format.ts';
import { type LoadRequest, type LoadResult, type LoadSpec, runLoad } from './lib/load.ts';
import { catalogueMix, FORM, grantBody, peerBodies, send, TOKEN_PATH, wrongKeyBody } from './lib/requests.ts';
import { startBare, startPeer, startServe } from './lib/servers.ts';

export type Transport = 'https' | 'http';
export type Path = 'grant' | 'invalid-assertion' | 'catalogue-mix' | 'fixed-body' | 'jwt-bearer' | 'client-credentials';

export interface LoadRow extends LoadResult {
  server: 'mock' | 'bare' | 'peer';
  path: Path;
  transport: Transport;
  connections: number;
  /** The mock's memory right after the last load of this cell (mock rows only). */
  memory?: Memory;
  /** Each round's figures; answers/s, p50 and p99 above are their medians. */
  rounds: { perSecond: number; p50: number; p99: number }[];
}

export interface TransportOptions {
  /** Measured seconds per load; each cell is loaded once per round. */
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: readonly number[];
  transports: readonly Transport[];
}

export interface TransportResult {
  rows: LoadRow[];
  /** Scenarios in the catalogue mix, and those whose status on this server differs from the scenario's. */
  mix: { size: number; unexpected: { id: string; transport: Transport; status: number; expected: number }[] };
  /** Peak RSS of the mock process over each transport's loads, MB. */
  mockPeakMb: Record<string, number>;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = { seconds: 3, rounds: 2, warmupSeconds: 1, connections: [1, 10, 50], transports: ['https', 'http'] };

function post(path: string, body: string): LoadRequest {
  return { method: 'POST', path, headers: FORM, body };
}

async function expectStatus(what: string, base: string, r: LoadRequest, ca: string | null, status: number): Promise<void> {
  const got = await send(base, r, ca);
  if (got !== status) throw new Error(`${what}: answered ${got}, expected ${status}`);
}

export async function measureTransports(o: TransportOptions = DEFAULT_TRANSPORT_OPTIONS): Promise<TransportResult> {
  const rows: LoadRow[] = [];
  const result: TransportResult = { rows, mix: { size: 0, unexpected: [] }, mockPeakMb: {} };
  for (const transport of o.transports) {
    const https = transport === 'https';
    say(`[token] ${transport}: starting the mock, the bare server and the peer`);
    const [mock, bare, peer] = await Promise.all([startServe({ http: !https }), startBare(https), startPeer(https)]);
    try {
      const s = mock.info;
      if (s.consumerKey === null || s.username === null || s.privateKeyFile === null) throw new Error('serve --json did not name a consumer key, user and key file');
      const grant = { consumerKey: s.consumerKey, username: s.username, privateKeyPem: readFileSync(s.privateKeyFile, 'utf8') };
      const good = post(TOKEN_PATH, await grantBody(grant));
      const wrong = post(TOKEN_PATH, await wrongKeyBody(grant));
      const peerJwt = post('/token', peerBodies.jwtBearer(good.body ?? ''));
      const peerCc = post('/token', peerBodies.clientCredentials);
      const fixedBody = post('/', good.body ?? '');
      await expectStatus('mock grant', s.login, good, s.ca, 200);
      await expectStatus('mock invalid assertion', s.login, wrong, s.ca, 400);
      await expectStatus('bare server', bare.info.url, fixedBody, bare.info.ca, 200);
      await expectStatus('peer jwt-bearer', peer.info.url, peerJwt, peer.info.ca, 400);
      await expectStatus('peer client_credentials', peer.info.url, peerCc, peer.info.ca, 200);

      const one = async (round: number, server: LoadRow['server'], path: Path, base: string, ca: string | null, connections: number, load: LoadRequest | { requests: LoadRequest[] }) => {
        const what = 'requests' in load ? { url: base, requests: load.requests } : { url: new URL(load.path, base).href, method: load.method, headers: load.headers, body: load.body ?? '' };
        const spec: LoadSpec = { connections, seconds: o.seconds, warmupSeconds: round === 0 ? o.warmupSeconds : 0, ...what, ...(ca === null ? {} : { caFile: ca }) };
        const r = await runLoad(spec);
        const expected = EXPECTED_STATUS[path];
        const stray = Object.keys(r.statuses).filter((k) => expected !== undefined && k !== String(expected));
        if (stray.length > 0) throw new Error(`${server} ${path} over ${transport}: answered ${stray.join(', ')}, expected only ${expected}`);
        const key = `${server}/${path}/${connections}`;
        const runs = samples.get(key) ?? [];
        runs.push(r);
        samples.set(key, runs);
        if (server === 'mock') memory.set(key, mock.memory());
        say(
          `[token] round ${round + 1} ${transport} c=${connections} ${server} ${path}: ${int(r.perSecond)}/s p50 ${fixed(r.p50)} ms p99 ${fixed(r.p99)} ms (${int(r.responses)} answers, ${r.errors} errors)`,
        );
      };
      const samples = new Map<string, LoadResult[]>();
      const memory = new Map<string, Memory>();
      let checkedMix = false;
      // Rounds go over every cell in turn, so a noisy moment falls on one sample of several servers
      // rather than on every sample of one; each cell reports the median of its rounds.
      for (let round = 0; round < o.rounds; round += 1) {
        for (const c of o.connections) {
          await one(round, 'bare', 'fixed-body', bare.info.url, bare.info.ca, c, fixedBody);
          await one(round, 'mock', 'grant', s.login, s.ca, c, good);
          await one(round, 'peer', 'jwt-bearer', peer.info.url, peer.info.ca, c, peerJwt);
          await one(round, 'mock', 'invalid-assertion', s.login, s.ca, c, wrong);
          await one(round, 'peer', 'client-credentials', peer.info.url, peer.info.ca, c, peerCc);
          // Built for each load: the catalogue's assertions expire three minutes after they are signed.
          const mix = await catalogueMix();
          result.mix.size = mix.length;
          if (!checkedMix) {
            checkedMix = true;
            for (const m of mix) {
              const status = await send(s.login, m.request, s.ca);
              if (status !== m.expectedStatus) result.mix.unexpected.push({ id: m.id, transport, status, expected: m.expectedStatus });
            }
          }
          await one(round, 'mock', 'catalogue-mix', s.login, s.ca, c, { requests: mix.map((m) => m.request) });
        }
      }
      for (const [key, runs] of samples) {
        const [server, path, c] = key.split('/') as [LoadRow['server'], Path, string];
        const mid = (f: (r: LoadResult) => number) => median(runs.map(f));
        const statuses: Record<string, number> = {};
        for (const r of runs) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
        const row: LoadRow = {
          server,
          path,
          transport,
          connections: Number(c),
          responses: runs.reduce((n, r) => n + r.responses, 0),
          elapsedS: runs.reduce((n, r) => n + r.elapsedS, 0),
          perSecond: mid((r) => r.perSecond),
          p50: mid((r) => r.p50),
          p99: mid((r) => r.p99),
          statuses,
          errors: runs.reduce((n, r) => n + r.errors, 0),
          timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
          rounds: runs.map((r) => ({ perSecond: r.perSecond, p50: r.p50, p99: r.p99 })),
        };
        const m = memory.get(key);
        if (m !== undefined) row.memory = m;
        rows.push(row);
      }
      result.mockPeakMb[transport] = mock.memory().hwmMb;
    } finally {
      await Promise.all([mock.stop(), bare.stop(), peer.stop()]);
    }
  }
  return result;
}

/** The only status each single-request load may get (the mix has many). */
const EXPECTED_STATUS: Partial<Record<Path, number>> = { grant: 200, 'invalid-assertion': 400, 'fixed-body': 200, 'jwt-bearer': 400, 'client-credentials': 200 };

const LABEL: Record<Path, string> = {
  grant: 'mock: token grant',
  'invalid-assertion': 'mock: invalid assertion',
  'catalogue-mix': 'mock: catalogue mix',
  'fixed-body': 'bare node:http, fixed body',
  'jwt-bearer': 'peer: jwt-bearer (refused unread)',
  'client-credentials': 'peer: client_credentials',
};

export function transportTable(r: TransportResult): string {
  const order: Path[] = ['grant', 'invalid-assertion', 'catalogue-mix', 'fixed-body', 'jwt-bearer', 'client-credentials'];
  const rows = [...r.rows].sort((a, b) => a.transport.localeCompare(b.transport) * -1 || order.indexOf(a.path) - order.indexOf(b.path) || a.connections - b.connections);
  return markdownTable(
    ['server and path', 'transport', 'conn', 'answers/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
    rows.map((x) => [
      LABEL[x.path],
      x.transport.toUpperCase(),
      String(x.connections),
      int(x.perSecond),
      fixed(x.p50),
      fixed(x.p99),
      int(
        Object.entries(x.statuses)
          .filter(([k]) => !k.startsWith('2'))
          .reduce((n, [, v]) => n + v, 0),
      ),
      String(x.errors),
    ]),
  );
}

/** mock grant / bare and mock grant / peer at each transport and connection count. */
export function transportRatios(r: TransportResult): { transport: Transport; connections: number; mockPerBare: number; mockPerPeerJwt: number; mockPerPeerCc: number; mixPerBare: number }[] {
  const find = (t: Transport, c: number, p: Path) => r.rows.find((x) => x.transport === t && x.connections === c && x.path === p)?.perSecond ?? NaN;
  const keys = [...new Set(r.rows.map((x) => `${x.transport}/${x.connections}`))];
  return keys.map((k) => {
    const [t, c] = k.split('/') as [Transport, string];
    const n = Number(c);
    const mock = find(t, n, 'grant');
    return {
      transport: t,
      connections: n,
      mockPerBare: mock / find(t, n, 'fixed-body'),
      mockPerPeerJwt: mock / find(t, n, 'jwt-bearer'),
      mockPerPeerCc: mock / find(t, n, 'client-credentials'),
      mixPerBare: find(t, n, 'catalogue-mix') / find(t, n, 'fixed-body'),
    };
  });
}

export function ratioTable(r: TransportResult): string {
  return markdownTable(
    ['transport', 'conn', 'mock / bare', 'mock / peer jwt-bearer', 'mock / peer client_credentials', 'mix / bare'],
    transportRatios(r).map((x) => [x.transport.toUpperCase(), String(x.connections), ratio(x.mockPerBare, 1), ratio(x.mockPerPeerJwt, 1), ratio(x.mockPerPeerCc, 1), ratio(x.mixPerBare, 1)]),
  );
}

if (isMain(import.meta.url)) {
  guardChildren();
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  try {
    const r = await measureTransports({ ...DEFAULT_TRANSPORT_OPTIONS, seconds: arg('--seconds', DEFAULT_TRANSPORT_OPTIONS.seconds), rounds: arg('--rounds', DEFAULT_TRANSPORT_OPTIONS.rounds) });
    process.stdout.write(`${transportTable(r)}\n\n${ratioTable(r)}\n`);
  } finally {
    await stopAll();
  }
}
