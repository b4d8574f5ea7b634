/**
 * What a check is. The token endpoint is an ordered list of small named checks; each looks at the
 * request (and at what earlier checks found) and passes, fails with a Salesforce outcome plus an
 * explanation (expected, actual, fix), or is skipped because what it needs is missing. Check ids are
 * stable: traces, reports, the doctor and the scenario catalogue all name checks by them.
 */
import type { App, Org, User } from '../world/schema.ts';
import type { HostUrls, LogicalHost } from '../world/hosts.ts';
import type { WorldIndex } from '../world/world-index.ts';
import type { Confidence, Knobs } from './knobs.ts';
import type { OAuthErrorOutcome, OutcomeName } from './outcomes.ts';

export const CHECK_IDS = [
  'host',
  'path',
  'method',
  'tls',
  'grant-type',
  'assertion',
  'alg',
  'issuer',
  'signature',
  'audience',
  'expiry',
  'user',
  'user-state',
  'ip-restriction',
  'rate-limit',
  'app-access',
] as const;

/** Ids of the token endpoint's checks, plus `forced` (an outcome the admin API forced) and `session` (access-token checks of the identity and REST endpoints). */
export type CheckId = (typeof CHECK_IDS)[number] | 'forced' | 'session';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

export type CheckResult =
  | { verdict: 'pass'; expected: string; actual: string; note?: string }
  | { verdict: 'fail'; outcome: OutcomeName; expected: string; actual: string; fix: string }
  | { verdict: 'skip'; reason: string };

/** A decoded assertion (header and payload as JSON objects). */
export interface DecodedAssertion {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** Everything checks read, and what earlier checks found for later ones. */
export interface TokenContext {
  readonly method: string;
  readonly url: URL;
  /** Header look-up by name, case-insensitive; null when absent. */
  readonly header: (name: string) => string | null;
  readonly host: LogicalHost;
  /** The path under a site's prefix (`/customers`), or the whole path. */
  readonly path: string;
  readonly sitePrefix: string | undefined;
  readonly secure: boolean;
  readonly clientIp: string;
  readonly urls: HostUrls;
  readonly world: WorldIndex;
  readonly knobs: Knobs;
  /** Milliseconds since the epoch, from the mock's clock. */
  readonly now: number;
  /** Successful logins of a user (by Id) within the last hour. */
  readonly recentLogins: (userId: string) => number;
  /** The body, decoded as UTF-8, if it was read. */
  body: string | undefined;
  /** Form parameters: the query string overlaid by a form body. */
  params: URLSearchParams | undefined;
  assertion: DecodedAssertion | undefined;
  app: App | undefined;
  /** Whether `aud` named login/test (true) or a My Domain / site (false), once audience passed. */
  audienceIsLoginHost: boolean | undefined;
  user: User | undefined;
  org: Org | undefined;
  /** The Experience Cloud site `aud` named, for sfdc_community_url / sfdc_community_id. */
  community: { url: string; id: string } | undefined;
}

export interface Check {
  id: CheckId;
  title: string;
  level: Level;
  /** How sure we are that Salesforce checks this, this way. */
  confidence: Confidence;
  /** What Salesforce checks, in plain words. */
  description: string;
  /** Outcomes this check can decide. */
  outcomes: readonly OutcomeName[];
  run(ctx: TokenContext): CheckResult;
}

export function pass(expected: string, actual: string, note?: string): CheckResult {
  return note === undefined ? { verdict: 'pass', expected, actual } : { verdict: 'pass', expected, actual, note };
}

export function fail(outcome: OutcomeName, expected: string, actual: string, fix: string): CheckResult {
  return { verdict: 'fail', outcome, expected, actual, fix };
}

export function skip(reason: string): CheckResult {
  return { verdict: 'skip', reason };
}

/** Shortens untrusted values for traces; never more than `max` characters. */
export function show(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A value JSON cannot print (too deep, a cycle): name its type instead.
    text = `(a ${typeof value})`;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export type { OAuthErrorOutcome };
