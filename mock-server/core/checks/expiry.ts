/**
 * `exp`: seconds since the epoch, as a number or a string of digits. Salesforce allows a few minutes
 * of leeway past it and sets no upper bound, so a millisecond `exp` (the sf CLI sends
 * `Date.now()+300`) reads as a date far ahead and passes. Text that is not a number is refused.
 */
import { type Check, fail, pass, show, skip } from '../check.ts';
import { miscasedClaim } from './issuer.ts';

const MILLISECONDS_THRESHOLD = 100_000_000_000; // year 5138 in seconds; 1973 in milliseconds

export const expiryCheck: Check = {
  id: 'expiry',
  title: 'exp is a time in seconds not yet passed',
  level: 'MUST',
  confidence: 'OBS+',
  description: 'exp is the expiry in seconds since 1970-01-01 UTC (a number, or a string of digits), no more than a few minutes in the past; Salesforce recommends now + 3 minutes.',
  outcomes: ['expired', 'invalidAssertion'],
  knobs: ['expLeewaySeconds', 'expMaxFutureSeconds'],
  rootCause: { title: 'The assertion has expired', fix: 'Set exp = now + 3 minutes at signing time, in seconds; check the clock of the signing machine (NTP).' },
  confirm: "npx sfjwt inspect <JWT> shows exp as a date with the seconds left or ago; compare the signing machine's clock with Salesforce's.",
  run(ctx, { assertion }) {
    if (assertion === undefined) return skip('no decodable assertion');
    const nowSeconds = Math.floor(ctx.now / 1000);
    const leeway = ctx.knobs.expLeewaySeconds;
    const expected = `exp >= ${nowSeconds - leeway} (now ${nowSeconds} minus ${leeway} s leeway), in seconds`;
    const raw = assertion.payload['exp'];
    if (raw === undefined) {
      const wrong = miscasedClaim(assertion.payload, 'exp');
      return fail(
        'invalidAssertion',
        expected,
        wrong === undefined ? 'no exp claim' : `no exp claim, but a claim named ${show(wrong)}`,
        wrong === undefined ? 'Add exp = current time in seconds + 180.' : `Claim names are case-sensitive: rename ${show(wrong)} to "exp".`,
      );
    }
    const isNumber = typeof raw === 'number' && Number.isFinite(raw);
    const isDigits = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw);
    if (!isNumber && !isDigits) {
      return fail('invalidAssertion', expected, `exp ${show(raw)}`, 'exp must be a number of seconds since the epoch (Math.floor(Date.now() / 1000) + 180), computed by code, not written as text.');
    }
    const exp = Number(raw);
    if (!Number.isFinite(exp)) {
      return fail('invalidAssertion', expected, `exp ${show(raw)}, too large to be a time`, 'exp must be a number of seconds since the epoch (Math.floor(Date.now() / 1000) + 180).');
    }
    if (exp + leeway < nowSeconds) {
      const ago = nowSeconds - exp;
      // Dates beyond ±8.64e15 ms cannot be printed; such an exp is simply a long time ago.
      const when = Math.abs(exp * 1000) <= 8.64e15 ? ` (${new Date(exp * 1000).toISOString()})` : '';
      return fail(
        'expired',
        expected,
        `exp ${exp}, ${ago} s ago${when}`,
        ago > 3600
          ? 'Compute exp at signing time (now + 3 minutes) instead of reusing an old assertion or a hard-coded value.'
          : "Sign a fresh assertion with exp = now + 3 minutes, and check the client's clock (NTP).",
      );
    }
    const max = ctx.knobs.expMaxFutureSeconds;
    if (max !== null && exp > nowSeconds + max) {
      return fail('invalidAssertion', `exp at most ${max} s ahead`, `exp ${exp}, ${exp - nowSeconds} s ahead`, 'Set exp = now + 3 minutes, in seconds (not milliseconds).');
    }
    const notes: string[] = [];
    if (exp >= MILLISECONDS_THRESHOLD) notes.push('exp looks like milliseconds; Salesforce reads it as seconds far in the future and accepts it, but seconds are what the spec asks for');
    if (typeof raw === 'string') notes.push('exp is a string of digits, which Salesforce accepts');
    return pass(expected, `exp ${show(raw)}`, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
