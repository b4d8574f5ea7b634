/**
 * A real org as a target, protected: a request budget per run, a pause between requests, negative
 * scenarios only when the target opts in, HTTPS only, at most a few failed logins per user, and
 * nothing that needs the mock's state. These rules live here, in the target, and judge the request
 * as it will be sent (its URL, the usernames its assertion names), not what a scenario file says it
 * is: no scenario file can change them. Tokens and keys never leave this module (results hold only
 * status and error fields).
 */

import { loadPrivateKey } from '../../lib/pki/load.ts';
import { INPUT_LIMITS, readInputFile, readInputText } from '../../lib/read-input-file.ts';
import { isSandboxHost, LOGIN_URL, loginUrlOf, TEST_URL } from '../../lib/salesforce-hosts.ts';
import { sleep } from '../../mock-server/core/clock.ts';
import { isNegative, type Scenario } from '../../scenarios/schema.ts';
import type { BuiltRequest, RequestContext } from '../client/build-request.ts';
import { type FetchLike, fetchTrusting } from '../client/https-fetch.ts';
import type { ResolvedTargetConfig } from './config.ts';
import { sentUsernames } from './sent-usernames.ts';
import type { Target } from './target.ts';

export interface RealTargetOptions {
  /** Milliseconds since the epoch (tests freeze it). */
  now?: () => number;
  /** How to wait between requests (tests pass a no-op that records the delays). */
  wait?: (ms: number) => Promise<void>;
  /** How requests are sent (tests record them); by default a fetch that trusts the config's caFile. */
  fetch?: FetchLike;
}

/** Why a request may not go to a real org over its URL, if it may not: only HTTPS leaves the machine. */
function transportRefusal(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not sent: the request URL is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  // The origin only: with a query-string mistake the rest of the URL holds the assertion.
  const shown = parsed.protocol === 'http:' ? `${parsed.origin} is plain http` : `the scheme ${parsed.protocol} is not https`;
  return `not sent: ${shown}, and a real org is sent requests over HTTPS only (the signed assertion would cross the network in clear text)`;
}

export function realTarget(config: ResolvedTargetConfig, options: RealTargetOptions = {}): Target {
  const context = `target "${config.name}"`;
  const keyData = readInputFile(config.keyFile, { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial, context, actions: ['Check keyFile in the config (relative to the config file).'] });
  const key = loadPrivateKey(keyData, { passphrase: config.passphrase, source: config.keyFile }).key;
  const ca =
    config.caFile === undefined
      ? null
      : readInputText(config.caFile, { what: 'CA file', maxBytes: INPUT_LIMITS.keyMaterial, context, actions: ['Check caFile in the config (relative to the config file).'] });
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  const sandbox = config.sandbox ?? isSandboxHost(config.loginUrl);
  let sent = 0;
  /** Failed logins by username, lower-cased: Salesforce usernames are case-insensitive. */
  const failures = new Map<string, number>();
  const send = options.fetch ?? fetchTrusting(ca);
  const base = (role: string, sandboxUser = false): string | undefined => {
    const key = role === 'my-domain' && sandboxUser ? 'sandbox-my-domain' : role;
    // Own keys only: a role such as "constructor" is no host of the config, not a property of its prototype.
    return (role === 'login' ? config.loginUrl : Object.hasOwn(config.hosts, key) ? config.hosts[key as keyof typeof config.hosts] : undefined)?.replace(/\/+$/, '');
  };
  const real = (role: string): string | undefined => {
    if (role === 'login') return LOGIN_URL;
    if (role === 'test') return TEST_URL;
    return base(role);
  };
  const username = (role: string) => (role === 'default' ? config.username : Object.hasOwn(config.users, role) ? config.users[role as keyof typeof config.users] : undefined);

  return {
    name: config.name,
    kind: 'real',
    // Belt and braces: even a caller that skips admit() cannot send a real org plain http.
    fetch: async (input, init) => {
      const refused = transportRefusal(String(input));
      if (refused !== undefined) throw new TypeError(refused);
      return send(input, init);
    },
    context(s: Scenario): RequestContext | { skip: string } {
      const user = username(s.as.user);
      if (user === undefined) return { skip: `needs a user for the role "${s.as.user}" (users.${s.as.user} in the config)` };
      if (s.as.app !== 'default') return { skip: `needs the ${s.as.app} app, which the config does not describe` };
      // The sandbox user role lives in a sandbox even when the target's login URL is production.
      const userSandbox = sandbox || s.as.user === 'sandbox';
      const hostUrl = (role: string) => base(role, userSandbox);
      const realUrl = (role: string) => (role === 'my-domain' ? hostUrl(role) : real(role));
      if (hostUrl(s.as.host) === undefined) return { skip: `needs the host "${s.as.host}" (hosts.${s.as.host === 'my-domain' && userSandbox ? 'sandbox-my-domain' : s.as.host} in the config)` };
      const natural = s.as.host === 'login' ? (config.audience ?? loginUrlOf(sandbox)) : real(s.as.host === 'my-domain' || s.as.host === 'lightning' ? (userSandbox ? 'test' : 'login') : s.as.host);
      const audience = s.as.audience === undefined ? natural : realUrl(s.as.audience);
      if (audience === undefined) return { skip: `needs the host "${s.as.audience ?? ''}" for aud` };
      return {
        consumerKey: config.consumerKey,
        consumerSecret: config.consumerSecret,
        appName: config.appName,
        username: user,
        privateKey: key,
        hostUrl,
        realUrl,
        usernameOf: username,
        host: s.as.host,
        audience,
        now: now(),
      };
    },
    async prepare(s) {
      if (s.mock !== undefined) return "needs the mock's state (knobs, forced outcomes or Setup changes)";
      if (!s.realOrg.safe) return 'not safe to send to a real org';
      if (isNegative(s) && !config.allowNegative) return 'a negative scenario (an expected failure): the target has not opted in with allowNegative';
      return undefined;
    },
    async admit(_s, request: BuiltRequest) {
      const refused = transportRefusal(request.url);
      if (refused !== undefined) return refused;
      if (sent >= config.budget) return `the request budget of ${config.budget} for this run is used up`;
      // Whatever the scenario expects: a request meant to succeed fails as easily, and counts the same.
      for (const user of sentUsernames(request)) {
        if ((failures.get(user.toLowerCase()) ?? 0) >= config.maxFailuresPerUser) return `${config.maxFailuresPerUser} failed logins for ${user} in this run already`;
      }
      sent += 1;
      if (sent > 1 && config.delayMs > 0) await wait(config.delayMs);
      return undefined;
    },
    async after(_s, answer, request: BuiltRequest) {
      if (answer.status === 200) return;
      for (const user of sentUsernames(request)) failures.set(user.toLowerCase(), (failures.get(user.toLowerCase()) ?? 0) + 1);
    },
    trace: () => undefined,
    // The config's secrets; the consumer key is an identifier that Setup and the mock show openly.
    knownSecrets: () => [
      ...(config.consumerSecret === undefined ? [] : [{ value: config.consumerSecret, kind: `the consumer secret of target ${config.name}` }]),
      ...(config.passphrase === undefined ? [] : [{ value: config.passphrase, kind: `the key passphrase of target ${config.name}` }]),
    ],
    close: async () => undefined,
  };
}
