/**
 * TLS handshakes cannot hold an HTTPS listener. Over raw sockets on 127.0.0.1: connections that
 * send nothing, only the start of a ClientHello or a whole ClientHello and then nothing are closed
 * by the server once the handshake timeout has passed, so a listener filled with them up to its
 * maxConnections serves a real grant afterwards; a handshake that errors (plain HTTP, garbage, a
 * broken record) is closed at once, on a listener whose handshake timeout is a minute, and frees its
 * place; a connection that finished its handshake but sends no request is cut off at the header
 * timeout with a 408, as over plain HTTP.
 */
import { request as httpsRequest } from 'node:https';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../core/clock.ts';
import { goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld } from '../testing/fixtures.ts';
import { type StartedMockOrg, startMockOrg } from './node-server.ts';

// Short for the test, yet long enough for a real handshake on a loaded machine.
const HANDSHAKE_MS = 500;
const MAX_CONNECTIONS = 20;
const portOf = (base: string) => Number(new URL(base).port);

/** A mock whose listeners hold at most MAX_CONNECTIONS at once, with the given handshake timeout. */
const start = (handshakeTimeoutMs: number) =>
  startMockOrg({
    world: testWorld(),
    clock: frozenClock(NOW),
    stateDir: testStateDir('sfjwt-handshake-'),
    knobs: { loginRatePerHour: null },
    adminToken: false,
    limits: { handshakeTimeoutMs, headersTimeoutMs: 300, maxConnections: MAX_CONNECTIONS },
  });

/** The first flight of a real TLS client (node's own), caught by a plain TCP server. */
async function realClientHello(): Promise<Buffer> {
  const server = createNetServer();
  const caught = new Promise<Buffer>((resolve) =>
    server.once('connection', (s) =>
      s.once('data', (d: Buffer) => {
        resolve(d);
        s.destroy();
      }),
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = tlsConnect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', servername: 'localhost' });
  client.on('error', () => undefined);
  const hello = await caught;
  client.destroy();
  await new Promise((r) => server.close(r));
  return hello;
}

interface Closed {
  /** Milliseconds from just before connect() to the close. */
  ms: number;
  received: Buffer;
}

/**
 * A raw TCP connection that writes `first` (if any) once connected, then nothing, or with `trickle`
 * one byte of it every 100 ms (a ClientHello that would take half a minute); resolves when it closes.
 */
function openRaw(port: number, first?: Buffer, trickle = false): { connected: Promise<void>; closed: Promise<Closed> } {
  const started = Date.now();
  const chunks: Buffer[] = [];
  const socket = connect(port, '127.0.0.1');
  const connected = new Promise<void>((resolve) =>
    socket.once('connect', () => {
      if (first !== undefined && !trickle) socket.write(first);
      if (first !== undefined && trickle) {
        let sent = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || sent >= first.length) clearInterval(timer);
          else socket.write(first.subarray(sent, ++sent));
        }, 100);
        socket.once('close', () => clearInterval(timer));
      }
      resolve();
    }),
  );
  socket.on('data', (d: Buffer) => chunks.push(d));
  socket.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) => socket.once('close', () => resolve({ ms: Date.now() - started, received: Buffer.concat(chunks) })));
  return { connected, closed };
}

/** A JWT Bearer grant over HTTPS, trusting the mock's CA. */
function grant(mock: StartedMockOrg): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(mock.org.index.world) }) }).toString();
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${mock.login}/services/oauth2/token`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, ca: mock.caPem ?? '', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let hello: Buffer = Buffer.alloc(0);
beforeAll(async () => {
  hello = await realClientHello();
});

describe('stalled handshakes', () => {
  let mock: StartedMockOrg;
  beforeAll(async () => {
    mock = await start(HANDSHAKE_MS);
  });
  afterAll(async () => mock.close());

  it('the fixture is the start of a real ClientHello', () => {
    // A handshake record (22) carrying a ClientHello (1), longer than the parts sent below, and
    // longer than the trickle can send (a byte per 100 ms) within the test's 15 s.
    expect([hello[0], hello[5], hello.length > 150]).toEqual([0x16, 0x01, true]);
  });

  it('a listener filled with them is freed once the handshake timeout passes, then serves a grant', async () => {
    // Nothing; a record header; part of the ClientHello; all of it (the server answers, then waits); a byte at a time.
    const kinds = [undefined, hello.subarray(0, 5), hello.subarray(0, 40), hello, 'trickle'] as const;
    const stalled = Array.from({ length: MAX_CONNECTIONS }, (_, i) => {
      const kind = kinds[i % kinds.length];
      return kind === 'trickle' ? openRaw(portOf(mock.login), hello, true) : openRaw(portOf(mock.login), kind);
    });
    await Promise.all(stalled.map((s) => s.connected));
    // Each is closed by the server (the client never closes), and not before the timeout: not refused.
    // The trickle too: the bytes it sends do not restart the handshake timeout.
    const closed = await Promise.all(stalled.map((s) => s.closed));
    for (const c of closed) expect(c.ms).toBeGreaterThanOrEqual(HANDSHAKE_MS - 20);
    // Nothing reaches a client that sent no complete ClientHello.
    for (const [i, c] of closed.entries()) if (i % kinds.length < 3) expect(c.received.length).toBe(0);
    const answer = await grant(mock);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"access_token":"00D');
  }, 15_000);

  it('a connection that finished its handshake but sends no request gets 408 at the header timeout', async () => {
    const socket = tlsConnect({ port: portOf(mock.login), host: '127.0.0.1', ca: mock.caPem ?? '', servername: 'localhost' });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    // A listener still held by stalled handshakes refuses the connection: it closes before it is secure.
    const secured = await Promise.race([new Promise<boolean>((r) => socket.once('secureConnect', () => r(true))), closed.then(() => false)]);
    expect(secured).toBe(true);
    await closed;
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 15_000);
});

describe('handshakes that error', () => {
  let mock: StartedMockOrg;
  beforeAll(async () => {
    // A minute: a close seen within the test's time is the error's doing, not the timeout's.
    mock = await start(60_000);
  });
  afterAll(async () => mock.close());

  it('are closed at once and free their place: a full listener of them serves a grant', async () => {
    const broken = Buffer.from(hello);
    broken.fill(0xff, 9, 60);
    const garbage = [
      Buffer.from('POST /services/oauth2/token HTTP/1.1\r\nHost: login.salesforce.com\r\n\r\n'),
      Buffer.alloc(64, 0),
      Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]), Buffer.from('hello')]),
      broken,
      // A whole ClientHello, then application data where the client's handshake should follow.
      Buffer.concat([hello, Buffer.from([0x17, 0x03, 0x03, 0x00, 0x04, 1, 2, 3, 4])]),
    ];
    const errored = Array.from({ length: MAX_CONNECTIONS }, (_, i) => openRaw(portOf(mock.login), garbage[i % garbage.length]));
    await Promise.all(errored.map((s) => s.closed));
    const answer = await grant(mock);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"access_token":"00D');
  }, 15_000);
});
