/**
 * `sfjwt exec` with an unmodified Node integration, through `main(argv, io)` (the command it runs is
 * a real child process): the integration signs with the SFJWT_* variables and calls
 * https://login.salesforce.com with fetch, then the instance_url it got (a real host name) with
 * node:https, and both reach the mock; a call to another host is refused at once and listed on
 * stderr and in the report; the exit code is the command's. No look-up or connection leaves
 * loopback: the preload refuses them, and the only host it lets through is the mock's.
 *
 * Then real clients, each unmodified: jsforce 3, @salesforce/core AuthInfo, curl with openssl, and
 * Python requests with PyJWT. Each lane logs in and uses its token on the REST API under a report
 * that states what the client did; logs in three ways Salesforce refuses, chosen through the
 * integration's own inputs, and shows the exact text each client reports; the Node lanes rehearse a
 * fault where what the client does is worth knowing. One process run covers a lane's refused logins.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-exec-');
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-exec-app-'));

// The integration: nothing of sfjwt in it but the variables it reads.
const APP = `
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = part({ alg: 'RS256' }) + '.' + part({ iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 });
const jwt = input + '.' + sign('sha256', Buffer.from(input), createPrivateKey(readFileSync(process.env.SFJWT_KEY_FILE))).toString('base64url');
const res = await fetch('https://login.salesforce.com/services/oauth2/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }) });
const body = await res.json();
console.log('token', res.status, body.instance_url);
const status = await new Promise((resolve, reject) => https.get(body.instance_url + '/services/data/v60.0/limits', { headers: { Authorization: 'Bearer ' + body.access_token } }, (r) => { r.resume(); resolve(r.statusCode); }).on('error', reject));
console.log('limits', status);
try { await fetch('https://api.example.com/hook'); console.log('left loopback'); } catch (e) { console.log('elsewhere', e.cause?.code); }
process.exit(Number(process.argv[2] ?? 0));
`;
writeFileSync(join(dir, 'app.mjs'), APP);

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { ...process.env, SFJWT_HOME: home, NO_COLOR: '1', ...env }, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('sfjwt exec', () => {
  it('an unmodified integration logs in at login.salesforce.com and calls its instance, all on the mock; elsewhere is refused; the exit code is its own', async () => {
    const r = await run(['exec', '--report', 'reports', '--', process.execPath, 'app.mjs', '3']);
    expect(r.stdout).toBe('token 200 https://acme.my.salesforce.com\nlimits 200\nelsewhere ECONNREFUSED\n');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      [
        'sfjwt exec: refused 1 attempt to leave loopback: connect api.example.com:443',
        'sfjwt exec: conformance: 1 error, 0 warnings, 5 passed, 5 not seen (1 token request, 1 login, 1 API call); see reports/conformance.md',
        '  error: Reaches only Salesforce during the run: tried to reach api.example.com:443: refused (1 attempt)',
        '',
      ].join('\n'),
    );
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'conformance.json'), 'utf8')) as {
      exitCode: number;
      refused: { kind: string; host: string; port: number }[];
      journal: { kind: string; response: { status: number } }[];
    };
    expect(report.exitCode).toBe(3);
    expect(report.refused.map(({ kind, host, port }) => ({ kind, host, port }))).toEqual([{ kind: 'connect', host: 'api.example.com', port: 443 }]);
    expect(report.journal.map((t) => [t.kind, t.response.status])).toEqual([
      ['token', 200],
      ['rest', 200],
    ]);
  }, 30_000);

  it('a look-up of another name is not found, and listed', async () => {
    const r = await run(['exec', '--', process.execPath, '-e', "require('node:dns').lookup('db.internal.example', (e) => { console.log(e.code); })"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'ENOTFOUND\n', 'sfjwt exec: refused 1 attempt to leave loopback: lookup db.internal.example\n']);
  }, 30_000);

  it.each<[string, string[], string]>([
    [
      'no command after --',
      ['exec'],
      'sfjwt: exec needs the command to run after --\n  → Usage: npx sfjwt exec [--world FILE] [--fault F …] [--report DIR] [--strict] [--state-dir DIR] -- <command …>\n  → For example: npx sfjwt exec -- node my-integration.js\n',
    ],
    [
      'a command that is not there',
      ['exec', '--', 'no-such-command-sfjwt'],
      'sfjwt: exec cannot run no-such-command-sfjwt: no such command\n  → Check the command after --, and that it is on the PATH.\n',
    ],
    [
      'a fault that is not one',
      ['exec', '--fault', 'slow', '--', 'true'],
      'sfjwt: --fault slow: no such fault\n  → A fault is one of: unknown_error[:N], drop[:N], delay:MS[:N], expire-after:N, revoke-after:N, untrusted-tls.\n  → For example: --fault unknown_error --fault expire-after:3\n',
    ],
  ])(
    '%s: exit 2 with what to do',
    async (_name, argv, stderr) => {
      const r = await run(argv);
      expect([r.code, r.stderr]).toEqual([2, stderr]);
    },
    30_000,
  );
});

// A careless integration: it turns certificate checks off and prints its token.
const CARELESS = `
import https from 'node:https';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = part({ alg: 'RS256' }) + '.' + part({ iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 });
const jwt = input + '.' + sign('sha256', Buffer.from(input), createPrivateKey(readFileSync(process.env.SFJWT_KEY_FILE))).toString('base64url');
const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }).toString();
const req = https.request('https://login.salesforce.com/services/oauth2/token', { method: 'POST', rejectUnauthorized: process.argv[2] !== 'insecure', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
  let text = '';
  res.on('data', (c) => (text += c));
  res.on('end', () => console.log('token ' + res.statusCode + ' ' + JSON.parse(text).access_token));
});
req.on('error', (e) => { console.log('refused: ' + e.code); process.exitCode = 1; });
req.end(body);
`;
writeFileSync(join(dir, 'careless.mjs'), CARELESS);

describe('sfjwt exec: faults, the conformance report and --strict', () => {
  it('--fault untrusted-tls: a client that checks certificates refuses the mock, and that passes', async () => {
    const r = await run(['exec', '--strict', '--fault', 'untrusted-tls', '--', process.execPath, 'careless.mjs']);
    expect([r.code, r.stdout]).toEqual([1, 'refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE\n']);
    expect(r.stderr).toBe('sfjwt exec: conformance: 0 errors, 0 warnings, 4 passed, 7 not seen (0 token requests, 0 logins, 0 API calls)\n');
  }, 30_000);

  it('--fault untrusted-tls: a client that logs in anyway is a security error, its printed token another; --strict exits 1', async () => {
    const r = await run(['exec', '--strict', '--fault', 'untrusted-tls', '--report', 'careless-report', '--', process.execPath, 'careless.mjs', 'insecure']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^token 200 00D\w{12}!AQ[\w.]{94}\n$/);
    expect(r.stderr).toBe(
      [
        'sfjwt exec: conformance: 2 errors, 0 warnings, 3 passed, 6 not seen (1 token request, 1 login, 0 API calls); see careless-report/conformance.md',
        '  error: Refuses a certificate it should not trust: security: it sent 1 request over a certificate from a CA it was not given: it does not check certificates',
        '  error: Does not print its access token, assertion or private key: stdout line 1: an access token',
        '',
      ].join('\n'),
    );
    const md = readFileSync(join(dir, 'careless-report', 'conformance.md'), 'utf8');
    expect(md).toContain('- stdout line 1: an access token: `token 200 [an access token]`');
    for (const file of ['conformance.json', 'conformance.md', 'conformance.html', 'junit.xml']) expect(readFileSync(join(dir, 'careless-report', file), 'utf8')).not.toMatch(/!AQ\w{20}/);
  }, 30_000);

  it('without --strict the exit code stays the command’s, whatever the report says', async () => {
    const r = await run(['exec', '--fault', 'untrusted-tls', '--report', 'careless-report', '--', process.execPath, 'careless.mjs', 'insecure']);
    expect(r.code).toBe(0);
  }, 30_000);
});

/** A report as these tests read it: each check as `result: saw`, each token request as [host, error, error_description, deciding check]. */
function readReport(folder: string) {
  const r = JSON.parse(readFileSync(join(dir, folder, 'conformance.json'), 'utf8')) as {
    checks: { id: string; result: string; saw: string }[];
    tokenRequests: { host: string; error?: string; errorDescription?: string; decidedBy: string | null }[];
  };
  return {
    checks: Object.fromEntries(r.checks.map((c) => [c.id, `${c.result}: ${c.saw}`])),
    tokenRequests: r.tokenRequests.map((t) => [t.host, t.error ?? null, t.errorDescription ?? null, t.decidedBy]),
  };
}

/** What a run without faults and without refused logins says of the checks it cannot provoke. */
const UNPROVOKED = {
  'logs-in-again': 'not-seen: no API call met an ended session',
  'no-tight-retry': 'not-seen: no login was refused',
  'backs-off': 'not-seen: no token request was answered unknown_error',
  'handles-dropped-connection': 'not-seen: no connection was dropped',
  'refuses-untrusted-certificate': 'not-seen: the certificate served was one it trusts',
};

/** What the report says of a run that logs in once, reads the limits once, and tries hooks.example.com. */
const ONE_CALL_AND_HOOKS_REFUSED = {
  'stays-on-loopback': 'error: tried to reach hooks.example.com:443: refused (1 attempt)',
  'logins-pass-checks': 'pass: 1 token request, every one accepted or failed by a fault',
  'assertions-well-formed': 'pass: no finding in 1 assertion',
  'reuses-token': 'pass: 1 login for 1 API call',
  ...UNPROVOKED,
  'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
  'api-on-instance-url': "pass: 1 request to the API, all on the org's own hosts",
};

/**
 * Logins Salesforce refuses, each through the integration's own input `name:claim=value` that
 * overrides one claim of its assertion, and what the token endpoint answers (mock-server/core/outcomes.ts):
 * [name, the input, error, error_description, the check that decides]. jsforce, curl and Python take these.
 */
const REFUSED_CLAIMS: [string, string, string, string, string][] = [
  ['wrong-key', 'iss=3MVG9wrongConsumerKey', 'invalid_client_id', 'client identifier invalid', 'issuer'],
  ['sandbox-aud', 'aud=https://test.salesforce.com', 'invalid_grant', 'audience is invalid', 'audience'],
  ['frozen', 'sub=frozen@acme.com', 'invalid_grant', 'user is frozen', 'user-state'],
];
const refusedArgs = (cases: readonly (readonly [string, string, ...unknown[]])[]) => cases.map(([name, input]) => `${name}:${input}`);
/** The stderr of a run of the three REFUSED_CLAIMS under --report DIR: the same for every client that sends them once each. */
const refusedClaimsStderr = (folder: string) =>
  [
    `sfjwt exec: conformance: 2 errors, 0 warnings, 3 passed, 6 not seen (3 token requests, 0 logins, 0 API calls); see ${folder}/conformance.md`,
    "  error: Its token requests pass Salesforce's checks: 3 of 3 token requests refused: invalid_client_id (client identifier invalid), decided by issuer; invalid_grant (audience is invalid), decided by audience; invalid_grant (user is frozen), decided by user-state",
    '  error: Its assertions are well formed (claim names, exp, aud for the host): Sandbox audience sent to a production host (aud https://test.salesforce.com posted to login.salesforce.com)',
    '',
  ].join('\n');
const REFUSED_CLAIMS_LOGINS =
  'error: 3 of 3 token requests refused: invalid_client_id (client identifier invalid), decided by issuer; invalid_grant (audience is invalid), decided by audience; invalid_grant (user is frozen), decided by user-state';
const REFUSED_CLAIMS_REQUESTS = REFUSED_CLAIMS.map(([, , error, description, decidedBy]) => ['login.salesforce.com', error, description, decidedBy]);

describe('sfjwt exec with real clients, unmodified', () => {
  const ROOT = new URL('../../', import.meta.url);
  const resolveFrom = (name: string) => pathToFileURL(createRequire(ROOT).resolve(name)).href;

  describe('jsforce 3', () => {
    // One login per argument `name[:claim=value]`; then a query and the limits on the same Connection.
    // jsforce throws an Error whose name is the token endpoint's `error` and whose message is its
    // `error_description`, so `${e}` reads `invalid_grant: audience is invalid`.
    writeFileSync(
      join(dir, 'jsforce-app.mjs'),
      `import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
const { Connection } = await import(${JSON.stringify(resolveFrom('@jsforce/jsforce-node'))});
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
for (const arg of process.argv.slice(2)) {
  const [name, override = ''] = arg.split(/:(.*)/s);
  const claims = { iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 };
  if (override !== '') claims[override.slice(0, override.indexOf('='))] = override.slice(override.indexOf('=') + 1);
  const input = part({ alg: 'RS256' }) + '.' + part(claims);
  const assertion = input + '.' + sign('sha256', Buffer.from(input), createPrivateKey(readFileSync(process.env.SFJWT_KEY_FILE))).toString('base64url');
  const conn = new Connection({ loginUrl: 'https://login.salesforce.com' });
  try {
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    const users = await conn.query('SELECT Username FROM User ORDER BY Username LIMIT 2');
    const { DailyApiRequests: d } = await conn.limits();
    console.log(name + ': ' + conn.instanceUrl + ' ' + users.records.map((u) => u.Username).join(',') + '; DailyApiRequests ' + d.Remaining + ' of ' + d.Max + ' left');
  } catch (e) {
    console.log(name + ': ' + e);
    process.exitCode = 1;
  }
}
`,
    );

    it('logs in at login.salesforce.com with the JWT flow, queries and reads the limits with one token; the report says so', async () => {
      const r = await run(['exec', '--report', 'jsforce-report', '--', process.execPath, 'jsforce-app.mjs', 'ok']);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        0,
        'ok: https://acme.my.salesforce.com analyst@acme.com,former.employee@acme.com; DailyApiRequests 14998 of 15000 left\n',
        'sfjwt exec: conformance: 0 errors, 0 warnings, 6 passed, 5 not seen (1 token request, 1 login, 2 API calls); see jsforce-report/conformance.md\n',
      ]);
      expect(readReport('jsforce-report').checks).toEqual({
        'stays-on-loopback': 'pass: every look-up and connection went to the mock',
        'logins-pass-checks': 'pass: 1 token request, every one accepted or failed by a fault',
        'assertions-well-formed': 'pass: no finding in 1 assertion',
        'reuses-token': 'pass: 1 login for 2 API calls',
        ...UNPROVOKED,
        'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
        'api-on-instance-url': "pass: 2 requests to the API, all on the org's own hosts",
      });
    }, 30_000);

    it('shows each refused login as `error: error_description`', async () => {
      const r = await run(['exec', '--report', 'jsforce-refused', '--', process.execPath, 'jsforce-app.mjs', ...refusedArgs(REFUSED_CLAIMS)]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        ['wrong-key: invalid_client_id: client identifier invalid', 'sandbox-aud: invalid_grant: audience is invalid', 'frozen: invalid_grant: user is frozen', ''].join('\n'),
        refusedClaimsStderr('jsforce-refused'),
      ]);
      const report = readReport('jsforce-refused');
      expect([report.checks['logins-pass-checks'], report.checks['no-tight-retry'], report.tokenRequests]).toEqual([
        REFUSED_CLAIMS_LOGINS,
        'pass: it did not repeat a refused login (3 logins refused)',
        REFUSED_CLAIMS_REQUESTS,
      ]);
    }, 30_000);

    it('--fault expire-after:1: a Connection made by authorize() with an assertion has no way to log in again; it throws INVALID_SESSION_ID', async () => {
      // jsforce refreshes a session only with a refresh token and the app's client id, or a refreshFn
      // given to the Connection; a JWT login leaves it neither, so the second call fails. (Given a
      // refreshFn that signs a new assertion, it logs in again and repeats the call.)
      const r = await run(['exec', '--fault', 'expire-after:1', '--report', 'jsforce-expire', '--', process.execPath, 'jsforce-app.mjs', 'ok']);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        'ok: INVALID_SESSION_ID: Session expired or invalid\n',
        [
          'sfjwt exec: conformance: 1 error, 0 warnings, 6 passed, 4 not seen (1 token request, 1 login, 1 API call); see jsforce-expire/conformance.md',
          '  error: Logs in again when its session ends (INVALID_SESSION_ID, a revoked token): after 401 INVALID_SESSION_ID it did not log in again (it exited 1)',
          '',
        ].join('\n'),
      ]);
      expect(readReport('jsforce-expire').checks['logs-in-again']).toBe('error: after 401 INVALID_SESSION_ID it did not log in again (it exited 1)');
    }, 30_000);
  });

  describe('@salesforce/core AuthInfo', () => {
    // One AuthInfo per argument `name[:option=value]` (option: username or clientId), then its
    // Connection queries and reads the limits. AuthInfo signs its own assertion (privateKeyFile) and
    // posts it to loginUrl; when that is refused it posts another to https://test.salesforce.com
    // (aud test.salesforce.com), then throws a JwtAuthError listing each error_description, one a line,
    // without the `error` codes; the message is printed JSON-quoted, one line per case. Its own aud
    // override, SF_AUDIENCE_URL, changes nothing here: it tries loginUrl as the audience first.
    writeFileSync(
      join(dir, 'sf-app.mjs'),
      `const { AuthInfo, Connection } = await import(${JSON.stringify(resolveFrom('@salesforce/core'))});
for (const arg of process.argv.slice(2)) {
  const [name, override = ''] = arg.split(/:(.*)/s);
  const options = { username: process.env.SFJWT_USERNAME, clientId: process.env.SFJWT_CONSUMER_KEY };
  if (override !== '') options[override.slice(0, override.indexOf('='))] = override.slice(override.indexOf('=') + 1);
  try {
    const authInfo = await AuthInfo.create({ username: options.username, oauth2Options: { clientId: options.clientId, loginUrl: 'https://login.salesforce.com', privateKeyFile: process.env.SFJWT_KEY_FILE } });
    const conn = await Connection.create({ authInfo });
    const result = await conn.query('SELECT Id FROM User');
    const { DailyApiRequests: d } = await conn.limits();
    console.log(name + ': ' + authInfo.getFields().instanceUrl + ' ' + result.totalSize + ' users; DailyApiRequests ' + d.Remaining + ' of ' + d.Max + ' left');
  } catch (e) {
    console.log(name + ': ' + e.name + ': ' + JSON.stringify(e.message));
    process.exitCode = 1;
  }
}
`,
    );
    // A home of its own for each run: AuthInfo keeps what it logged in with in ~/.sfdx, and refuses
    // to create an AuthInfo with oauth2Options for a username it has (AuthInfoOverwriteError).
    const sfEnv = () => ({
      HOME: mkdtempSync(join(tmpdir(), 'sfjwt-exec-sf-home-')),
      SF_DISABLE_LOG_FILE: 'true',
      SFDX_DISABLE_LOG_FILE: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    });
    /** The assertion lint's finding on every assertion AuthInfo signs: it sets exp to Date.now() + 300, milliseconds. */
    const EXP_IN_MS = /^warning: exp is in milliseconds \(exp \d{13} is \S+ read as milliseconds\)$/;
    /** Times the report measures, made constant to compare. */
    const untimed = (text: string) =>
      text
        .replace(/exp \d{13} is \S+ read/g, 'exp N is T read')
        .replace(/in \d+\.\d s/g, 'in N s')
        .replace(/after \d+ ms/g, 'after N ms');

    it('logs in with its own JWT, and its Connection queries and reads the limits; the report says what it did', async () => {
      const r = await run(['exec', '--report', 'sf-report', '--', process.execPath, 'sf-app.mjs', 'ok'], sfEnv());
      expect([r.code, r.stdout, untimed(r.stderr)]).toEqual([
        0,
        'ok: https://acme.my.salesforce.com 6 users; DailyApiRequests 14996 of 15000 left\n',
        [
          'sfjwt exec: conformance: 0 errors, 1 warning, 5 passed, 5 not seen (1 token request, 1 login, 5 API calls); see sf-report/conformance.md',
          '  warning: Its assertions are well formed (claim names, exp, aud for the host): exp is in milliseconds (exp N is T read as milliseconds)',
          '',
        ].join('\n'),
      ]);
      // Five calls with one token: AuthInfo asks for ScratchOrgInfo (a Dev Hub?) and the Organization's
      // namespace, Connection lists the API versions, then the query and the limits.
      expect(readReport('sf-report').checks).toEqual({
        'stays-on-loopback': 'pass: every look-up and connection went to the mock',
        'logins-pass-checks': 'pass: 1 token request, every one accepted or failed by a fault',
        'assertions-well-formed': expect.stringMatching(EXP_IN_MS),
        'reuses-token': 'pass: 1 login for 5 API calls',
        ...UNPROVOKED,
        'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
        'api-on-instance-url': "pass: 5 requests to the API, all on the org's own hosts",
      });
    }, 60_000);

    it('posts each refused login again to test.salesforce.com, and shows both descriptions in a JwtAuthError', async () => {
      // [name, the input, what it shows, the token requests it made]
      const cases: [string, string, string, (string | null)[][]][] = [
        [
          'wrong-key',
          'clientId=3MVG9wrongConsumerKey',
          'wrong-key: JwtAuthError: "Error authenticating with JWT.\\nErrors encountered:\\nclient identifier invalid\\nclient identifier invalid"',
          [
            ['login.salesforce.com', 'invalid_client_id', 'client identifier invalid', 'issuer'],
            ['test.salesforce.com', 'invalid_client_id', 'client identifier invalid', 'issuer'],
          ],
        ],
        [
          'frozen',
          'username=frozen@acme.com',
          'frozen: JwtAuthError: "Error authenticating with JWT.\\nErrors encountered:\\nuser is frozen\\nuser hasn\'t approved this consumer"',
          [
            ['login.salesforce.com', 'invalid_grant', 'user is frozen', 'user-state'],
            ['test.salesforce.com', 'invalid_grant', "user hasn't approved this consumer", 'user'],
          ],
        ],
        [
          'inactive',
          'username=former.employee@acme.com',
          'inactive: JwtAuthError: "Error authenticating with JWT.\\nErrors encountered:\\ninactive user\\nuser hasn\'t approved this consumer"',
          [
            ['login.salesforce.com', 'invalid_grant', 'inactive user', 'user-state'],
            ['test.salesforce.com', 'invalid_grant', "user hasn't approved this consumer", 'user'],
          ],
        ],
      ];
      const r = await run(['exec', '--report', 'sf-refused', '--', process.execPath, 'sf-app.mjs', ...refusedArgs(cases)], sfEnv());
      // test.salesforce.com is one of the mock's hosts: nothing is refused, and stderr is exec's report only.
      // Its second post of each login goes to test.salesforce.com with a test audience: another request, no repeat.
      expect([r.code, r.stdout, untimed(r.stderr)]).toEqual([
        1,
        `${cases.map(([, , shows]) => shows).join('\n')}\n`,
        [
          'sfjwt exec: conformance: 1 error, 1 warning, 3 passed, 6 not seen (6 token requests, 0 logins, 0 API calls); see sf-refused/conformance.md',
          "  error: Its token requests pass Salesforce's checks: 6 of 6 token requests refused: invalid_client_id (client identifier invalid), decided by issuer ×2; invalid_grant (user is frozen), decided by user-state; invalid_grant (user hasn't approved this consumer), decided by user ×2; invalid_grant (inactive user), decided by user-state",
          '  warning: Its assertions are well formed (claim names, exp, aud for the host): exp is in milliseconds (exp N is T read as milliseconds; 6 requests)',
          '',
        ].join('\n'),
      ]);
      const report = readReport('sf-refused');
      expect([report.checks['logins-pass-checks'], report.tokenRequests]).toEqual([
        "error: 6 of 6 token requests refused: invalid_client_id (client identifier invalid), decided by issuer ×2; invalid_grant (user is frozen), decided by user-state; invalid_grant (user hasn't approved this consumer), decided by user ×2; invalid_grant (inactive user), decided by user-state",
        cases.flatMap(([, , , requests]) => requests),
      ]);
    }, 60_000);

    it.each<[string, number, string, string[], Record<string, unknown>]>([
      [
        // After unknown_error at login it does not wait and retry: it posts to test.salesforce.com at
        // once, is refused there, and gives up with both descriptions.
        'unknown_error',
        1,
        'ok: JwtAuthError: "Error authenticating with JWT.\\nErrors encountered:\\nretry your request\\nuser hasn\'t approved this consumer"\n',
        [
          'sfjwt exec: conformance: 1 error, 2 warnings, 3 passed, 5 not seen (2 token requests, 0 logins, 0 API calls); see sf-rehearsal/conformance.md',
          "  error: Its token requests pass Salesforce's checks: 1 of 2 token requests refused: invalid_grant (user hasn't approved this consumer), decided by user",
          '  warning: Its assertions are well formed (claim names, exp, aud for the host): exp is in milliseconds (exp N is T read as milliseconds; 2 requests)',
          "  warning: Backs off and retries after unknown_error: it retried after N ms and got invalid_grant (user hasn't approved this consumer)",
        ],
        {
          'backs-off': expect.stringMatching(/^warning: it retried after \d+ ms and got invalid_grant \(user hasn't approved this consumer\)$/),
          'logs-in-again': 'not-seen: no API call met an ended session',
        },
      ],
      [
        // The session ends after AuthInfo's first call: its second (the namespace) meets 401 and is
        // ignored; the query meets 401, and the Connection's refresh runs the JWT flow again.
        'expire-after:1',
        0,
        'ok: https://acme.my.salesforce.com 6 users; DailyApiRequests 14995 of 15000 left\n',
        [
          'sfjwt exec: conformance: 0 errors, 1 warning, 6 passed, 4 not seen (2 token requests, 2 logins, 5 API calls); see sf-rehearsal/conformance.md',
          '  warning: Its assertions are well formed (claim names, exp, aud for the host): exp is in milliseconds (exp N is T read as milliseconds; 2 requests)',
        ],
        {
          'backs-off': 'not-seen: no token request was answered unknown_error',
          'logs-in-again': 'pass: after 401 INVALID_SESSION_ID it logged in again (after 1 more call with the ended session) and its next API call succeeded',
        },
      ],
    ])(
      '--fault %s: what AuthInfo and its Connection do',
      async (fault, code, stdout, stderr, checks) => {
        const r = await run(['exec', '--fault', fault, '--report', 'sf-rehearsal', '--', process.execPath, 'sf-app.mjs', 'ok'], sfEnv());
        expect([r.code, r.stdout, untimed(r.stderr)]).toEqual([code, stdout, [...stderr, ''].join('\n')]);
        const report = readReport('sf-rehearsal').checks;
        expect({ 'backs-off': report['backs-off'], 'logs-in-again': report['logs-in-again'] }).toEqual(checks);
      },
      60_000,
    );
  });
});

// The curl lane reads JSON with jq, as a shell script would (Debian's jq): it says why when it cannot run.
const jqMissing = spawnSync('jq', ['--version']).error === undefined ? undefined : 'jq is missing (apt-get install jq)';
if (jqMissing !== undefined) console.warn(`exec.test.ts: the curl lane is skipped: ${jqMissing}`);

describe.skipIf(jqMissing !== undefined)(`sfjwt exec for other languages: the HTTPS proxy${jqMissing === undefined ? '' : ` (skipped: ${jqMissing})`}`, () => {
  // curl with a JWT signed by openssl: one login per argument `name[:claim=value]`, then the limits
  // with the token on its instance_url. The JSON is read with jq; curl --fail-with-body (curl 7.76+)
  // keeps the body of a 400 and exits 22, and says so on stderr. With RESULTS_URL set, it posts a
  // line there too.
  writeFileSync(
    join(dir, 'curl-app.sh'),
    `set -eu
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
for arg in "$@"; do
  name=\${arg%%:*}; iss=$SFJWT_CONSUMER_KEY; sub=$SFJWT_USERNAME; aud=https://login.salesforce.com
  case $arg in
    *:iss=*) iss=\${arg#*:iss=} ;;
    *:sub=*) sub=\${arg#*:sub=} ;;
    *:aud=*) aud=\${arg#*:aud=} ;;
  esac
  header=$(printf '{"alg":"RS256"}' | b64)
  payload=$(printf '{"iss":"%s","sub":"%s","aud":"%s","exp":%s}' "$iss" "$sub" "$aud" $(( $(date +%s) + 180 )) | b64)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$SFJWT_KEY_FILE" | b64)
  if body=$(curl -sS --fail-with-body https://login.salesforce.com/services/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d "assertion=$header.$payload.$signature"); then
    token=$(printf '%s' "$body" | jq -r .access_token)
    limits=$(curl -sS --fail-with-body -H "Authorization: Bearer $token" "$(printf '%s' "$body" | jq -r .instance_url)/services/data/v60.0/limits")
    echo "$name: $(printf '%s' "$limits" | jq -r '"DailyApiRequests \\(.DailyApiRequests.Remaining) of \\(.DailyApiRequests.Max) left"')"
  else
    echo "$name: curl exit $?: $(printf '%s' "$body" | jq -r '"\\(.error): \\(.error_description)"')"
  fi
done
if [ -n "\${RESULTS_URL:-}" ]; then curl -sS -o /dev/null -d done "$RESULTS_URL" || echo "results not sent: curl exit $?"; fi
`,
  );

  it('curl and openssl log in at login.salesforce.com and read the limits on the instance_url; another host is refused; the report says so', async () => {
    const r = await run(['exec', '--report', 'curl-report', '--', 'bash', 'curl-app.sh', 'ok'], { RESULTS_URL: 'https://hooks.example.com/sfjwt' });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      'ok: DailyApiRequests 14999 of 15000 left\nresults not sent: curl exit 56\n',
      [
        'curl: (56) CONNECT tunnel failed, response 403',
        'sfjwt exec: refused 1 attempt to leave loopback: connect hooks.example.com:443',
        'sfjwt exec: conformance: 1 error, 0 warnings, 5 passed, 5 not seen (1 token request, 1 login, 1 API call); see curl-report/conformance.md',
        '  error: Reaches only Salesforce during the run: tried to reach hooks.example.com:443: refused (1 attempt)',
        '',
      ].join('\n'),
    ]);
    expect(readReport('curl-report').checks).toEqual(ONE_CALL_AND_HOOKS_REFUSED);
  }, 30_000);

  it('curl shows each refused login as exit 22, "The requested URL returned error: 400" on stderr, and the body', async () => {
    const r = await run(['exec', '--report', 'curl-refused', '--', 'bash', 'curl-app.sh', ...refusedArgs(REFUSED_CLAIMS)]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      [
        'wrong-key: curl exit 22: invalid_client_id: client identifier invalid',
        'sandbox-aud: curl exit 22: invalid_grant: audience is invalid',
        'frozen: curl exit 22: invalid_grant: user is frozen',
        '',
      ].join('\n'),
      `${'curl: (22) The requested URL returned error: 400\n'.repeat(3)}${refusedClaimsStderr('curl-refused')}`,
    ]);
    const report = readReport('curl-refused');
    expect([report.checks['logins-pass-checks'], report.tokenRequests]).toEqual([REFUSED_CLAIMS_LOGINS, REFUSED_CLAIMS_REQUESTS]);
  }, 30_000);
});

// Debian's Python with python3-requests and python3-jwt (.ci/run installs them): the lane says why when it cannot run.
const PYTHON = '/usr/bin/python3';
const pythonMissing = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import requests, jwt'], { encoding: 'utf8' });
  return r.error !== undefined ? `${PYTHON} is missing` : r.status !== 0 ? `${PYTHON} lacks requests or jwt (apt-get install python3-requests python3-jwt)` : undefined;
})();
if (pythonMissing !== undefined) console.warn(`exec.test.ts: the Python lane is skipped: ${pythonMissing}`);

describe.skipIf(pythonMissing !== undefined)(`sfjwt exec with Python requests and PyJWT${pythonMissing === undefined ? '' : ` (skipped: ${pythonMissing})`}`, () => {
  // One login per argument `name[:claim=value]`, then the limits on the instance_url. On a refused
  // login, raise_for_status() raises an HTTPError that names the status and the URL only; the
  // integration adds error and error_description from the body. With RESULTS_URL set, it posts there too.
  writeFileSync(
    join(dir, 'app.py'),
    `import os, sys, time, jwt, requests
key = open(os.environ["SFJWT_KEY_FILE"]).read()
for arg in sys.argv[1:]:
    name, _, override = arg.partition(":")
    claims = {"iss": os.environ["SFJWT_CONSUMER_KEY"], "sub": os.environ["SFJWT_USERNAME"], "aud": "https://login.salesforce.com", "exp": int(time.time()) + 180}
    if override:
        claim, _, value = override.partition("=")
        claims[claim] = value
    assertion = jwt.encode(claims, key, algorithm="RS256")
    r = requests.post("https://login.salesforce.com/services/oauth2/token", data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion})
    try:
        r.raise_for_status()
    except requests.HTTPError as e:
        body = e.response.json()
        print(f"{name}: {e}: {body['error']}: {body['error_description']}")
        continue
    body = r.json()
    limits = requests.get(body["instance_url"] + "/services/data/v60.0/limits", headers={"Authorization": "Bearer " + body["access_token"]})
    limits.raise_for_status()
    d = limits.json()["DailyApiRequests"]
    print(f"{name}: DailyApiRequests {d['Remaining']} of {d['Max']} left")
if os.environ.get("RESULTS_URL"):
    try:
        requests.post(os.environ["RESULTS_URL"], data="done")
    except requests.exceptions.ProxyError:
        print("results not sent: ProxyError")
`,
  );

  it('logs in at login.salesforce.com, reads the limits on its instance_url, and is refused elsewhere; the report says so', async () => {
    const r = await run(['exec', '--report', 'python-report', '--', PYTHON, 'app.py', 'ok'], { RESULTS_URL: 'https://hooks.example.com/sfjwt' });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      'ok: DailyApiRequests 14999 of 15000 left\nresults not sent: ProxyError\n',
      [
        'sfjwt exec: refused 1 attempt to leave loopback: connect hooks.example.com:443',
        'sfjwt exec: conformance: 1 error, 0 warnings, 5 passed, 5 not seen (1 token request, 1 login, 1 API call); see python-report/conformance.md',
        '  error: Reaches only Salesforce during the run: tried to reach hooks.example.com:443: refused (1 attempt)',
        '',
      ].join('\n'),
    ]);
    expect(readReport('python-report').checks).toEqual(ONE_CALL_AND_HOOKS_REFUSED);
  }, 30_000);

  it('shows each refused login as requests’ HTTPError, then error and error_description from the body', async () => {
    const r = await run(['exec', '--report', 'python-refused', '--', PYTHON, 'app.py', ...refusedArgs(REFUSED_CLAIMS)]);
    const httpError = '400 Client Error: Bad Request for url: https://login.salesforce.com/services/oauth2/token';
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      [
        `wrong-key: ${httpError}: invalid_client_id: client identifier invalid`,
        `sandbox-aud: ${httpError}: invalid_grant: audience is invalid`,
        `frozen: ${httpError}: invalid_grant: user is frozen`,
        '',
      ].join('\n'),
      refusedClaimsStderr('python-refused'),
    ]);
    const report = readReport('python-refused');
    expect([report.checks['logins-pass-checks'], report.tokenRequests]).toEqual([REFUSED_CLAIMS_LOGINS, REFUSED_CLAIMS_REQUESTS]);
  }, 30_000);
});
