/**
 * `npm run fuzz`: the token endpoint's properties with many cases and a fresh seed (printed, so a
 * failure can be replayed with FUZZ_SEED), then a soak over real HTTP on loopback, bounded in count
 * and time: every request sent must get an answer, and the journal's count must match what was sent.
 */

import { mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startMockOrg } from '../mock-server/adapters/node-server.ts';
import { fuzzOrg, tokenEndpointProperty } from '../mock-server/fuzz/properties.ts';
import { goodClaims, JWT_GRANT, signAssertion, testWorld } from '../mock-server/testing/fixtures.ts';

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
