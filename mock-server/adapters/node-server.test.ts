/**
 * The node adapter over raw sockets on 127.0.0.1: malformed requests (targets and Host headers the
 * URL parser rejects or reads as another host, bad escapes, absolute-form targets) never crash the
 * process and never get a 500, each with its exact status, and the server keeps serving; Host-header
 * routing, TRACE without a body, a dropped connection, a bug in the core (a bare 500), the admin
 * API's answers and bodies, TLS, a port in use and close().
 */
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError } from '../../lib/errors.ts';
import { frozenClock } from '../core/clock.ts';
import { goodClaims, JWT_GRANT, NOW, signAssertion, testWorld } from '../testing/fixtures.ts';
import { type StartedMockOrg, startMockOrg } from './node-server.ts';

const TOKEN = '/services/oauth2/token';
const FORM = 'Content-Type: application/x-www-form-urlencoded';
const MY_DOMAIN = 'acme.my.salesforce.com';
/** The front's 400 page for a request that names no URL (journalled: no-host.test.ts pins its bytes and trace). */
const FRONT_400 =
  /^HTTP\/1\.1 400 Bad Request\r\nconnection: close\r\ncontent-type: text\/html;charset=UTF-8\r\ndate: [^\r]+\r\nx-sfjwt-trace: trace-\d+\r\ncontent-length: 89\r\n\r\n<html><head><title>400 Bad Request<\/title><\/head><body><h1>Bad Request<\/h1><\/body><\/html>$/;

let mock: StartedMockOrg;
let grant = '';
const portOf = (base: string) => Number(new URL(base).port);

beforeAll(async () => {
  // No admin token: the raw admin requests below test the adapter; admin/protection.test.ts tests the token.
  mock = await startMockOrg({
    world: testWorld(),
    tls: false,
    clock: frozenClock(NOW),
    seed: 7,
    stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-node-')),
    knobs: { loginRatePerHour: null },
    adminToken: false,
  });
  grant = new URLSearchParams({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(mock.org.index.world) }) }).toString();
});
afterAll(async () => mock.close());

/**
 * Writes raw bytes to a port and resolves with everything read until the server closes (latin-1).
 * A `Host: H` line becomes the address and port written to.
 */
function exchange(data: string | Buffer, port = portOf(mock.login), open: (port: number) => Socket = (p) => connect(p, '127.0.0.1')): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = open(port);
    const chunks: Buffer[] = [];
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    // Written before the connection (or TLS handshake) completes: the socket holds it until then.
    socket.write(Buffer.from(bytes.toString('latin1').replace('Host: H\r\n', `Host: 127.0.0.1:${port}\r\n`), 'latin1'));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error('no answer within 5 s'));
    });
  });
}

const get = (target: string, host = 'H', method = 'GET') => `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
const post = (target: string, body: string, host = 'H', method = 'POST') =>
  `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n${FORM}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
const status = (answer: string) => answer.split('\r\n')[0];
const body = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);

async function expectStillServing(): Promise<void> {
  const answer = await exchange(post(TOKEN, grant));
  expect(status(answer)).toBe('HTTP/1.1 200 OK');
  expect(body(answer)).toContain('"access_token"');
}

describe('malformed requests: never a 500, never a crash', () => {
  it.each([
    ['an absolute-form target the URL parser rejects', get('http://[::1/x')],
    ['a backslash in the path', get('/services\\oauth2/token')],
    ['an asterisk target', get('*', 'H', 'OPTIONS')],
    ['an upper-case scheme (not absolute-form, no leading slash)', get('HTTP://login.salesforce.com/')],
    ['another scheme', get('ftp://x/y')],
    ['a Host that is a bracket', get(TOKEN, '[')],
    ['an empty Host', get(TOKEN, '')],
    ['a Host with a space', get(TOKEN, 'a b')],
    ['a Host with user info', post(TOKEN, 'grant_type=x', `evil@${MY_DOMAIN}`)],
    ['a Host with a slash', get(TOKEN, 'a/b')],
    ['a Host with two colons', get(TOKEN, 'a:b:c')],
    ['a Host with a port past 65535', get(TOKEN, 'login.salesforce.com:99999')],
    ['a Host with a percent escape', get(TOKEN, 'login%2esalesforce.com')],
    ['a Host in UTF-8', Buffer.from(get(TOKEN, '日本.com'))],
    ['HTTP/1.0 without a Host', `GET ${TOKEN} HTTP/1.0\r\n\r\n`],
    ['HTTP/1.1 without a Host', `GET ${TOKEN} HTTP/1.1\r\nConnection: close\r\n\r\n`],
  ])('%s gets the front 400 page', async (_name, raw) => {
    expect(await exchange(raw)).toMatch(FRONT_400);
    await expectStillServing();
  });

  it.each([
    ['a target without a leading slash (node answers)', get('services/oauth2/token'), /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n$/],
    ['a latin-1 byte in the target (node answers)', Buffer.from(get('/caf\u00e9'), 'latin1'), /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n$/],
    ['a backslash in an absolute-form host (node answers)', get('http://a\\b/c'), /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n$/],
    ['a NUL in a header value (node answers)', get(TOKEN).replace('Host: H', 'Host: H\r\nX-A: a\0b'), /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n$/],
  ])('%s gets 400', async (_name, raw, expected) => {
    expect(await exchange(raw)).toMatch(expected);
    await expectStillServing();
  });

  it.each([
    ['a bad escape in the path', get('/services/oauth2/%ZZ'), 'HTTP/1.1 404 Not Found'],
    ['a lone percent in the query', get(`${TOKEN}?grant_type=%`), 'HTTP/1.1 400 Bad Request'],
    ['characters the URL parser encodes', get('/a{b}^`|'), 'HTTP/1.1 404 Not Found'],
    ['a Host naming no host of the world (served by the port)', get(TOKEN, 'unknown.example'), 'HTTP/1.1 400 Bad Request'],
  ])('%s reaches the core and gets its answer', async (_name, raw, expected) => {
    const answer = await exchange(raw);
    expect(status(answer)).toBe(expected);
    expect(answer).toContain('x-sfjwt-trace: trace-');
    await expectStillServing();
  });

  it.each([
    ['an absolute-form target', post(`http://login.salesforce.com${TOKEN}`, '')],
    ['an absolute-form https target on a plain socket', post(`https://127.0.0.1:1${TOKEN}`, '')],
    ['encoded dot segments, resolved', post('/services/oauth2/%2e%2e/oauth2/token', '')],
    ['dot segments, resolved', post('/services/x/../oauth2/token', '')],
  ])('%s is a token request', async (_name, raw) => {
    const answer = await exchange(raw.replace('Content-Length: 0\r\n', `Content-Length: ${grant.length}\r\n`).replace(/\r\n\r\n$/, `\r\n\r\n${grant}`));
    expect(status(answer)).toBe('HTTP/1.1 200 OK');
    expect(body(answer)).toContain('"access_token"');
  });

  it('a bug in the core gets a bare 500, and the server goes on', async () => {
    const answer = mock.org.answer.bind(mock.org);
    mock.org.answer = () => Promise.reject(new Error('a bug'));
    try {
      expect(await exchange(post(TOKEN, grant))).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\nDate: [^\r]+\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$/);
    } finally {
      mock.org.answer = answer;
    }
    await expectStillServing();
  });
});

describe('routing, TRACE, dropping', () => {
  const lastHost = () => mock.org.journal.list(1)[0]?.request.host;

  it.each([
    ['the My Domain, named in Host', MY_DOMAIN, () => mock.login, MY_DOMAIN],
    ['a Host in upper case with a port', 'ACME.My.Salesforce.COM:443', () => mock.login, MY_DOMAIN],
    ['a Host naming no host: the port decides (login)', 'unknown.example', () => mock.login, 'login.salesforce.com'],
    ['a Host naming no host: the port decides (test)', 'unknown.example', () => mock.test, 'test.salesforce.com'],
    ['the loopback address: the port decides', '127.0.0.1', () => mock.test, 'test.salesforce.com'],
  ])('%s', async (_name, host, base, expected) => {
    await exchange(post(TOKEN, 'grant_type=x', host), portOf(base()));
    expect(lastHost()).toBe(expected);
  });

  it('TRACE reaches the core without its body', async () => {
    const withBody = await exchange(post(TOKEN, grant, 'H', 'TRACE'));
    const without = await exchange(get(TOKEN, 'H', 'TRACE'));
    expect(status(withBody)).toBe('HTTP/1.1 400 Bad Request');
    expect(body(withBody)).toBe(body(without));
  });

  it('a TRACE whose Content-Length is over the limit gets 413', async () => {
    const answer = await exchange(`TRACE ${TOKEN} HTTP/1.1\r\nHost: H\r\nContent-Length: 99999999\r\n\r\n`);
    expect(status(answer)).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('a dropped answer closes the connection without a byte', async () => {
    const forced = await exchange(`POST /__sfjwt/force HTTP/1.1\r\nHost: H\r\nContent-Type: application/json\r\nContent-Length: 18\r\nConnection: close\r\n\r\n{"outcome":"drop"}`);
    expect(status(forced)).toBe('HTTP/1.1 200 OK');
    expect(await exchange(post(TOKEN, grant))).toBe('');
    await expectStillServing();
  });
});

describe('the admin API', () => {
  it('answers with the head it always had: lower-case sorted headers, then content-length', async () => {
    const answer = await exchange(get('/__sfjwt/health'));
    const m = /^HTTP\/1\.1 200 OK\r\ncache-control: no-store\r\ncontent-type: application\/json; charset=utf-8\r\ncontent-length: (\d+)\r\nDate: [^\r]+\r\nConnection: close\r\n\r\n/.exec(answer);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBe(Buffer.byteLength(body(answer), 'latin1'));
  });

  it.each([
    ['a JSON body', `PATCH /__sfjwt/knobs HTTP/1.1\r\nHost: H\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`, 'HTTP/1.1 200 OK'],
    [
      'a chunked body',
      `PATCH /__sfjwt/knobs HTTP/1.1\r\nHost: H\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n`,
      'HTTP/1.1 200 OK',
    ],
    ['a body that is not JSON', `PATCH /__sfjwt/knobs HTTP/1.1\r\nHost: H\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{nope`, 'HTTP/1.1 400 Bad Request'],
    ['an absolute-form target with credentials', get('http://u:p@login.salesforce.com/__sfjwt/health'), 'HTTP/1.1 200 OK'],
    ['TRACE', get('/__sfjwt/health', 'H', 'TRACE'), 'HTTP/1.1 404 Not Found'],
    ['a bad escape in the path', get('/__sfjwt/traces/%ZZ'), 'HTTP/1.1 404 Not Found'],
  ])('reads %s', async (_name, raw, expected) => {
    expect(status(await exchange(raw))).toBe(expected);
  });
});

describe('the server', () => {
  it('serves HTTPS with the local CA, and refuses a bad Host there too', async () => {
    await using secure = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-node-tls-')), knobs: { loginRatePerHour: null } });
    const open = (port: number) => tlsConnect({ port, host: '127.0.0.1', ca: secure.caPem ?? '', servername: 'localhost', rejectUnauthorized: false });
    const port = portOf(secure.login);
    const ok = await exchange(post(TOKEN, grant), port, open);
    expect(status(ok)).toBe('HTTP/1.1 200 OK');
    expect(body(ok)).toContain('"instance_url":"https://');
    expect(await exchange(get(TOKEN, '['), port, open)).toMatch(FRONT_400);
  });

  it('a port in use is a ResourceError that says what to do', async () => {
    const failed = startMockOrg({ world: testWorld(), tls: false, port: portOf(mock.login), stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-node-')) });
    await expect(failed).rejects.toBeInstanceOf(ResourceError);
    await expect(failed).rejects.toThrow(`port ${portOf(mock.login)} on 127.0.0.1 is already in use`);
  });

  it('close() ends keep-alive connections and stops listening', async () => {
    const other = await startMockOrg({ world: testWorld(), tls: false, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-node-')) });
    const port = portOf(other.login);
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    const answered = new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString('latin1'))));
    socket.write('GET /__sfjwt/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    await other.close();
    await closed;
    const refused = await new Promise<string>((r) =>
      connect(port, '127.0.0.1')
        .on('error', (e: NodeJS.ErrnoException) => r(e.code ?? ''))
        .on('connect', () => r('connected')),
    );
    expect(refused).toBe('ECONNREFUSED');
  });
});
