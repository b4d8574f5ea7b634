/**
 * What a forced outcome does to a token request, read in this one place: `drop` ends it unanswered
 * before the body is looked at, `delay` answers normally after a wait on the org's clock, and an
 * error (`unknown_error` or any Salesforce error) replaces the answer after the checks ran, so the
 * trace still shows what they found.
 */
import { FORCED_CAUSE, type Forced } from '../forced.ts';
import { OUTCOMES } from '../outcomes.ts';
import type { TraceStep } from '../trace.ts';
import type { TokenAnswer } from './decision.ts';

export type ForcedPlan =
  | { readonly kind: 'drop'; readonly step: TraceStep }
  | { readonly kind: 'delay'; readonly delayMs: number }
  | { readonly kind: 'answer'; readonly step: TraceStep; readonly answer: Extract<TokenAnswer, { kind: 'error' }>; readonly outcome: 'unknownError' | 'other' };

const step = (actual: string): TraceStep => ({ check: 'forced', title: FORCED_CAUSE.traceTitle, verdict: 'fail', actual });

export function planForced(forced: Forced | undefined): ForcedPlan | undefined {
  if (forced === undefined) return undefined;
  const o = forced.outcome;
  if (o === 'drop') return { kind: 'drop', step: step('connection dropped') };
  if (o === 'delay') return { kind: 'delay', delayMs: forced.delayMs };
  const answer =
    o === 'unknown_error'
      ? ({ kind: 'error', status: 400, error: OUTCOMES.unknownError.error, description: OUTCOMES.unknownError.description } as const)
      : ({ kind: 'error', status: o.status, error: o.error, description: o.error_description } as const);
  return { kind: 'answer', step: step(`${answer.error}: ${answer.description}`), answer, outcome: o === 'unknown_error' ? 'unknownError' : 'other' };
}
