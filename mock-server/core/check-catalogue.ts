/**
 * The ordered list of what the token endpoint checks: one source of truth for "what Salesforce
 * checks", read by the mock, the doctor, `explain` and the reports. The real order is only partly
 * known (grant_type before the assertion, iss before the signature, aud before approval); the rest
 * is the mock's documented choice.
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

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id) || id === 'forced';
}
