/**
 * `sfjwt exec` with an unmodified Java 17 integration (test/clients/java/JwtLogin.java, run as a
 * single source file): through the JAVA_TOOL_OPTIONS exec gives it, java.net.http.HttpClient and
 * HttpsURLConnection reach the mock at login.salesforce.com and the org's My Domain by exec's proxy and
 * trust the mock's CA; Salesforce's exact error texts come through the client; another host is
 * refused and listed on stderr.
 *
 * Nothing may leave loopback even if the JVM ignored the proxy, so the JVM gets an empty hosts file
 * (-Djdk.net.hosts.file: it resolves no name itself; through the proxy it needs none) and, where
 * `unshare -n` works, the whole `sfjwt exec` runs in a network namespace of its own with only
 * loopback. The whole exec, not only java: a process in another namespace cannot reach the mock's
 * and the proxy's 127.0.0.1. That is why this lane runs the CLI (bin/sfjwt.js, the compiled dist/)
 * as a child rather than main() in this process. JVMs start slowly: two runs, each several steps.
 */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJks } from '../../lib/pki/jks.ts';
import { testKeys, testStateDir } from '../../mock-server/testing/fixtures.ts';
import { javaToolOptions } from '../exec/java.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../test/clients/java/', import.meta.url));
const SFJWT = fileURLToPath(new URL('../../bin/sfjwt.js', import.meta.url));

// Java 17 (.ci/run installs openjdk-17-jdk-headless): the lane says why when it cannot run.
const javaMissing = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 ? undefined : 'java is not on the PATH (apt-get install openjdk-17-jdk-headless)';
if (javaMissing !== undefined) console.warn(`exec-java.test.ts: the Java lane is skipped: ${javaMissing}`);

// A network namespace with loopback only, when this user may make one (root, or unprivileged user namespaces).
const ISOLATE = ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh'];
const isolated = javaMissing === undefined && spawnSync(ISOLATE[0] as string, [...ISOLATE.slice(1), 'true'], { stdio: 'ignore' }).status === 0;
if (javaMissing === undefined && !isolated) console.warn('exec-java.test.ts: unshare -n is not available: the JVM is kept on loopback by the proxy and an empty hosts file only');

const home = testStateDir('sfjwt-exec-java-');
const scratch = mkdtempSync(join(tmpdir(), 'sfjwt-exec-java-'));
const noHosts = join(scratch, 'hosts');
writeFileSync(noHosts, '');

/** What `java` is started with by exec, as the JVM echoes it on stderr: the proxy's port is the only part not known in advance. */
function pickedUp(): string {
  const fingerprint = new X509Certificate(readFileSync(join(home, 'tls', 'ca.crt'))).fingerprint256.replaceAll(':', '').toLowerCase();
  return [
    'Picked up JAVA_TOOL_OPTIONS: -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=PORT -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=PORT',
    `-Djavax.net.ssl.trustStore=${join(home, 'tls', `java-truststore-${fingerprint}.jks`)} -Djavax.net.ssl.trustStoreType=JKS -Djavax.net.ssl.trustStorePassword=sfjwt-public`,
  ].join(' ');
}

/** `sfjwt exec -- java JwtLogin.java STEP…`; the proxy's port, in the JVM's echo of its options, becomes PORT. */
function execJava(steps: string[], execArgs: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SFJWT_HOME: home, NO_COLOR: '1' };
  delete env['JAVA_TOOL_OPTIONS'];
  const command = [process.execPath, SFJWT, 'exec', ...execArgs, '--', 'java', `-Djdk.net.hosts.file=${noHosts}`, 'JwtLogin.java', ...steps];
  const [program, ...args] = isolated ? [...ISOLATE, ...command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(program as string, args, { cwd: CLIENT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 55_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => {
      const port = /-Dhttps\.proxyPort=(\d+) /.exec(stderr)?.[1];
      resolve({ code, stdout, stderr: port === undefined ? stderr : stderr.replaceAll(`Port=${port}`, 'Port=PORT') });
    });
  });
}

describe.skipIf(javaMissing !== undefined)(`sfjwt exec with Java 17: HttpClient and HttpsURLConnection${javaMissing === undefined ? '' : ` (skipped: ${javaMissing})`}`, () => {
  it('logs in at login.salesforce.com and calls its instance_url; another host is refused, over HTTPS and plain HTTP', async () => {
    const report = join(scratch, 'java-report');
    const r = await execJava(['', 'https://acme.my.salesforce.com/services/data/v60.0/limits', 'https://api.example.com/', 'http://api.example.com/'], ['--report', report]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      [
        'token 200 https://acme.my.salesforce.com',
        'limits 200',
        // HttpsURLConnection, without a token: the mock's own answer, so it reached the mock and trusted its CA.
        'get https://acme.my.salesforce.com/services/data/v60.0/limits 401',
        // The proxy answers 403 to the CONNECT (HttpsURLConnection throws) and to a plain-HTTP request (a response).
        'get https://api.example.com/ failed: java.io.IOException',
        'get http://api.example.com/ 403',
        '',
      ].join('\n'),
      // The JVM echoes JAVA_TOOL_OPTIONS when it picks it up: part of what a user sees, so asserted too.
      [
        pickedUp(),
        'sfjwt exec: refused 2 attempts to leave loopback: connect api.example.com:443, connect api.example.com:80',
        `sfjwt exec: conformance: 1 error, 0 warnings, 5 passed, 5 not seen (1 token request, 1 login, 1 API call); see ${join(report, 'conformance.md')}`,
        '  error: Reaches only Salesforce during the run: tried to reach api.example.com:443, api.example.com:80: refused (2 attempts)',
        '',
      ].join('\n'),
    ]);
    // The conformance report states what the client did.
    const checks = (JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as { checks: { id: string; result: string; saw: string }[] }).checks;
    expect(Object.fromEntries(checks.map((c) => [c.id, `${c.result}: ${c.saw}`]))).toMatchObject({
      'logins-pass-checks': 'pass: 1 token request, every one accepted or failed by a fault',
      'assertions-well-formed': 'pass: no finding in 1 assertion',
      'reuses-token': 'pass: 1 login for 1 API call',
      'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
      'api-on-instance-url': "pass: 2 requests to the API, all on the org's own hosts",
    });
  }, 60_000);

  // Each case is one login of the same run: the claims it overrides, and Salesforce's answer as the client prints it.
  const failures = [
    { why: 'iss is not a consumer key', step: 'iss=3MVG9notAConsumerKeyOfThisOrg', printed: 'token 400 invalid_client_id: client identifier invalid' },
    { why: "aud is the sandbox's, posted to login.salesforce.com", step: 'aud=https://test.salesforce.com', printed: 'token 400 invalid_grant: audience is invalid' },
    { why: 'sub is the frozen user', step: 'sub=frozen@acme.com', printed: 'token 400 invalid_grant: user is frozen' },
    { why: 'sub names no user', step: 'sub=nobody@acme.com', printed: "token 400 invalid_grant: user hasn't approved this consumer" },
  ];

  it(`surfaces Salesforce's exact error texts: ${failures.map((f) => f.why).join('; ')}`, async () => {
    const r = await execJava(failures.map((f) => f.step));
    expect([r.code, r.stdout, r.stderr]).toEqual([0, failures.map((f) => `${f.printed}\n`).join(''), `${pickedUp()}\n`]);
  }, 60_000);

  it('the trust store is written once per CA, holds only the CA, and comes after the user’s own JAVA_TOOL_OPTIONS', () => {
    const ca = join(home, 'tls', 'ca.crt');
    const lane = { caFile: ca, stateDir: home, proxyUrl: 'http://127.0.0.1:8443' };
    const options = javaToolOptions({ ...lane, env: { JAVA_TOOL_OPTIONS: ' -Xmx64m ' } });
    expect(options.replaceAll('8443', 'PORT')).toBe(pickedUp().replace('Picked up JAVA_TOOL_OPTIONS: ', '-Xmx64m '));
    const store = /-Djavax\.net\.ssl\.trustStore=(\S+)/.exec(options)?.[1] ?? '';
    const written = statSync(store).mtimeMs;
    javaToolOptions({ ...lane, env: {} });
    expect(statSync(store).mtimeMs).toBe(written);
    expect(readJks(readFileSync(store), 'sfjwt-public').map((e) => [e.kind, e.alias, e.kind === 'trusted-cert' ? new X509Certificate(e.certificateDer).fingerprint256 : ''])).toEqual([
      ['trusted-cert', 'sfjwt-ca', new X509Certificate(readFileSync(ca)).fingerprint256],
    ]);
    // Another CA: a store of its own.
    const other = join(scratch, 'other-ca.crt');
    writeFileSync(other, testKeys().certificatePem);
    const otherStore = /-Djavax\.net\.ssl\.trustStore=(\S+)/.exec(javaToolOptions({ ...lane, caFile: other, env: {} }))?.[1] ?? '';
    expect(otherStore).not.toBe(store);
    expect(readdirSync(join(home, 'tls')).filter((f) => f.startsWith('java-truststore-')).length).toBe(2);
  });
});
