/**
 * The ordered list of what the token endpoint checks: one source of truth for "what Salesforce
 * checks", read by the mock, the doctor, `explain` and the reports. The real order is only partly
 * known (grant_type before the assertion, iss before the signature, aud before approval); the rest
 * is the mock's documented choice. A new check is its own file plus one line here.
 */
import { CHECK_IDS, type Check, type CheckId } from './check.ts';
import {
  algCheck,
  appAccessCheck,
  assertionCheck,
  audienceCheck,
  expiryCheck,
  grantTypeCheck,
  hostCheck,
  ipRestrictionCheck,
  issuerCheck,
  methodCheck,
  pathCheck,
  rateLimitCheck,
  signatureCheck,
  tlsCheck,
  userCheck,
  userStateCheck,
} from './checks/index.ts';
import type { OutcomeName } from './outcomes.ts';

/** Checks that decide before the body is read. */
export const TRANSPORT_CHECKS: readonly Check[] = [hostCheck, pathCheck, methodCheck, tlsCheck];

/** Checks on the form and the assertion, in the order they decide. */
export const REQUEST_CHECKS: readonly Check[] = [
  grantTypeCheck,
  assertionCheck,
  algCheck,
  issuerCheck,
  signatureCheck,
  audienceCheck,
  expiryCheck,
  userCheck,
  userStateCheck,
  ipRestrictionCheck,
  rateLimitCheck,
  appAccessCheck,
];

export const CHECKS: readonly Check[] = [...TRANSPORT_CHECKS, ...REQUEST_CHECKS];

/**
 * Outcomes the token endpoint decides outside the checks' own lists, and the step named as deciding
 * them: a body over the size limit fails the form (grant-type) before it is parsed; `unknown_error`
 * comes only forced.
 */
export const DECIDED_OUTSIDE_CHECKS = {
  payloadTooLarge: 'grant-type',
  unknownError: 'forced',
} as const satisfies Partial<Record<OutcomeName, CheckId>>;

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id) || id === 'forced';
}
