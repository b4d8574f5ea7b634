/**
 * Why the mock answered as it did. A trace holds every check's verdict with what was expected, what
 * arrived and the fix, and names the check that decided (`decidedBy`). Traces never hold secrets:
 * the assertion's signature, access tokens and request bodies are redacted before they are stored,
 * and the journal passes each trace through the world's redactor (no app's consumer secret) and the
 * size limits of trace-limits.ts as it stores it.
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
  /** `other`: a request that named no URL, answered before any endpoint (see MockOrg.unaddressed). */
  kind: 'token' | 'identity' | 'rest' | 'admin' | 'other';
  request: {
    method: string;
    host: string;
    path: string;
    clientIp: string;
    contentType: string | null;
    /** The decoded assertion with its signature redacted; never the raw assertion. */
    assertion?: { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string };
    /** Set only when the form held more parameters than the maxFormParameters knob: how many were read, and that the rest were ignored. */
    formLimit?: { read: number; note: string };
  };
  response: { status: number; error?: string; errorDescription?: string; accessToken?: string };
  /** The check whose failure chose the response; null when every check passed. */
  decidedBy: CheckId | null;
  /** `success`, or the outcome that was answered. */
  outcome: OutcomeName | 'success' | 'dropped' | 'other';
  username?: string;
  app?: string;
  checks: TraceStep[];
  /** Set only when the journal shortened the trace to its size limits: how many values were cut or dropped (each marked `[truncated: …]`). */
  truncated?: number;
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

// One redactor for the mock's traces and the CLI's `token` (lib/redact-token.ts).
export { redactToken } from '../../lib/redact-token.ts';

export function redactSignature(signature: Buffer): string {
  return `[redacted ${signature.length} bytes]`;
}
