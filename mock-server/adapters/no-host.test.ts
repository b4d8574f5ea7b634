/**
 * A request that names no URL (HTTP/1.0 or 1.1 without Host, a Host no URL has, a target that is not
 * a path) gets the front's 400 page, byte for byte, and is journalled and counted like any request:
 * a trace of kind and outcome `other` with the method, the landing host, the target without its
 * query or user info (cut to 512 characters) and the Content-Type, never the body. Raw sockets on
 * 127.0.0.1, time frozen.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../core/clock.ts';
import { TRACE_HEADER } from '../core/mock-org.ts';
import type { Trace } from '../core/trace.ts';
import { goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld } from '../testing/fixtures.ts';
import { type StartedMockOrg, startMockOrg } from './node-server.ts';

const TOKEN = '/services/oauth2/token';
const FORM = 'application/x-www-form-urlencoded';
const PAGE = '<html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1></body></html>';
const DATE = new Date(NOW).toUTCString();
/** The whole answer for the trace `id`: the status line, the head in the adapter's order, the page. */
const answerFor = (id: string) =>
  `HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: text/html;charset=UTF-8\r\ndate: ${DATE}\r\n${TRACE_HEADER}: ${id}\r\ncontent-length: ${PAGE.length}\r\n\r\n${PAGE}`;

let mock: StartedMockOrg;
let grant = '';
const port = () => Number(new URL(mock.login).port);

beforeAll(async () => {
  mock = await startMockOrg({ world: testWorld(), tls: false, clock: frozenClock(NOW), seed: 7, stateDir: testStateDir('sfjwt-no-host-'), knobs: { loginRatePerHour: null }, adminToken: false });
  grant = new URLSearchParams({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(mock.org.index.world) }) }).toString();
});
afterAll(async () => mock.close());

/** Writes raw bytes and resolves with all the server sent until it closed (latin-1). */
function exchange(data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1', () => socket.write(data, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

const postHead = (host: string | null, body: string) =>
  `POST ${TOKEN} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}Content-Type: ${FORM}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** The answer, the trace it names, and how much journal.total grew. */
async function sent(data: string): Promise<{ answer: string; id: string; trace: Trace | undefined; counted: number }> {
  const before = mock.org.journal.total;
  const answer = await exchange(data);
  const id = /\r\nx-sfjwt-trace: (trace-\d+)\r\n/.exec(answer)?.[1] ?? '';
  return { answer, id, trace: mock.org.journal.get(id), counted: mock.org.journal.total - before };
}

describe('a request that names no URL', () => {
  it.each([
    ['HTTP/1.0 without a Host', `GET ${TOKEN} HTTP/1.0\r\n\r\n`, 'GET', TOKEN, null],
    ['HTTP/1.1 without a Host', `GET ${TOKEN} HTTP/1.1\r\n\r\n`, 'GET', TOKEN, null],
    ['a token POST with Host: a%b', postHead('a%b', 'grant_type=x'), 'POST', TOKEN, FORM],
    ['a token POST with an empty Host', postHead('', 'grant_type=x'), 'POST', TOKEN, FORM],
    ['a token POST without a Host', postHead(null, 'grant_type=x'), 'POST', TOKEN, FORM],
    ['a Host with user info', `GET ${TOKEN} HTTP/1.1\r\nHost: evil@acme.my.salesforce.com\r\n\r\n`, 'GET', TOKEN, null],
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: login.salesforce.com\r\n\r\n', 'OPTIONS', '*', null],
    ['a backslash in the path', 'GET /services\\oauth2/token HTTP/1.1\r\nHost: login.salesforce.com\r\n\r\n', 'GET', '/services\\oauth2/token', null],
  ])('%s: the front 400 page, journalled and counted', async (_name, data, method, path, contentType) => {
    const { answer, id, trace, counted } = await sent(data);
    expect(answer).toBe(answerFor(id));
    expect(counted).toBe(1);
    expect(trace).toEqual({
      id,
      time: new Date(NOW).toISOString(),
      kind: 'other',
      request: { method, host: 'login.salesforce.com', path, clientIp: '127.0.0.1', contentType },
      response: { status: 400 },
      decidedBy: null,
      outcome: 'other',
      checks: [],
    });
  });

  it('keeps nothing secret: no query, no user info, no body', async () => {
    const assertion = signAssertion({ claims: goodClaims(mock.org.index.world) });
    const query = await sent(`GET ${TOKEN}?grant_type=${JWT_GRANT}&assertion=${assertion} HTTP/1.0\r\n\r\n`);
    const userInfo = await sent(`GET http://admin:hunter2@[::1${TOKEN} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const body = await sent(postHead('a%b', grant));
    expect([query.trace?.request.path, userInfo.trace?.request.path, body.trace?.request.path]).toEqual([TOKEN, `http://[::1${TOKEN}`, TOKEN]);
    for (const s of [query, userInfo, body]) {
      expect(s.answer).toBe(answerFor(s.id));
      expect(JSON.stringify(s.trace)).not.toMatch(/hunter2|assertion|eyJ/);
    }
  });

  it('keeps at most 512 characters of the target and of the Content-Type', async () => {
    const long = `/${'a'.repeat(5000)}`;
    const { answer, id, trace } = await sent(`GET ${long} HTTP/1.1\r\nHost: a%b\r\nContent-Type: ${'b'.repeat(3000)}\r\n\r\n`);
    expect(answer).toBe(answerFor(id));
    expect([trace?.request.path, trace?.request.contentType]).toEqual([long.slice(0, 512), 'b'.repeat(512)]);
  });

  it('leaves the header off in strict mode, and the server goes on serving', async () => {
    mock.org.setKnobs({ traceHeader: false });
    try {
      const before = mock.org.journal.total;
      expect(await exchange(`GET ${TOKEN} HTTP/1.0\r\n\r\n`)).toBe(answerFor('x').replace(`${TRACE_HEADER}: x\r\n`, ''));
      expect(mock.org.journal.total).toBe(before + 1);
    } finally {
      mock.org.setKnobs({ traceHeader: true });
    }
    const ok = await exchange(postHead('127.0.0.1', grant).replace('Content-Length', 'Connection: close\r\nContent-Length'));
    expect(ok).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ok).toContain('"access_token":"00D');
  });
});
