/**
 * A decision of the token endpoint, as data: the outcome and the check that chose it, every step
 * with what it expected and saw, the facts the checks found, the answer to put on the wire, and
 * what to commit to the org's state. `decide` makes one without touching any state; `render` turns
 * it into wire bytes and `commit` writes its changes, so each can be tested on its own.
 */
import type { CheckId, TokenFacts } from '../check.ts';
import type { WireOptions } from '../responses.ts';
import type { Session } from '../sessions.ts';
import type { Trace, TraceStep } from '../trace.ts';
import type { TokenRequest } from './request.ts';

/** What goes on the wire. */
export type TokenAnswer =
  | { readonly kind: 'redirect'; readonly status: 302; readonly location: string }
  | { readonly kind: 'not-found'; readonly status: 404 }
  | { readonly kind: 'too-large'; readonly status: 413 }
  /** The connection is dropped unanswered (a forced outcome). */
  | { readonly kind: 'dropped'; readonly status: 0 }
  | { readonly kind: 'error'; readonly status: number; readonly error: string; readonly description: string }
  | { readonly kind: 'token'; readonly status: 200; readonly accessToken: string; readonly fields: [string, string][] };

/** What `commit` writes. */
export interface Changes {
  /** The forced outcome was applied, so one use of it is spent. */
  readonly takeForced: boolean;
  /** The Login History status to record on the user the checks identified, if Salesforce records one. */
  readonly loginHistory: string | undefined;
  /** On success: the session the access token opens, and the login counted against the rate limit. */
  readonly session: { readonly token: string; readonly session: Session; readonly rateLimit: number | null } | undefined;
}

export interface Decision {
  readonly request: TokenRequest;
  /** The clock's reading the request was decided at. */
  readonly now: number;
  readonly outcome: Trace['outcome'];
  /** The check whose failure chose the answer; null when every check passed. */
  readonly decidedBy: CheckId | null;
  /** Every check's verdict, in order, as the trace shows them. */
  readonly steps: TraceStep[];
  readonly facts: TokenFacts;
  readonly answer: TokenAnswer;
  readonly wire: WireOptions;
  /** Milliseconds to wait on the org's clock before answering (a forced delay); 0 for none. */
  readonly delayMs: number;
  readonly changes: Changes;
  /** Set only when the form held more parameters than the maxFormParameters knob: how many were read. */
  readonly formLimit?: { readonly read: number; readonly note: string };
}

export const NO_CHANGES: Changes = { takeForced: false, loginHistory: undefined, session: undefined };
