/**
 * The example integration (examples/node-jwt-integration) under its own test command, read from its
 * package.json as a user's `npm test` would run it: `sfjwt exec --strict` with two faults and a
 * conformance report. The integration must log in, ride out unknown_error and an ended session, print
 * its results, and leave a report with no error in examples/node-jwt-integration/reports/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const EXAMPLE = new URL('../../examples/node-jwt-integration/', import.meta.url);

/** The words of a shell command line: blanks split, single quotes group (all this script uses). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('the example integration, tested as its package.json says', () => {
  it('logs in, retries unknown_error, logs in again after its session ends; its conformance report has no error', async () => {
    const script = (JSON.parse(readFileSync(new URL('package.json', EXAMPLE), 'utf8')) as { scripts: { test: string } }).scripts.test;
    const [bin, ...argv] = words(script);
    expect(bin).toBe('sfjwt');
    const stdout = collector();
    const stderr = collector();
    const code = await main(argv, { stdout, stderr, env: { ...process.env, SFJWT_HOME: testStateDir('sfjwt-example-'), NO_COLOR: '1' }, cwd: EXAMPLE.pathname });
    expect([code, stdout.text, stderr.text]).toEqual([
      0,
      'users: 5 active, 1 inactive\nAPI requests left today: 14997\n',
      'sync: unknown_error, retrying in 600 ms\nsync: session ended, logging in again\nsfjwt exec: conformance: 0 errors, 0 warnings, 8 passed, 3 not seen (3 token requests, 2 logins, 3 API calls); see reports/conformance.md\n',
    ]);
    const report = JSON.parse(readFileSync(new URL('reports/conformance.json', EXAMPLE), 'utf8')) as { checks: { id: string; result: string; saw: string }[] };
    expect(Object.fromEntries(report.checks.map((c) => [c.id, `${c.result}: ${c.saw}`]))).toEqual({
      'stays-on-loopback': 'pass: every look-up and connection went to the mock',
      'logins-pass-checks': 'pass: 3 token requests, every one accepted or failed by a fault',
      'assertions-well-formed': 'pass: no finding in 3 assertions',
      'reuses-token': 'pass: 2 logins for 3 API calls',
      'logs-in-again': 'pass: after 401 INVALID_SESSION_ID it logged in again and its next API call succeeded',
      'no-tight-retry': 'not-seen: no login was refused',
      'backs-off': expect.stringMatching(/^pass: it retried after \d+ ms and logged in$/),
      'handles-dropped-connection': 'not-seen: no connection was dropped',
      'refuses-untrusted-certificate': 'not-seen: the certificate served was one it trusts',
      'keeps-secrets-off-output': 'pass: no secret in its stdout or stderr',
      'api-on-instance-url': "pass: 4 requests to the API, all on the org's own hosts",
    });
  }, 30_000);
});
