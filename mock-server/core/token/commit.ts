/**
 * Writes what a decision changes, in one place: one use of a forced outcome, the session a grant
 * opens and the login it counts against the rate limit, the user's Login History, and the trace
 * (never a secret: the signature and the access token are redacted here, the world's consumer
 * secrets and anything past the size limits by the journal as it stores it) into the journal.
 */
import type { Journal } from '../journal.ts';
import type { LoginHistory } from '../login-history.ts';
import type { Sessions } from '../sessions.ts';
import { redactSignature, redactToken, type Trace } from '../trace.ts';
import type { Decision, TokenAnswer } from './decision.ts';

/** The state a decision is committed to (a MockOrg). */
export interface CommitTarget {
  readonly forced: { take(): unknown };
  readonly sessions: Sessions;
  readonly loginHistory: LoginHistory;
  readonly journal: Journal;
}

function responseOf(answer: TokenAnswer): Trace['response'] {
  switch (answer.kind) {
    case 'error':
      return { status: answer.status, error: answer.error, errorDescription: answer.description };
    case 'token':
      return { status: answer.status, accessToken: redactToken(answer.accessToken) };
    default:
      return { status: answer.status };
  }
}

/** The trace of a decision, as the journal and the admin API show it. */
export function traceOf(decision: Decision, id: string, time = new Date(decision.now).toISOString()): Trace {
  const { request, facts } = decision;
  const trace: Trace = {
    id,
    time,
    kind: 'token',
    request: { method: request.method, host: request.host.name, path: request.url.pathname, clientIp: request.clientIp, contentType: request.header('content-type') },
    response: responseOf(decision.answer),
    decidedBy: decision.decidedBy,
    outcome: decision.outcome,
    checks: decision.steps,
  };
  const assertion = facts.assertion;
  if (assertion !== undefined) trace.request.assertion = { header: assertion.header, payload: assertion.payload, signature: redactSignature(assertion.signature) };
  if (facts.user !== undefined) trace.username = facts.user.username;
  if (facts.app !== undefined) trace.app = facts.app.name;
  if (decision.formLimit !== undefined) trace.request.formLimit = decision.formLimit;
  return trace;
}

/** Commits a decision under its trace id; returns the trace as the journal keeps it. */
export function commit(decision: Decision, org: CommitTarget, traceId: string): Trace {
  const { changes, facts, request, now } = decision;
  const time = new Date(now).toISOString();
  if (changes.takeForced) org.forced.take();
  const user = facts.user;
  if (user !== undefined) {
    if (changes.session !== undefined) {
      org.sessions.add(changes.session.token, changes.session.session);
      org.loginHistory.recordSuccess(user.id, now, changes.session.rateLimit);
    }
    if (changes.loginHistory !== undefined) {
      org.loginHistory.record(user.id, {
        loginTime: time,
        username: user.username,
        status: changes.loginHistory,
        application: facts.app?.name ?? 'N/A',
        loginType: 'Remote Access 2.0',
        sourceIp: request.clientIp,
        loginUrl: request.host.name,
        traceId,
      });
    }
  }
  return org.journal.add(traceOf(decision, traceId, time));
}
