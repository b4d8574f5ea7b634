/**
 * Whether a secret someone gave (a password, a client secret, a PKCE verifier's hash) is the one
 * expected, compared in constant time: both are hashed first, so neither their lengths nor where
 * they first differ shows in the time taken.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
