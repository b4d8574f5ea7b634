/**
 * `sfjwt exec` with two more real clients, unmodified, through `main(argv, io)` (the command is a
 * real child process): salesforce-jwt-bearer-token-flow 0.2.4, which signs its own JWT and posts it
 * with the `request` library to `aud + /services/oauth2/token`, and newman 6.2.2 running the
 * hand-written Postman collection test/clients/postman/jwt-bearer.postman_collection.json. Both
 * HTTP stacks read HTTPS_PROXY, so their token requests tunnel through exec's proxy; the library's
 * integration then calls the REST API with fetch, which the preload routes. Salesforce's error and
 * error_description reach the caller as each client reports them. Nothing leaves loopback: every
 * run's stderr is asserted exactly, and a refused attempt (by the preload or the proxy) would be a
 * line there; newman 6.2.2 has no update check or telemetry, so it needs no switch to turn one off.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-exec-clients-');
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-exec-clients-app-'));
const ROOT = new URL('../../', import.meta.url);
const resolveFrom = (name: string) => pathToFileURL(createRequire(ROOT).resolve(name)).href;

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { ...process.env, SFJWT_HOME: home, NO_COLOR: '1' }, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// The integration, as the library's README has it; argv[2] is a JSON object of parameters to get wrong.
writeFileSync(
  join(dir, 'jwt-flow-app.mjs'),
  `import { readFileSync } from 'node:fs';
const { default: jwt } = await import(${JSON.stringify(resolveFrom('salesforce-jwt-bearer-token-flow'))});
const privateKey = readFileSync(process.env.SFJWT_KEY_FILE).toString('utf8');
const mistake = JSON.parse(process.argv[2] ?? '{}');
jwt.getToken({ iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', privateKey, ...mistake }, async (err, token) => {
  // The library calls back with Salesforce's error body as it is, or with request's Error.
  if (err instanceof Error) { console.log('failed', err.code, err.message); process.exitCode = 1; return; }
  if (err) { console.log('error', err.error + ':', err.error_description); process.exitCode = 1; return; }
  console.log('login', token.token_type, token.instance_url, token.id);
  const res = await fetch(token.instance_url + '/services/data/v60.0/limits', { headers: { Authorization: 'Bearer ' + token.access_token } });
  const { DailyApiRequests } = await res.json();
  console.log('limits', res.status, 'DailyApiRequests', DailyApiRequests.Max, DailyApiRequests.Remaining);
});
`,
);

/** The conformance report's checks, each as `result: what the client did`. */
function checks(report: string): Record<string, string> {
  const r = JSON.parse(readFileSync(join(dir, report, 'conformance.json'), 'utf8')) as { checks: { id: string; result: string; saw: string }[] };
  return Object.fromEntries(r.checks.map((c) => [c.id, `${c.result}: ${c.saw}`]));
}

/** What the report says of a client that logs in once, calls the API once, and meets no fault. */
const GOOD_LOGIN_ONE_CALL = {
  'stays-on-loopback': 'pass: every look-up and connection went to the mock',
  'logins-pass-checks': 'pass: 1 token request, every one accepted or failed by a fault',
  'assertions-well-formed': 'pass: no finding in 1 assertion',
  'reuses-token': 'pass: 1 login for 1 API call',
  'logs-in-again': 'not-seen: no API call met an ended session',
  'no-tight-retry': 'not-seen: no login was refused',
  'backs-off': 'not-seen: no token request was answered unknown_error',
  'handles-dropped-connection': 'not-seen: no connection was dropped',
  'refuses-untrusted-certificate': 'not-seen: the certificate served was one it trusts',
  'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
  'api-on-instance-url': "pass: 1 request to the API, all on the org's own hosts",
};

describe('sfjwt exec with salesforce-jwt-bearer-token-flow 0.2.4, unmodified', () => {
  it('the conformance report states what it did: one login, one API call, its exp of 5 minutes no finding', async () => {
    const r = await run(['exec', '--report', 'jwt-flow-report', '--', process.execPath, 'jwt-flow-app.mjs', '{}']);
    expect([r.code, r.stderr]).toEqual([0, 'sfjwt exec: conformance: 0 errors, 0 warnings, 6 passed, 5 not seen (1 token request, 1 login, 1 API call); see jwt-flow-report/conformance.md\n']);
    expect(checks('jwt-flow-report')).toEqual(GOOD_LOGIN_ONE_CALL);
  }, 30_000);

  // The library takes iss, sub, aud and the key, sets exp itself (now + 5 minutes) and posts to
  // aud's host: a My Domain or another host as aud is also where it posts.
  it.each<[string, Record<string, string>, number, string, string]>([
    [
      'logs in at login.salesforce.com and its token works on the REST API',
      {},
      0,
      'login Bearer https://acme.my.salesforce.com https://login.salesforce.com/id/00D5g0000000001EAA/0055g0000000001AAA\nlimits 200 DailyApiRequests 15000 14999\n',
      '',
    ],
    ['a wrong consumer key', { iss: '3MVG9NotTheAppsConsumerKey' }, 1, 'error invalid_client_id: client identifier invalid\n', ''],
    ['a user that does not exist', { sub: 'nobody@acme.com' }, 1, "error invalid_grant: user hasn't approved this consumer\n", ''],
    ['the frozen user', { sub: 'frozen@acme.com' }, 1, 'error invalid_grant: user is frozen\n', ''],
    ['the My Domain URL as aud (posted to My Domain)', { aud: 'https://acme.my.salesforce.com' }, 1, 'error invalid_grant: audience is invalid\n', ''],
    [
      'another host as aud: the library posts there, and exec refuses it',
      { aud: 'https://api.example.com' },
      1,
      'failed ECONNRESET tunneling socket could not be established, statusCode=403\n',
      'sfjwt exec: refused 1 attempt to leave loopback: connect api.example.com:443\n',
    ],
  ])(
    '%s',
    async (_name, mistake, code, stdout, stderr) => {
      const r = await run(['exec', '--', process.execPath, 'jwt-flow-app.mjs', JSON.stringify(mistake)]);
      expect([r.code, r.stdout, r.stderr]).toEqual([code, stdout, stderr]);
    },
    30_000,
  );
});

// Postman cannot sign RS256, so as the guides do the JWT is signed outside it: this script signs
// from the SFJWT_* variables exec gives it, writes a Postman environment (or, for the mistakes, a
// data file of one assertion per iteration) and runs the newman CLI, which inherits the preload and
// trusts the mock through NODE_EXTRA_CA_CERTS (no --ssl-extra-ca-certs needed). Its only reporter is
// the JSON one, so it prints nothing.
writeFileSync(
  join(dir, 'postman-run.mjs'),
  `import { spawnSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
const [newman, collection, report, mistakes] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(process.env.SFJWT_KEY_FILE));
const now = Math.floor(Date.now() / 1000);
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const assertion = ({ expIn = 180, ...claims } = {}) => {
  const input = part({ alg: 'RS256' }) + '.' + part({ iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', exp: now + expIn, ...claims });
  return input + '.' + sign('sha256', Buffer.from(input), key).toString('base64url');
};
const args = ['run', collection, '-r', 'json', '--reporter-json-export', report];
if (mistakes === undefined) {
  writeFileSync('salesforce.postman_environment.json', JSON.stringify({ name: 'Salesforce', values: [{ key: 'assertion', value: assertion(), type: 'secret', enabled: true }] }));
  args.push('-e', 'salesforce.postman_environment.json');
} else {
  writeFileSync('mistakes.json', JSON.stringify(JSON.parse(mistakes).map((claims) => ({ assertion: assertion(claims) }))));
  args.push('-d', 'mistakes.json', '--folder', 'Get access token');
}
const r = spawnSync(newman, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
);

const NEWMAN = fileURLToPath(new URL('node_modules/.bin/newman', ROOT));
const COLLECTION = fileURLToPath(new URL('test/clients/postman/jwt-bearer.postman_collection.json', ROOT));

/** What newman's JSON reporter says of each request: its name, status, body and each test's result. */
function newmanReport(file: string) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    run: {
      executions: { item: { name: string }; response: { code: number; stream: { data: number[] } }; assertions: { assertion: string; error?: { message: string } }[] }[];
      stats: { requests: { total: number; pending: number; failed: number }; assertions: { total: number; pending: number; failed: number } };
    };
  };
  return {
    stats: report.run.stats,
    executions: report.run.executions.map((e) => ({
      request: e.item.name,
      status: e.response.code,
      body: Buffer.from(e.response.stream.data).toString('utf8'),
      tests: e.assertions.map((a) => [a.assertion, a.error === undefined ? 'passed' : a.error.message]),
    })),
  };
}

describe('sfjwt exec with newman 6.2.2 running a Postman collection, unmodified', () => {
  it('gets an access token at login.salesforce.com and calls Limits on the instance_url with it; every test passes', async () => {
    const r = await run(['exec', '--report', 'newman-report', '--', process.execPath, 'postman-run.mjs', NEWMAN, COLLECTION, 'newman-login.json']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      '',
      'sfjwt exec: conformance: 0 errors, 0 warnings, 6 passed, 5 not seen (1 token request, 1 login, 1 API call); see newman-report/conformance.md\n',
    ]);
    expect(checks('newman-report')).toEqual(GOOD_LOGIN_ONE_CALL);
    const { stats, executions } = newmanReport('newman-login.json');
    expect(executions.map(({ body, ...e }) => e)).toEqual([
      { request: 'Get access token', status: 200, tests: [['Status code is 200', 'passed']] },
      {
        request: 'Limits',
        status: 200,
        tests: [
          ['Status code is 200', 'passed'],
          ['Daily API requests are reported', 'passed'],
        ],
      },
    ]);
    expect(JSON.parse(executions[0]?.body ?? '{}')).toMatchObject({ token_type: 'Bearer', instance_url: 'https://acme.my.salesforce.com' });
    expect([stats.requests, stats.assertions]).toEqual([
      { total: 2, pending: 0, failed: 0 },
      { total: 3, pending: 0, failed: 0 },
    ]);
  }, 60_000);

  // One newman run for the three: a data file of one assertion per iteration, the token request only.
  const MISTAKES: { name: string; claims: Record<string, string | number>; body: string }[] = [
    { name: 'a wrong iss', claims: { iss: '3MVG9NotTheAppsConsumerKey' }, body: '{"error":"invalid_client_id","error_description":"client identifier invalid"}' },
    { name: 'an exp an hour ago', claims: { expIn: -3600 }, body: '{"error":"invalid_grant","error_description":"expired authorization code"}' },
    { name: 'aud test.salesforce.com posted to login', claims: { aud: 'https://test.salesforce.com' }, body: '{"error":"invalid_grant","error_description":"audience is invalid"}' },
  ];
  it(`the token request answers Salesforce's error body, as Postman sees it: ${MISTAKES.map((m) => m.name).join('; ')}`, async () => {
    const r = await run(['exec', '--', process.execPath, 'postman-run.mjs', NEWMAN, COLLECTION, 'newman-mistakes.json', JSON.stringify(MISTAKES.map((m) => m.claims))]);
    // newman exits 1 when a test fails.
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', '']);
    const { stats, executions } = newmanReport('newman-mistakes.json');
    expect(executions).toEqual(
      MISTAKES.map((m) => ({ request: 'Get access token', status: 400, body: m.body, tests: [['Status code is 200', 'expected response to have status code 200 but got 400']] })),
    );
    expect([stats.requests, stats.assertions]).toEqual([
      { total: 3, pending: 0, failed: 0 },
      { total: 3, pending: 0, failed: 3 },
    ]);
  }, 60_000);
});
