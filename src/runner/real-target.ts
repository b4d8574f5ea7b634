/**
 * A real org as a target, protected: a request budget per run, a pause between requests, negative
 * scenarios only when the target opts in, at most a few failed logins per user, and nothing that
 * needs the mock's state. These rules live here, in the target: no scenario file can change them.
 * Tokens and keys never leave this module (results hold only status and error fields).
 */
import { readFileSync } from 'node:fs';
import { sleep } from '../../mock-server/core/clock.ts';
import { isNegative, type Scenario } from '../../scenarios/schema.ts';
import type { RequestContext } from '../client/build-request.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { ResourceError } from '../../lib/errors.ts';
import { loadPrivateKey } from '../../lib/pki/load.ts';
import { LOGIN_URL, TEST_URL, isSandboxHost, loginUrlOf } from '../../lib/salesforce-hosts.ts';
import type { ResolvedTargetConfig } from './config.ts';
import type { Target } from './target.ts';

export interface RealTargetOptions {
  /** Milliseconds since the epoch (tests freeze it). */
  now?: () => number;
  /** How to wait between requests (tests pass a no-op that records the delays). */
  wait?: (ms: number) => Promise<void>;
}

export function realTarget(config: ResolvedTargetConfig, options: RealTargetOptions = {}): Target {
  let keyData: Buffer;
  try {
    keyData = readFileSync(config.keyFile);
  } catch (cause) {
    throw new ResourceError(`target "${config.name}": cannot read the key file ${config.keyFile}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Check keyFile in the config (relative to the config file).'], cause });
  }
  const key = loadPrivateKey(keyData, { passphrase: config.passphrase, source: config.keyFile }).key;
  let ca: string | null = null;
  if (config.caFile !== undefined) {
    try {
      ca = readFileSync(config.caFile, 'utf8');
    } catch (cause) {
      throw new ResourceError(`target "${config.name}": cannot read the CA file ${config.caFile}`, { cause });
    }
  }
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  const sandbox = config.sandbox ?? isSandboxHost(config.loginUrl);
  let sent = 0;
  const failures = new Map<string, number>();
  const base = (role: string, sandboxUser = false): string | undefined => {
    const key = role === 'my-domain' && sandboxUser ? 'sandbox-my-domain' : role;
    return (role === 'login' ? config.loginUrl : config.hosts[key as keyof typeof config.hosts])?.replace(/\/+$/, '');
  };
  const real = (role: string): string | undefined => {
    if (role === 'login') return LOGIN_URL;
    if (role === 'test') return TEST_URL;
    return base(role);
  };
  const username = (role: string) => (role === 'default' ? config.username : config.users[role as keyof typeof config.users]);

  return {
    name: config.name,
    kind: 'real',
    fetch: fetchTrusting(ca),
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
      if (s.mock !== undefined) return 'needs the mock\'s state (knobs, forced outcomes or Setup changes)';
      if (!s.realOrg.safe) return 'not safe to send to a real org';
      if (isNegative(s) && !config.allowNegative) return 'a negative scenario (an expected failure): the target has not opted in with allowNegative';
      return undefined;
    },
    async admit(s, user) {
      if (sent >= config.budget) return `the request budget of ${config.budget} for this run is used up`;
      if (isNegative(s) && (failures.get(user) ?? 0) >= config.maxFailuresPerUser) return `${config.maxFailuresPerUser} failed logins for ${user} in this run already`;
      sent += 1;
      if (sent > 1 && config.delayMs > 0) await wait(config.delayMs);
      return undefined;
    },
    async after(_s, answer, user) {
      if (answer.status !== 200) failures.set(user, (failures.get(user) ?? 0) + 1);
    },
    trace: () => undefined,
    close: async () => undefined,
  };
}
