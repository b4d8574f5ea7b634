/**
 * Every role a scenario names is one of lib/roles.ts, checked when the file is read: a host role in
 * `send.host` or in a `url` / `realUrl` value, a user role in a `username` value, and an object with
 * a "$" key is a valid symbol. A name such as
 * "constructor" (a property of every object, which a target's look-up table would otherwise find)
 * is a schema error naming the field and the roles there are, never a stack trace when it is sent.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioFileError } from './load.ts';

const HOSTS = (got: string) => `expected one of "login", "test", "my-domain", "site", "lightning", got ${JSON.stringify(got)}`;
const USERS = (got: string) => `expected one of "default", "unapproved", "not-admitted", "inactive", "frozen", "ip-restricted", "sandbox", "locked-org", got ${JSON.stringify(got)}`;

const scenario = (mistakes: unknown[]) => ({
  id: 'roles.test',
  title: 'a scenario',
  level: 'MUST',
  mistakes,
  expect: { status: 400, decidedBy: 'host' },
  explanation: 'why',
  fix: 'how',
  confidence: 'INF',
});

function issuesOf(json: unknown): unknown {
  try {
    parseScenario(json, 'x.json');
  } catch (error) {
    if (error instanceof ScenarioFileError) return { issues: error.issues, message: error.message };
    throw error;
  }
  return 'accepted';
}

describe('roles named in mistakes', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'evil.example', 'LOGIN'])('send.host %j: the field and the host roles', (host) => {
    expect(issuesOf(scenario([{ at: 'send', host }]))).toEqual({
      issues: [{ path: 'mistakes[0].host', message: HOSTS(host) }],
      message: `x.json is not a valid scenario:\n  mistakes[0].host: ${HOSTS(host)}`,
    });
  });

  it.each([
    [{ $: 'url', host: 'constructor' }, 'mistakes[0].set.aud.host', HOSTS('constructor')],
    [{ $: 'realUrl', host: 'valueOf' }, 'mistakes[0].set.aud.host', HOSTS('valueOf')],
    [{ $: 'username', role: 'constructor' }, 'mistakes[0].set.aud.role', USERS('constructor')],
    // An object with a "$" key is a symbol or an error, never a plain object the client would resolve anyway.
    [{ $: 'constructor' }, 'mistakes[0].set.aud.$', 'expected one of "now", "nowMs", "consumerSecret", "appName", "userEmail", "userId", "username", "url", "realUrl", "string", got "constructor"'],
  ])('a claim set to %j: the field and the roles', (value, path, message) => {
    expect((issuesOf(scenario([{ at: 'claims', set: { aud: value } }])) as { issues: unknown }).issues).toEqual([{ path, message }]);
  });

  it.each([[{ at: 'send', host: 'my-domain' }], [{ at: 'claims', set: { aud: { $: 'realUrl', host: 'site', suffix: '/' } } }], [{ at: 'claims', set: { sub: { $: 'username', role: 'frozen' } } }]])(
    'a role of lib/roles.ts is accepted: %j',
    (mistake) => {
      expect(issuesOf(scenario([mistake]))).toBe('accepted');
    },
  );
});
