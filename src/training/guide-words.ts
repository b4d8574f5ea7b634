/**
 * The field guide's wording shared by its Markdown and HTML renderers: the parts of the guide and
 * their anchors, an answer in one line, a scenario's expected answer, how sure we are in words. Plain
 * text only: each renderer escapes it for its own format.
 */
import type { Confidence } from '../../mock-server/core/knobs.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { CONFIDENCE_WORDS } from '../diagnose/explain-knowledge.ts';

/** The guide's parts: anchor and heading, in order. */
export const CONTENTS = [
  ['flow', 'The flow, step by step'],
  ['sequence', 'The flow as a sequence'],
  ['checks', 'What Salesforce checks, in order'],
  ['errors', 'Every error Salesforce returns'],
  ['after-the-token', 'After the token: the API'],
  ['scenarios', 'Reproductions: every scenario'],
  ['confidence', 'How sure we are'],
] as const;

/** `400 invalid_grant: audience is invalid`, or `404 (an HTML page)` for an answer with no OAuth error. */
export function answerLine(a: { status: number; error: string | null; description: string | null }): string {
  if (a.error === null) return `${a.status} ${a.status === 302 ? '(a redirect)' : '(an HTML page)'}`;
  return `${a.status} ${a.error}${a.description === null ? '' : `: ${a.description}`}`;
}

/** What an outcome answers, in one line, with the Login History status it records. */
export function checkAnswer(name: OutcomeName): string {
  const o: { status: number; error?: string; description?: string; loginHistory?: string } = OUTCOMES[name];
  const line = answerLine({ status: o.status, error: o.error ?? null, description: o.description ?? null });
  return o.loginHistory === undefined ? line : `${line} (Login History "${o.loginHistory}")`;
}

/** The answer a scenario expects: `200 with a token`, `400 invalid_grant: audience is invalid`. */
export function expectLine(s: Scenario): string {
  if (s.expect.status === 200) return '200 with a token';
  return answerLine({ status: s.expect.status, error: s.expect.error ?? null, description: s.expect.error_description ?? null });
}

export function sureness(c: Confidence): string {
  return `${c} (${CONFIDENCE_WORDS[c]})`;
}

/** A reference that is a web address (shown as a link), not a citation in words. */
export function isLink(reference: string): boolean {
  return /^https:\/\/[^\s"<>]+$/.test(reference);
}

/** Said of an answer no scenario of the catalogue gives: its causes are known, its reproduction is not written yet. */
export const NOT_REPRODUCED = 'No scenario of the catalogue gives this answer yet, so there is no reproduction of it: the mock gives it as described, and the causes above come from the checks.';

export function reproduced(a: { causes: readonly { scenarios: readonly unknown[] }[] }): boolean {
  return a.causes.some((c) => c.scenarios.length > 0);
}
