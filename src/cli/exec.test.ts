/**
 * `sfjwt exec` with an unmodified Node integration, through `main(argv, io)` (the command it runs is
 * a real child process): the integration signs with the SFJWT_* variables and calls
 * https://login.salesforce.com with fetch, then the instance_url it got (a real host name) with
 * node:https, and both reach the mock; a call to another host is refused at once and listed on
 * stderr and in the report; the exit code is the command's. No look-up or connection leaves
 * loopback: the preload refuses them, and the only host it lets through is the mock's.
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

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { ...process.env, SFJWT_HOME: home, NO_COLOR: '1' }, cwd: dir });
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

describe('sfjwt exec with real clients, unmodified', () => {
  const ROOT = new URL('../../', import.meta.url);
  const resolveFrom = (name: string) => pathToFileURL(createRequire(ROOT).resolve(name)).href;

  it('jsforce 3 logs in at login.salesforce.com with the JWT flow and queries the users', async () => {
    writeFileSync(
      join(dir, 'jsforce-app.mjs'),
      `import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
const { Connection } = await import(${JSON.stringify(resolveFrom('@jsforce/jsforce-node'))});
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = part({ alg: 'RS256' }) + '.' + part({ iss: process.env.SFJWT_CONSUMER_KEY, sub: process.env.SFJWT_USERNAME, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 });
const assertion = input + '.' + sign('sha256', Buffer.from(input), createPrivateKey(readFileSync(process.env.SFJWT_KEY_FILE))).toString('base64url');
const conn = new Connection({ loginUrl: 'https://login.salesforce.com' });
await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
const users = await conn.query('SELECT Username FROM User ORDER BY Username LIMIT 2');
console.log(conn.instanceUrl, users.records.map((u) => u.Username).join(','));
`,
    );
    const r = await run(['exec', '--', process.execPath, 'jsforce-app.mjs']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'https://acme.my.salesforce.com analyst@acme.com,former.employee@acme.com\n', '']);
  }, 30_000);

  it('@salesforce/core AuthInfo logs in with its own JWT (privateKeyFile) and its Connection queries', async () => {
    const sfHome = mkdtempSync(join(tmpdir(), 'sfjwt-exec-sf-home-'));
    writeFileSync(
      join(dir, 'sf-app.mjs'),
      `const { AuthInfo, Connection } = await import(${JSON.stringify(resolveFrom('@salesforce/core'))});
const authInfo = await AuthInfo.create({ username: process.env.SFJWT_USERNAME, oauth2Options: { clientId: process.env.SFJWT_CONSUMER_KEY, loginUrl: 'https://login.salesforce.com', privateKeyFile: process.env.SFJWT_KEY_FILE } });
const conn = await Connection.create({ authInfo });
const result = await conn.query('SELECT Id FROM User');
console.log(authInfo.getFields().instanceUrl, result.totalSize);
`,
    );
    const stdout = collector();
    const stderr = collector();
    const env = {
      ...process.env,
      SFJWT_HOME: home,
      NO_COLOR: '1',
      HOME: sfHome,
      SF_DISABLE_LOG_FILE: 'true',
      SFDX_DISABLE_LOG_FILE: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    };
    const code = await main(['exec', '--', process.execPath, 'sf-app.mjs'], { stdout, stderr, env, cwd: dir });
    expect([code, stdout.text, stderr.text]).toEqual([0, 'https://acme.my.salesforce.com 6\n', '']);
  }, 60_000);
});

describe('sfjwt exec for other languages: the HTTPS proxy', () => {
  it('curl with a JWT signed by openssl logs in at login.salesforce.com; another host is refused', async () => {
    writeFileSync(
      join(dir, 'curl-app.sh'),
      `set -eu
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256"}' | b64)
payload=$(printf '{"iss":"%s","sub":"%s","aud":"https://login.salesforce.com","exp":%s}' "$SFJWT_CONSUMER_KEY" "$SFJWT_USERNAME" $(( $(date +%s) + 180 )) | b64)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$SFJWT_KEY_FILE" | b64)
curl -s -o /dev/null -w 'token %{http_code}\\n' https://login.salesforce.com/services/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d "assertion=$header.$payload.$signature"
curl -s -o /dev/null https://www.example.com/ || echo "elsewhere refused ($?)"
`,
    );
    const r = await run(['exec', '--', 'bash', 'curl-app.sh']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'token 200\nelsewhere refused (56)\n', 'sfjwt exec: refused 1 attempt to leave loopback: connect www.example.com:443\n']);
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
  it('logs in at login.salesforce.com, calls its instance_url, and is refused elsewhere', async () => {
    writeFileSync(
      join(dir, 'app.py'),
      `import os, time, jwt, requests
key = open(os.environ["SFJWT_KEY_FILE"]).read()
assertion = jwt.encode({"iss": os.environ["SFJWT_CONSUMER_KEY"], "sub": os.environ["SFJWT_USERNAME"], "aud": "https://login.salesforce.com", "exp": int(time.time()) + 180}, key, algorithm="RS256")
r = requests.post("https://login.salesforce.com/services/oauth2/token", data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion})
body = r.json()
print("token", r.status_code, body["instance_url"])
limits = requests.get(body["instance_url"] + "/services/data/v60.0/limits", headers={"Authorization": "Bearer " + body["access_token"]})
print("limits", limits.status_code)
try:
    requests.get("https://api.example.com/")
    print("left loopback")
except requests.exceptions.ProxyError:
    print("elsewhere refused")
`,
    );
    const r = await run(['exec', '--', PYTHON, 'app.py']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      'token 200 https://acme.my.salesforce.com\nlimits 200\nelsewhere refused\n',
      'sfjwt exec: refused 1 attempt to leave loopback: connect api.example.com:443\n',
    ]);
  }, 30_000);
});
