/**
 * Why the mock answered as it did. A trace holds every check's verdict with what was expected, what
 * arrived and the fix, and names the check that decided (`decidedBy`). Traces never hold secrets:
 * the assertion's signature, access tokens and request bodies are redacted before they are stored.
 */
import type { CheckId, CheckResult } from './check.ts';
import type { OutcomeName } from './outcomes.ts';

export interface TraceStep {
  check: CheckId;
  title: string;
  verdict: CheckResult['verdict'];
  expected?: string;
  actual?: string;
  fix?: string;
  note?: string;
  reason?: string;
  outcome?: OutcomeName;
}

export interface Trace {
  id: string;
  /** ISO time on the mock's clock. */
  time: string;
  kind: 'token' | 'identity' | 'rest' | 'admin';
  request: {
    method: string;
    host: string;
    path: string;
    clientIp: string;
    contentType: string | null;
    /** The decoded assertion with its signature redacted; never the raw assertion. */
    assertion?: { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string };
  };
  response: { status: number; error?: string; errorDescription?: string; accessToken?: string };
  /** The check whose failure chose the response; null when every check passed. */
  decidedBy: CheckId | null;
  /** `success`, or the outcome that was answered. */
  outcome: OutcomeName | 'success' | 'dropped' | 'other';
  username?: string;
  app?: string;
  checks: TraceStep[];
}

export function traceStep(check: { id: CheckId; title: string }, result: CheckResult): TraceStep {
  switch (result.verdict) {
    case 'pass': {
      const step: TraceStep = { check: check.id, title: check.title, verdict: 'pass', expected: result.expected, actual: result.actual };
      if (result.note !== undefined) step.note = result.note;
      return step;
    }
    case 'fail':
      return { check: check.id, title: check.title, verdict: 'fail', outcome: result.outcome, expected: result.expected, actual: result.actual, fix: result.fix };
    case 'skip':
      return { check: check.id, title: check.title, verdict: 'skip', reason: result.reason };
  }
}

/** `00D5g0000000001!AQ…` keeps the org Id, which is not secret, and drops the rest. */
export function redactToken(token: string): string {
  const bang = token.indexOf('!');
  return bang > 0 ? `${token.slice(0, bang + 1)}[redacted]` : '[redacted]';
}

export function redactSignature(signature: Buffer): string {
  return `[redacted ${signature.length} bytes]`;
}
