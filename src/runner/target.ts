/**
 * A target is where scenarios are sent: the in-process mock (msw), the mock over HTTPS on loopback
 * (in this process, or elsewhere such as in a container), or a real org. It turns a scenario's
 * roles (user, app, host, audience) into a request context, prepares its state, for the mock tells
 * which check decided an answer, and names the secrets it knows so no result ever holds them.
 */

import type { Trace } from '../../mock-server/core/trace.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import type { BuiltRequest, RequestContext } from '../client/build-request.ts';
import type { FetchLike } from '../client/https-fetch.ts';
import type { TokenAnswer } from '../client/send.ts';
import type { KnownSecret } from './redact-secrets.ts';

export type TargetKind = 'mock-msw' | 'mock-https' | 'real';

export interface Target {
  name: string;
  kind: TargetKind;
  fetch: FetchLike;
  /** The request context for a scenario's roles, or why the target cannot run it. */
  context(scenario: Scenario): RequestContext | { skip: string };
  /** Puts the target in the state the scenario needs; returns a reason to skip, if any. */
  prepare(scenario: Scenario): Promise<string | undefined>;
  /**
   * Once the request is built, whether it may be sent (a real org's budget, scheme and failed-login
   * cap); a reason to skip if not. It gets the request as it will be sent, so what it judges is
   * what would leave the machine, whatever the scenario said.
   */
  admit?(scenario: Scenario, request: BuiltRequest): Promise<string | undefined>;
  /** After an answer: what the mock's trace says (mock targets only; a mock elsewhere is asked, hence the promise). */
  trace(answer: TokenAnswer): Trace | undefined | Promise<Trace | undefined>;
  /**
   * The secrets this target knows, which the runner removes from every result: each consumer secret
   * of a mock's world, the consumer secret and key passphrase of a real org's config.
   */
  knownSecrets(): readonly KnownSecret[];
  /** Called after each answer (real targets count failures and apply their delay). */
  after?(scenario: Scenario, answer: TokenAnswer, request: BuiltRequest): Promise<void>;
  close(): Promise<void>;
}
