/**
 * Runs checks in order over one request, each seeing the facts the checks before it found: the facts
 * object is never changed, a check that finds something gets a new one for the checks after it.
 * Every verdict becomes a trace step; the first failure is kept, and later checks still run so the
 * trace shows everything that is wrong at once.
 */
import type { Check, CheckResult, TokenContext, TokenFacts } from '../check.ts';
import { type TraceStep, traceStep } from '../trace.ts';

export type Failure = { readonly check: Check; readonly result: Extract<CheckResult, { verdict: 'fail' }> };

export const NO_FACTS: TokenFacts = Object.freeze({});

export function runChecks(checks: readonly Check[], ctx: TokenContext, facts: TokenFacts, steps: TraceStep[]): { facts: TokenFacts; failure: Failure | undefined } {
  let known = facts;
  let failure: Failure | undefined;
  for (const check of checks) {
    const result = check.run(ctx, known);
    steps.push(traceStep(check, result));
    if (result.verdict === 'pass') {
      if (result.found !== undefined) known = { ...known, ...result.found };
    } else if (result.verdict === 'fail' && failure === undefined) {
      failure = { check, result };
    }
  }
  return { facts: known, failure };
}

/** Records checks that did not run, with why. */
export function skipAll(checks: readonly Check[], reason: string, steps: TraceStep[]): void {
  for (const check of checks) steps.push({ check: check.id, title: check.title, verdict: 'skip', reason });
}
