/**
 * `exec --fault …`: what the mock does to rehearse an integration's error handling. Token-side faults
 * go to the mock's forced queue (mock-server/core/forced.ts), in the order given: `unknown_error`
 * answers a correct request with Salesforce's transient error, `drop` closes the connection without
 * an answer, `delay:MS` answers late. Session faults watch the journal: after N API calls with a live
 * session, `expire-after:N` times every session out and `revoke-after:N` revokes every token (refresh
 * tokens too), so the next call answers INVALID_SESSION_ID and the client must log in again; each
 * happens once. `untrusted-tls` serves a certificate from a CA the command is not given (exec.ts
 * starts the mock with another TLS folder): a client that logs in anyway does not check certificates.
 */
import { UsageError } from '../../lib/errors.ts';
import type { MockOrg } from '../../mock-server/core/mock-org.ts';
import { clearCodes } from '../../mock-server/core/token/codes.ts';
import type { Trace } from '../../mock-server/core/trace.ts';

export type ExecFault =
  | { kind: 'unknown_error' | 'drop'; count: number }
  | { kind: 'delay'; ms: number; count: number }
  | { kind: 'expire-after' | 'revoke-after'; calls: number }
  | { kind: 'untrusted-tls' };

/** The `--fault` values, as the help and the errors list them. */
export const FAULT_FORMS = ['unknown_error[:N]', 'drop[:N]', 'delay:MS[:N]', 'expire-after:N', 'revoke-after:N', 'untrusted-tls'] as const;

const MAX_COUNT = 1_000_000;
const MAX_DELAY_MS = 120_000;

function wrong(spec: string, why: string): UsageError {
  return new UsageError(`--fault ${spec}: ${why}`, { actions: [`A fault is one of: ${FAULT_FORMS.join(', ')}.`, 'For example: --fault unknown_error --fault expire-after:3'] });
}

function whole(spec: string, text: string | undefined, what: string, fallback: number | undefined, min: number, max: number): number {
  if (text === undefined || text === '') {
    if (fallback === undefined) throw wrong(spec, `${what} is missing`);
    return fallback;
  }
  if (!/^\d+$/.test(text)) throw wrong(spec, `${what} must be a whole number, not ${JSON.stringify(text)}`);
  const n = Number(text);
  if (n < min || n > max) throw wrong(spec, `${what} must be from ${min} to ${max}`);
  return n;
}

export function parseFault(spec: string): ExecFault {
  const [name = '', a, b, ...rest] = spec.split(':');
  const tooMany = (allowed: number) => {
    if ([a, b, ...rest].filter((p) => p !== undefined).length > allowed) throw wrong(spec, 'too many parts');
  };
  switch (name) {
    case 'unknown_error':
    case 'drop':
      tooMany(1);
      return { kind: name, count: whole(spec, a, 'the count', 1, 1, MAX_COUNT) };
    case 'delay':
      tooMany(2);
      return { kind: 'delay', ms: whole(spec, a, 'the delay in milliseconds', undefined, 0, MAX_DELAY_MS), count: whole(spec, b, 'the count', 1, 1, MAX_COUNT) };
    case 'expire-after':
    case 'revoke-after':
      tooMany(1);
      return { kind: name, calls: whole(spec, a, 'the number of API calls', undefined, 1, MAX_COUNT) };
    case 'untrusted-tls':
      tooMany(0);
      return { kind: 'untrusted-tls' };
    default:
      throw wrong(spec, 'no such fault');
  }
}

/** How a fault reads in the reports. */
export function describeFault(f: ExecFault): string {
  switch (f.kind) {
    case 'unknown_error':
      return `the next ${f.count === 1 ? 'token request answers' : `${f.count} token requests answer`} unknown_error`;
    case 'drop':
      return `the next ${f.count === 1 ? 'token request is' : `${f.count} token requests are`} dropped unanswered`;
    case 'delay':
      return `the next ${f.count === 1 ? 'token request is' : `${f.count} token requests are`} answered after ${f.ms} ms`;
    case 'expire-after':
      return `every session expires after ${f.calls} API call${f.calls === 1 ? '' : 's'}`;
    case 'revoke-after':
      return `every token is revoked after ${f.calls} API call${f.calls === 1 ? '' : 's'}`;
    case 'untrusted-tls':
      return 'the mock serves a certificate from a CA the command is not given';
  }
}

/** An API call made with a live session: what the session faults count. */
export function isApiCall(t: Pick<Trace, 'kind' | 'checks'>): boolean {
  return (t.kind === 'rest' || t.kind === 'identity') && t.checks.some((c) => c.check === 'session' && c.verdict === 'pass');
}

/** Arms the faults on the org; answers the function that disarms them. */
export function armFaults(org: MockOrg, faults: readonly ExecFault[]): () => void {
  for (const f of faults) {
    if (f.kind === 'unknown_error' || f.kind === 'drop') org.forced.push({ outcome: f.kind, count: f.count, delayMs: 0 });
    if (f.kind === 'delay') org.forced.push({ outcome: 'delay', count: f.count, delayMs: f.ms });
  }
  const sessionFaults = faults.filter((f): f is Extract<ExecFault, { calls: number }> => f.kind === 'expire-after' || f.kind === 'revoke-after');
  if (sessionFaults.length === 0) return () => {};
  let calls = 0;
  const done = new Set<ExecFault>();
  return org.journal.onAdd((trace) => {
    if (!isApiCall(trace)) return;
    calls += 1;
    for (const f of sessionFaults) {
      if (done.has(f) || calls < f.calls) continue;
      done.add(f);
      if (f.kind === 'expire-after') org.sessions.expireAll(org.now());
      else {
        org.sessions.clear();
        clearCodes(org);
      }
    }
  });
}
