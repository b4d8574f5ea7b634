/**
 * What keeps a web page, a rebound DNS name or another local process from driving the admin API of
 * a mock served on 127.0.0.1 (plain HTTP, a fixed admin token), over node:http and raw sockets: a
 * state change needs a JSON body (a page can post text/plain without asking), no foreign Origin and
 * no cross-site fetch; every route but /health answers only under the mock's own host names (a
 * rebound name reads nothing); state changes need the admin token, which startMockOrg makes by
 * default; an admin body over 1 MiB gets 413 without the rest being read.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors.ts';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { frozenClock } from '../core/clock.ts';
import { DEFAULT_KNOBS } from '../core/knobs.ts';
import { NOW, testStateDir, testWorld } from '../testing/fixtures.ts';
import { type RawResponse, sendOverNode } from '../testing/transports.ts';

const TOKEN = 'admin-token-of-the-tests-0123456789';
const BEARER = { Authorization: `Bearer ${TOKEN}` };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const MiB = 1024 * 1024;
/** The admin API's JSON: pretty-printed with two spaces. */
const adminJson = (value: unknown) => JSON.stringify(value, null, 2);

let started: StartedMockOrg;
const port = () => Number(new URL(started.login).port);

beforeAll(async () => {
  started = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 7, stateDir: testStateDir('sfjwt-protect-'), tls: false, adminToken: TOKEN });
});
afterAll(async () => started.close());
beforeEach(() => started.org.reset());

function send(method: string, sub: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return sendOverNode(started, false, { method, path: `/__sfjwt${sub}`, headers, ...(body === undefined ? {} : { body }) });
}

const force = (headers: Record<string, string>) => send('POST', '/force', headers, '{"outcome":"drop"}');
const pending = () => started.org.forced.pending();

/**
 * Writes `head` (and then whatever `more` writes) to the login port and resolves with everything read
 * until the server closes, or rejects after 5 s without an answer.
 */
function raw(head: string, more?: (write: (chunk: string | Buffer) => boolean) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error('no answer within 5 s: the server waited for the rest of the body'));
    });
    socket.write(head);
    more?.((chunk) => socket.write(chunk));
  });
}

describe('a state change needs a JSON body (no CORS-simple request gets through)', () => {
  it.each([
    ['text/plain', 'Content-Type "text/plain"'],
    ['text/plain;charset=UTF-8', 'Content-Type "text/plain;charset=UTF-8"'],
    ['application/x-www-form-urlencoded', 'Content-Type "application/x-www-form-urlencoded"'],
    ['multipart/form-data; boundary=x', 'Content-Type "multipart/form-data; boundary=x"'],
    ['application/jsonx', 'Content-Type "application/jsonx"'],
    [undefined, 'no Content-Type'],
  ])('POST /force with %s: 415 saying what to send, nothing forced', async (type, said) => {
    const res = await force({ ...BEARER, ...(type === undefined ? {} : { 'Content-Type': type }) });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(
      adminJson({ error: `a state change takes a JSON body, and this request has ${said}`, fix: 'Send Content-Type: application/json and a JSON object ({} when there is nothing to say).' }),
    );
    expect(pending()).toEqual([]);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('Content-Type %s is JSON', async (type) => {
    expect((await force({ ...BEARER, 'Content-Type': type })).status).toBe(200);
    expect(pending()).toEqual([{ outcome: 'drop', left: 1 }]);
  });

  it('a bodiless state change declares JSON too (POST /reset, DELETE /force)', async () => {
    expect((await send('POST', '/reset', BEARER)).status).toBe(415);
    expect((await send('POST', '/reset', { ...BEARER, ...JSON_TYPE })).status).toBe(200);
    expect((await send('DELETE', '/force', { ...BEARER, ...JSON_TYPE })).status).toBe(200);
  });

  it('reads need no Content-Type', async () => {
    expect((await send('GET', '/knobs')).status).toBe(200);
  });
});

describe('a state change from another origin is refused', () => {
  it.each(['https://attacker.example', 'null', 'http://127.0.0.1:1', 'http://localhost:3000', 'not a url'])('Origin: %s: 403, nothing forced', async (origin) => {
    const res = await force({ ...BEARER, ...JSON_TYPE, Origin: origin });
    expect(res.status).toBe(403);
    expect(res.body).toBe(
      adminJson({
        error: `the admin API takes no state change from a web page of another origin (Origin: ${origin})`,
        fix: "Change the mock from a test, a script or the command line (sfjwt's admin client), not from a web page.",
      }),
    );
    expect(pending()).toEqual([]);
  });

  it('Sec-Fetch-Site: cross-site without an Origin: 403', async () => {
    const res = await force({ ...BEARER, ...JSON_TYPE, 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: 'the admin API takes no state change from a web page of another origin (Sec-Fetch-Site: cross-site)',
      fix: "Change the mock from a test, a script or the command line (sfjwt's admin client), not from a web page.",
    });
    expect(pending()).toEqual([]);
  });

  it.each([
    ['the login host as served', () => started.login],
    ['the login port under localhost', () => `http://localhost:${port()}`],
    ['the login port under [::1]', () => `http://[::1]:${port()}`],
    ['another host of the mock', () => started.myDomain['acme'] ?? ''],
    ['a real name of the world', () => 'https://acme.my.salesforce.com'],
  ])('its own origin (%s) is fine', async (_name, origin) => {
    expect((await force({ ...BEARER, ...JSON_TYPE, Origin: origin(), 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });
});

describe("only the mock's own host names are answered (DNS rebinding reads nothing)", () => {
  it.each(['/world', '/journal', '/knobs', '/login-history?username=integration@acme.com', '/traces/trace-1', '/'])('GET %s with Host: attacker.example: 403', async (sub) => {
    const res = await send('GET', sub, { Host: `attacker.example:${port()}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(
      adminJson({
        error: 'the admin API answers only under the mock\'s own host names, not "attacker.example"',
        fix: `Use the admin URL the mock prints (${started.admin}), or send the admin token.`,
      }),
    );
  });

  it('over a raw socket too, state changes included', async () => {
    const answer = await raw(`POST /__sfjwt/reset HTTP/1.1\r\nHost: rebound.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
  });

  it.each([() => `127.0.0.1:${port()}`, () => `localhost:${port()}`, () => `LOCALHOST:${port()}`, () => `[::1]:${port()}`, () => 'login.salesforce.com', () => 'ACME.my.salesforce.com:443'])(
    "Host %s is the mock's own",
    async (host) => {
      expect((await send('GET', '/world', { Host: host() })).status).toBe(200);
    },
  );

  it('GET /health answers any Host (a liveness probe; it tells nothing)', async () => {
    expect(JSON.parse((await send('GET', '/health', { Host: 'attacker.example' })).body)).toEqual({ status: 'ok', requests: 0 });
  });

  it('a client that sends the admin token is answered under any name (a container reached by its service name)', async () => {
    expect((await send('GET', '/world', { Host: 'sfjwt-mock:8443', ...BEARER })).status).toBe(200);
    expect((await send('GET', '/world', { Host: 'sfjwt-mock:8443', Authorization: 'Bearer wrong-token-0123456789abcdef' })).status).toBe(403);
  });
});

describe('the admin token', () => {
  const UNAUTHORIZED = {
    error: 'a state change needs the admin token',
    fix: 'Send Authorization: Bearer <token> or x-sfjwt-admin-token: <token>; serve prints the token (--json: adminToken), startMockOrg() returns it as adminToken.',
  };

  it.each([
    ['none', {}],
    ['a wrong one', { Authorization: 'Bearer not-the-token-0123456789abcdef' }],
    ['the token with another scheme', { Authorization: `Basic ${TOKEN}` }],
    ['a prefix of it', { 'x-sfjwt-admin-token': TOKEN.slice(0, -1) }],
  ])('POST /force with %s: 401 naming what to send, nothing forced', async (_name, headers) => {
    const res = await force({ ...JSON_TYPE, ...headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="sfjwt admin API"');
    expect(res.body).toBe(adminJson(UNAUTHORIZED));
    expect(pending()).toEqual([]);
  });

  it.each([
    ['Authorization: Bearer', { Authorization: `Bearer ${TOKEN}` }],
    ['Authorization: bearer (any case)', { Authorization: `bearer ${TOKEN}` }],
    ['x-sfjwt-admin-token', { 'x-sfjwt-admin-token': TOKEN }],
  ])('%s: done', async (_name, headers) => {
    expect((await force({ ...JSON_TYPE, ...headers })).status).toBe(200);
    expect(pending()).toEqual([{ outcome: 'drop', left: 1 }]);
  });

  it('reads need none', async () => {
    expect((await send('GET', '/world')).status).toBe(200);
    expect((await send('GET', '/journal')).status).toBe(200);
  });

  it('startMockOrg makes one per start by default; adminToken: false turns it off', async () => {
    const stateDir = testStateDir('sfjwt-protect-');
    await using a = await startMockOrg({ world: testWorld(), stateDir, tls: false });
    await using b = await startMockOrg({ world: testWorld(), stateDir, tls: false });
    await using off = await startMockOrg({ world: testWorld(), stateDir, tls: false, adminToken: false });
    expect(a.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.adminToken).not.toBe(b.adminToken);
    expect(off.adminToken).toBeNull();
    const reset = (s: StartedMockOrg, headers: Record<string, string>) => sendOverNode(s, false, { method: 'POST', path: '/__sfjwt/reset', headers: { ...JSON_TYPE, ...headers } });
    expect((await reset(a, {})).status).toBe(401);
    expect((await reset(a, { Authorization: `Bearer ${b.adminToken ?? ''}` })).status).toBe(401);
    expect((await reset(a, { Authorization: `Bearer ${a.adminToken ?? ''}` })).status).toBe(200);
    expect((await reset(off, {})).status).toBe(200);
  });

  it.each([
    ['', 'the admin token must be 16 to 256 visible ASCII characters without spaces, got 0 characters'],
    ['short', 'the admin token must be 16 to 256 visible ASCII characters without spaces, got 5 characters'],
    ['with a space inside it!', 'the admin token must be 16 to 256 visible ASCII characters without spaces, got 23 characters'],
  ])('a token that cannot be one (%j) is a UsageError', async (token, message) => {
    const start = startMockOrg({ world: testWorld(), stateDir: testStateDir('sfjwt-protect-'), tls: false, adminToken: token });
    await expect(start).rejects.toBeInstanceOf(UsageError);
    await expect(start).rejects.toThrow(message);
  });
});

describe('admin bodies are capped at 1 MiB', () => {
  const TOO_LARGE = adminJson({ error: 'the body is over 1048576 bytes', fix: 'Admin requests are small JSON objects (a certificate upload is a few KB).' });

  it('a declared Content-Length over the cap: 413 at once, before a byte of the body', async () => {
    const answer = await raw(
      `POST /__sfjwt/setup/upload-certificate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 300000000\r\n\r\n`,
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer).toMatch(/\r\n[Cc]onnection: close\r\n/);
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(TOO_LARGE);
  });

  it('a chunked body that grows past the cap: 413 once the cap is passed, the rest never awaited', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const head = `PATCH /__sfjwt/knobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    // 1 MiB + 64 KiB of a body announced as endless: no final chunk is ever sent.
    const answer = await raw(head, (write) => {
      for (let sent = 0; sent <= MiB; sent += chunk.length) write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(TOO_LARGE);
    expect(started.org.knobs).toEqual({ ...DEFAULT_KNOBS, requireTls: false });
  });

  it('a body of exactly the cap is read', async () => {
    const body = `{}${' '.repeat(MiB - 2)}`;
    const res = await send('PATCH', '/knobs', { ...BEARER, ...JSON_TYPE }, body);
    expect(res.status).toBe(200);
    expect((await send('PATCH', '/knobs', { ...BEARER, ...JSON_TYPE }, `${body} `)).body).toBe(TOO_LARGE);
  });
});
