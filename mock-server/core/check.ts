/**
 * What a check is. The token endpoint is an ordered list of small named checks; each reads the
 * request as it was read (never changed by a check) and the facts earlier checks found, and passes
 * (with the facts it found, such as the decoded assertion or the app), fails with a Salesforce
 * outcome plus an explanation (expected, actual, fix), or is skipped because what it needs is
 * missing. A check also carries what the doctor and `explain` say about it: its root cause, how to
 * confirm it and the knobs that change it, so those tables are derived and never kept twice. Check
 * ids are stable: traces, reports, the doctor and the scenario catalogue all name checks by them.
 */

import type { HostUrls, LogicalHost } from '../world/hosts.ts';
import type { App, Org, User } from '../world/schema.ts';
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

/** A decoded assertion (header and payload as JSON objects). */
export interface DecodedAssertion {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** What checks found for later ones: each is set by the check that passed on finding it. */
export interface TokenFacts {
  /** assertion: the decoded JWT. */
  readonly assertion?: DecodedAssertion;
  /** issuer: the app iss named. */
  readonly app?: App;
  /** audience: whether `aud` named login/test (true) or a My Domain / site (false). */
  readonly audienceIsLoginHost?: boolean;
  /** audience: the Experience Cloud site `aud` named, for sfdc_community_url / sfdc_community_id. */
  readonly community?: { readonly url: string; readonly id: string };
  /** user: the user sub (or prn) named, and the user's org. */
  readonly user?: User;
  readonly org?: Org;
}

export type CheckResult =
  | { verdict: 'pass'; expected: string; actual: string; note?: string; found?: TokenFacts }
  | { verdict: 'fail'; outcome: OutcomeName; expected: string; actual: string; fix: string }
  | { verdict: 'skip'; reason: string };

/** Everything checks read; read-only: what a check learns goes into the facts it returns. */
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
  /** The body, decoded as UTF-8 ('' when it was not read). */
  readonly body: string;
  /** Form parameters: the query string overlaid by a form body. */
  readonly params: URLSearchParams;
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
  /** Knobs that change what this check answers. */
  knobs: readonly (keyof Knobs)[];
  /** The doctor's verdict when this check explains a failed request: the root cause and its fix. */
  rootCause: { title: string; fix: string };
  /** How to confirm or rule out this check as the cause, with what a client can see (`explain`). */
  confirm: string;
  run(ctx: TokenContext, facts: TokenFacts): CheckResult;
}

export function pass(expected: string, actual: string, note?: string): CheckResult {
  return note === undefined ? { verdict: 'pass', expected, actual } : { verdict: 'pass', expected, actual, note };
}

/** A pass that hands on what the check found. */
export function found(facts: TokenFacts, expected: string, actual: string, note?: string): CheckResult {
  return note === undefined ? { verdict: 'pass', expected, actual, found: facts } : { verdict: 'pass', expected, actual, note, found: facts };
}

export function fail(outcome: OutcomeName, expected: string, actual: string, fix: string): CheckResult {
  return { verdict: 'fail', outcome, expected, actual, fix };
}

export function skip(reason: string): CheckResult {
  return { verdict: 'skip', reason };
}

/**
 * Shortens untrusted values for traces; never more than `max` characters. A long string is cut
 * before it is printed (the first `max` characters print the same), so showing a megabyte claim costs
 * what showing its head does; and what is kept is a copy, since V8 keeps a slice as a view of the
 * whole string it was cut from, and a trace that keeps 80 characters must not keep the megabyte.
 */
export function show(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(typeof value === 'string' && value.length > max ? value.slice(0, max) : value) ?? String(value);
  } catch {
    // A value JSON cannot print (too deep, a cycle): name its type instead.
    text = `(a ${typeof value})`;
  }
  return text.length > max ? `${JSON.parse(JSON.stringify(text.slice(0, max - 1))) as string}…` : text;
}

export type { OAuthErrorOutcome };
