/**
 * `npm run fuzz`: the token endpoint's properties with many cases and a fresh seed (printed, so a
 * failure can be replayed with FUZZ_SEED), then a soak over real HTTP on loopback, bounded in count
 * and time: every request sent must get an answer, and the journal's count must match what was sent;
 * then hostile connections (stalled TLS handshakes filling a listener, requests that name no URL).
 */

import { mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startMockOrg } from '../mock-server/adapters/node-server.ts';
import { fuzzOrg, tokenEndpointProperty } from '../mock-server/fuzz/properties.ts';
import { goodClaims, JWT_GRANT, signAssertion, testWorld } from '../mock-server/testing/fixtures.ts';
import { fetchTrusting } from '../src/client/https-fetch.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const runs = Number(process.env['FUZZ_RUNS'] ?? 20_000);
process.stdout.write(`property run: ${runs} cases, seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
const tally: Record<string, number> = {};
const t0 = performance.now();
await fc.assert(tokenEndpointProperty(fuzzOrg(), tally), { seed, numRuns: runs });
process.stdout.write(`  passed in ${((performance.now() - t0) / 1000).toFixed(1)} s; answers by status, and how many the oracle fixed exactly: ${JSON.stringify(tally)}\n`);

const SOAK_REQUESTS = Number(process.env['SOAK_REQUESTS'] ?? 50_000);
const SOAK_SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60);
const CONCURRENCY = 20;
const mock = await startMockOrg({ world: testWorld(), tls: false, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-soak-')), knobs: { loginRatePerHour: null, requireTls: false } });
try {
  const world = mock.org.index.world;
  const good = new URLSearchParams({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(world, { exp: Math.floor(Date.now() / 1000) + 3600 }) }) }).toString();
  const bad = new URLSearchParams({ grant_type: JWT_GRANT, assertion: 'garbage' }).toString();
  const url = new URL(`${mock.login}/services/oauth2/token`);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  let answered = 0;
  const deadline = performance.now() + SOAK_SECONDS * 1000;
  const one = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const r = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            answered += 1;
            resolve();
          });
        },
      );
      r.on('error', reject);
      r.end(body);
    });
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < SOAK_REQUESTS && performance.now() < deadline) {
        sent += 1;
        await one(sent % 3 === 0 ? bad : good);
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - t1) / 1000;
  const journal = mock.org.journal.total;
  process.stdout.write(
    `soak: ${sent} sent, ${answered} answered, journal counted ${journal}, ${(answered / seconds).toFixed(0)} req/s over ${seconds.toFixed(1)} s; journal kept ${mock.org.journal.size} (bounded)\n`,
  );
  if (answered !== sent || journal !== sent) {
    process.stdout.write('FAIL: requests were lost\n');
    process.exitCode = 1;
  }
} finally {
  await mock.close();
}

/**
 * Hostile connections, bounded: a full listener of stalled TLS handshakes (some send nothing, some a
 * ClientHello's first bytes) must be cut off once the handshake timeout passes, after which a good
 * grant over HTTPS succeeds; requests that name no URL (HTTP/1.0 without Host, `Host: a%b`) must
 * each be answered and counted in the journal.
 */
const HANDSHAKE_MS = 500;
const STALLED = 200;
const hostile = await startMockOrg({
  world: testWorld(),
  stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-hostile-')),
  knobs: { loginRatePerHour: null },
  limits: { handshakeTimeoutMs: HANDSHAKE_MS, maxConnections: STALLED },
});
try {
  const login = new URL(hostile.login);
  const t2 = performance.now();
  const closed = await Promise.all(
    Array.from(
      { length: STALLED },
      (_, i) =>
        new Promise<number>((resolve, reject) => {
          const s = netConnect({ host: login.hostname, port: Number(login.port) }, () => {
            // A TLS record header and the start of a ClientHello, or nothing at all.
            if (i % 2 === 0) s.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]));
          });
          s.on('error', () => undefined);
          s.on('close', () => resolve(performance.now() - t2));
          setTimeout(() => reject(new Error('a stalled handshake was still open after 30 s')), 30_000).unref();
        }),
    ),
  );
  const grant = await signAssertion({ claims: goodClaims(hostile.org.index.world, { exp: Math.floor(Date.now() / 1000) + 3600 }) });
  const res = await fetchTrusting(hostile.caPem)(`${hostile.login}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: grant }).toString(),
  });
  process.stdout.write(
    `stalled handshakes: ${STALLED} held a listener full; all closed by the server after ${Math.min(...closed).toFixed(0)}-${Math.max(...closed).toFixed(0)} ms (timeout ${HANDSHAKE_MS} ms); a grant then answered ${res.status}\n`,
  );
  if (res.status !== 200) process.exitCode = 1;
} finally {
  await hostile.close();
}

const plain = await startMockOrg({ world: testWorld(), tls: false, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-nohost-')), knobs: { requireTls: false } });
try {
  const url = new URL(plain.login);
  const RAW = 1_000;
  const before = plain.org.journal.total;
  let answered400 = 0;
  for (let i = 0; i < RAW; i += 1) {
    const head = i % 2 === 0 ? 'GET /services/oauth2/token HTTP/1.0\r\n\r\n' : 'POST /services/oauth2/token HTTP/1.1\r\nHost: a%b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      const s = netConnect({ host: url.hostname, port: Number(url.port) }, () => s.write(head));
      s.on('data', (c: Buffer) => (text += c.toString('latin1')));
      s.on('error', () => resolve(text));
      s.on('close', () => resolve(text));
    });
    if (reply.startsWith('HTTP/1.1 400 ') && reply.includes('<h1>Bad Request</h1>')) answered400 += 1;
  }
  const counted = plain.org.journal.total - before;
  process.stdout.write(`requests naming no URL: ${RAW} sent, ${answered400} answered 400 with the page, ${counted} counted in the journal\n`);
  if (answered400 !== RAW || counted !== RAW) {
    process.stdout.write('FAIL: a request naming no URL was not answered or not counted\n');
    process.exitCode = 1;
  }
} finally {
  await plain.close();
}
