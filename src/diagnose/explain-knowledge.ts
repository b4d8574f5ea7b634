/**
 * What `explain` knows about a cause, derived rather than kept here: a token-endpoint check speaks
 * for itself (title, description, grades, how to confirm it and, read by explain-answers.ts, the
 * knobs that change it: see mock-server/core/checks/), the forced cause is described with the forced outcomes, an answer's
 * meaning lives with its outcome, and the outcomes decided outside the checks with the catalogue.
 * Only explain's own words stay in this file: what the confidence grades mean.
 */

import type { CHECK_IDS, Level } from '../../mock-server/core/check.ts';
import { checkById, DECIDED_OUTSIDE_CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { FORCED_CAUSE } from '../../mock-server/core/forced.ts';
import type { Confidence } from '../../mock-server/core/knobs.ts';
import type { OutcomeName } from '../../mock-server/core/outcomes.ts';

/** A cause of an answer: a token-endpoint check, or `forced` (a failure on Salesforce's side). */
export type CauseId = (typeof CHECK_IDS)[number] | 'forced';

export interface CauseInfo {
  title: string;
  description: string;
  /** The check's level and confidence; null for a failure on Salesforce's side. */
  level: Level | null;
  confidence: Confidence | null;
  /** How to confirm (or rule out) this cause with what a client can see. */
  confirm: string;
}

const FORCED_INFO: CauseInfo = { title: FORCED_CAUSE.title, description: FORCED_CAUSE.description, level: null, confidence: null, confirm: FORCED_CAUSE.confirm };

export function causeInfo(id: CauseId): CauseInfo {
  if (id === 'forced') return FORCED_INFO;
  const check = checkById(id);
  // A bug guard: CHECK_IDS and the catalogue are tested to hold the same ids.
  if (check === undefined) throw new Error(`the check ${id} is not in the catalogue`);
  return { title: check.title, description: check.description, level: check.level, confidence: check.confidence, confirm: check.confirm };
}

/** The step that gives an outcome no check lists (a body over the limit, a forced failure). */
export function decidedOutsideChecks(outcome: OutcomeName): CauseId | undefined {
  return (DECIDED_OUTSIDE_CHECKS as Partial<Record<OutcomeName, CauseId>>)[outcome];
}

export const CONFIDENCE_WORDS: Record<Confidence, string> = {
  DOC: 'documented by Salesforce',
  'OBS+': 'seen in several real responses',
  OBS1: 'seen in one real response',
  INF: 'inferred',
  conflicting: 'reports conflict',
};
