/**
 * Limits that keep the mock up whatever clients do: a slow client that never finishes its headers is
 * cut off, an oversized request head gets 431, connections past the limit are refused while the
 * server keeps serving, the journal and Login History stay bounded, and under concurrent load no
 * request is lost (the journal counts exactly what was sent).
 */
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from './adapters/node-server.ts';
import { frozenClock } from './core/clock.ts';
import { goodClaims, JWT_GRANT, NOW, signAssertion, testWorld } from './testing/fixtures.ts';

let mock: StartedMockOrg;
let good = '';
/** A good request for the sandbox user at test.salesforce.com. */
let goodAtTest = '';
const portOf = (base: string) => Number(new URL(base).port);

beforeAll(async () => {
  mock = await startMockOrg({
    world: testWorld(),
    tls: false,
    clock: frozenClock(NOW),
    stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-limits-')),
    knobs: { requireTls: false, loginRatePerHour: null, journalSize: 50 },
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 20 },
  });
  const form = (claims: Record<string, unknown>) => new URLSearchParams({ grant_type: JWT_GRANT, assertion: signAssertion({ claims }) }).toString();
  good = form(goodClaims(mock.org.index.world));
  goodAtTest = form(goodClaims(mock.org.index.world, { sub: 'integration@acme.com.uat', aud: 'https://test.salesforce.com' }));
});
afterAll(async () => mock.close());

const post = (body: string, base = mock.login) => fetch(`${base}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });

/** A raw connection to a listener (login by default) that sends `text` and records what comes back. */
function raw(text: string, port = portOf(mock.login)): Promise<{ socket: Socket; data: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text);
      resolve({ socket, data: () => chunks.join(''), closed });
    });
    const chunks: string[] = [];
    socket.on('data', (c) => chunks.push(c.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('error', reject);
  });
}

describe('server limits', () => {
  it('a client that never finishes its headers is cut off; the server keeps serving', async () => {
    const slow = await raw('POST /services/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n');
    await slow.closed;
    expect(slow.data()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect((await post(good)).status).toBe(200);
  });

  it('an oversized request head gets 431', async () => {
    const big = await raw(`GET /services/data/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await big.closed;
    expect(big.data()).toMatch(/^HTTP\/1\.1 431 /);
    expect((await post(good)).status).toBe(200);
  });

  it('connections past the limit are refused, and the server serves again once they go', async () => {
    // On the test host's listener, which no other test connects to: the limit of 20 is all theirs.
    const held = await Promise.all(Array.from({ length: 40 }, () => raw('', portOf(mock.test))));
    // Each connection ends on the server's side, and by what it received it says why: refused at
    // once (nothing), or held until the 300 ms header timeout (a 408). No timer decides which.
    await Promise.all(held.map((h) => h.closed));
    expect(held.filter((h) => h.data() === '')).toHaveLength(20);
    expect(held.filter((h) => /^HTTP\/1\.1 408 Request Timeout\r\n/.test(h.data()))).toHaveLength(20);
    // The server closed them itself, so its count of connections is down before the next one arrives.
    expect((await post(goodAtTest, mock.test)).status).toBe(200);
  });

  it('under concurrent load every request is answered and journaled; the journal stays bounded', async () => {
    mock.org.reset();
    const N = 400;
    // Ten keep-alive connections, under the listener's limit of twenty.
    const dispatcher = new Agent({ connections: 10 });
    const send = async (body: string) => {
      const res = await request(`${mock.login}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, dispatcher });
      await res.body.text();
      return res.statusCode;
    };
    const statuses = await Promise.all(Array.from({ length: N }, (_, i) => send(i % 4 === 0 ? 'grant_type=x' : good)));
    await dispatcher.close();
    expect(statuses.filter((s) => s === 200)).toHaveLength(N - N / 4);
    expect(statuses.filter((s) => s === 400)).toHaveLength(N / 4);
    expect(mock.org.journal.total).toBe(N);
    expect(mock.org.journal.size).toBe(50);
    const user = mock.org.index.userByUsername('integration@acme.com');
    expect(mock.org.loginHistory.forUser(user?.id ?? '').length).toBe(200);
  });
});
