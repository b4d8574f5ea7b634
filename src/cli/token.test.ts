/**
 * `sfjwt token`, in this process through `main(argv, io)`, against the mock org on 127.0.0.1 (plain
 * HTTP and HTTPS with its local CA), never a real host: a token answer is shown with the access
 * token redacted to its org Id (whole only with --show-token, and then it works on the REST API), an
 * error answer with Salesforce's error, what it means and the explain command (exit 1), and plain
 * http to anything but loopback is refused before a byte is sent (exit 2). And what the same mock
 * answers a bad token after the token (REST API, identity service) and an unknown path, pasted into
 * `explain` as received, is explained.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { describeStarted } from '../../mock-server/adapters/serve-description.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { OUTCOMES } from '../../mock-server/core/outcomes.ts';
import { NOW, testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-token-');
type Started = Awaited<ReturnType<typeof startMockOrg>>;
let http: Started;
let https: Started;
let line: ReturnType<typeof describeStarted>;
const httpLine = join(home, 'http-ready.json');
const httpsLine = join(home, 'https-ready.json');

beforeAll(async () => {
  http = await startMockOrg({ tls: false, stateDir: home, clock: frozenClock(NOW) });
  https = await startMockOrg({ tls: true, stateDir: home, clock: frozenClock(NOW) });
  line = describeStarted(http);
  writeFileSync(httpLine, `${JSON.stringify(line)}\n`);
  writeFileSync(httpsLine, `${JSON.stringify(describeStarted(https))}\n`);
});
afterAll(async () => {
  await http?.close();
  await https?.close();
});

async function run(argv: string[], command = 'token') {
  const stdout = collector();
  const stderr = collector();
  const code = await main([command, ...argv], { stdout, stderr, stdin: Readable.from([]), env: { SFJWT_HOME: home, NO_COLOR: '1' }, now: () => NOW, cwd: home });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const REDACTED = /^00D[A-Za-z0-9]{12}!\[redacted\]$/;

describe('sfjwt token', () => {
  it('--from-serve: the answer with the access token redacted to its org Id', async () => {
    const r = await run(['--from-serve', httpLine]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [status, ...rest] = r.stdout.split('\n');
    expect(status).toBe(`HTTP 200 from ${line.login}/services/oauth2/token`);
    const json = rest.slice(0, rest.indexOf('}') + 1).join('\n');
    const body = JSON.parse(json) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'instance_url', 'id', 'token_type', 'scope']);
    expect(body['access_token']).toMatch(REDACTED);
    expect(body).toMatchObject({ instance_url: line.myDomain, token_type: 'Bearer' });
    expect(body['id']).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/);
    expect(r.stdout.endsWith('\nThe access token is shown redacted (its org Id kept): --show-token prints it whole.\n')).toBe(true);
    // Nothing of the session secret: only the org Id and "!" of the token appear.
    expect(r.stdout).not.toMatch(/!AQ/);
  });

  it('--show-token --json: the whole token, which the REST API of the instance takes', async () => {
    const r = await run(['--from-serve', httpLine, '--show-token', '--json']);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { status: number; url: string; body: Record<string, string> };
    expect(answer).toMatchObject({ status: 200, url: `${line.login}/services/oauth2/token` });
    expect(answer.body['access_token']).toMatch(/^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{20,}$/);
    const limits = await fetch(`${answer.body['instance_url']}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${answer.body['access_token']}` } });
    expect(limits.status).toBe(200);
    expect(r.stdout.split('\n')).toHaveLength(2);
  });

  it('--json without --show-token: redacted', async () => {
    const r = await run(['--from-serve', httpLine, '--json']);
    expect((JSON.parse(r.stdout) as { body: Record<string, string> }).body['access_token']).toMatch(REDACTED);
  });

  it('flags: --url, --iss, --sub and --key, as from a client of its own', async () => {
    const r = await run(['--url', line.login, '--iss', String(line.consumerKey), '--sub', String(line.username), '--key', String(line.privateKeyFile), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });

  it('HTTPS with the mock CA of the served line', async () => {
    const r = await run(['--from-serve', httpsLine, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 200, url: `${describeStarted(https).login}/services/oauth2/token` });
  });

  it("an error answer: Salesforce's error, what it means and the explain command, exit 1", async () => {
    const r = await run(['--from-serve', httpLine, '--sub', 'nobody@acme.com']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `HTTP 400 from ${line.login}/services/oauth2/token`,
        '{',
        '  "error": "invalid_grant",',
        `  "error_description": "user hasn't approved this consumer"`,
        '}',
        '',
        `What it means: ${OUTCOMES.notApproved.meaning}`,
        `Every cause, and how to tell them apart: npx sfjwt explain "user hasn't approved this consumer"`,
        '',
      ].join('\n'),
    );
    const json = await run(['--from-serve', httpLine, '--sub', 'nobody@acme.com', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 400,
      url: `${line.login}/services/oauth2/token`,
      body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
      meaning: OUTCOMES.notApproved.meaning,
      explain: `npx sfjwt explain "user hasn't approved this consumer"`,
    });
  });

  it('an HTML page: named by its title, with what it means', async () => {
    const r = await run(['--from-serve', httpLine, '--url', `${line.login}/wrong`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `HTTP 404 from ${line.login}/wrong/services/oauth2/token: an HTML page ("URL No Longer Exists"), not JSON`,
        '',
        `What it means: ${OUTCOMES.notFound.meaning}`,
        'Every cause, and how to tell them apart: npx sfjwt explain 404',
        '',
      ].join('\n'),
    );
  });

  it('nothing listening: no answer, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    await new Promise((r) => blocker.close(r));
    const r = await run(['--from-serve', httpLine, '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `no answer from http://127.0.0.1:${port}/services/oauth2/token: ECONNREFUSED\nNothing listens there: check the URL and port (npx sfjwt serve starts the mock and prints its URLs).\n`,
    );
  });

  it("HTTPS without the mock's CA: no answer, and --ca named", async () => {
    const r = await run(['--from-serve', httpLine, '--url', describeStarted(https).login]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^no answer from https:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token: [A-Z_]+\nThe server's certificate is not trusted here: give --ca FILE/);
  });

  it.each([
    // TEST-NET-1 (RFC 5737) is routed nowhere: should the guard fail, nothing could answer it either.
    ['http://192.0.2.1', 'sfjwt: not sent: http://192.0.2.1 is plain http, and a real org is sent requests over HTTPS only (the signed assertion would cross the network in clear text)'],
    ['ftp://192.0.2.1', 'sfjwt: --url takes an http:// or https:// URL, got "ftp://192.0.2.1"'],
    ['nonsense', 'sfjwt: --url takes an http:// or https:// URL, got "nonsense"'],
  ])('--url %s: refused before anything is sent, exit 2', async (url, first) => {
    const r = await run(['--from-serve', httpLine, '--url', url]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(first);
  });

  it.each([
    [['--iss', 'k', '--sub', 'u@x.com', '--key', 'nope.key'], 'sfjwt: token needs --url (where to post: a login URL, a My Domain or the mock), or --host, a config target or --from-serve'],
    [['--url', 'https://login.salesforce.com'], 'sfjwt: token needs --iss (the consumer key), --sub (the username) and --key (the private key file)'],
  ])('%j: exit 2 with a clear message', async (argv, first) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });
});

describe('explain knows what the mock answers once a client has a token', () => {
  it.each([
    ['the REST API', () => `${line.myDomain ?? ''}/services/data/v60.0/limits`, 401, 'INVALID_SESSION_ID: Session expired or invalid  (HTTP 401, the REST API)'],
    ['the userinfo endpoint', () => `${line.login}/services/oauth2/userinfo`, 403, 'Bad_OAuth_Token  (HTTP 403, the identity service: the id URL and /services/oauth2/userinfo)'],
    ['an unknown path', () => `${line.login}/no/such/page`, 404, 'HTTP 404'],
  ])('%s with a made-up token: its body, pasted into explain, is explained', async (_what, url, status, first) => {
    const res = await fetch(url(), { headers: { Authorization: 'Bearer 00D000000000001!AQmadeup' } });
    expect(res.status).toBe(status);
    const r = await run([await res.text()], 'explain');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(first);
  });
});
