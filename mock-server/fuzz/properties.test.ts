/**
 * The token endpoint's properties with a fixed seed and a modest number of cases (npm run fuzz runs
 * many more): never a 500, never a hang, only Salesforce's error bodies, and no token the oracle
 * would refuse. A second property checks that well-formed requests signed by the right key do get
 * tokens, so the first cannot pass by refusing everything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goodClaims, JWT_GRANT, signAssertion, testWorld } from '../testing/fixtures.ts';

const WORLD = testWorld();

import type { MockOrg } from '../core/mock-org.ts';
import { SALESFORCE } from '../testing/salesforce-answers.ts';
import { fuzzOrg, fuzzRequest, handleWithin, oracleGrants, respellLast, tokenEndpointProperty } from './properties.ts';

describe('token endpoint properties', () => {
  it('answers arbitrary and mutated requests well, and grants only what the oracle grants', async () => {
    const tally: Record<string, number> = {};
    await fc.assert(tokenEndpointProperty(fuzzOrg(), tally), { seed: 20261128, numRuns: 400 });
    // The generator reaches both sides: some requests get tokens, most get Salesforce's errors, and
    // a good share of the answers were held to the oracle's exact bytes.
    expect(tally['200'] ?? 0).toBeGreaterThan(5);
    expect(tally['400'] ?? 0).toBeGreaterThan(200);
    expect(tally['exact'] ?? 0).toBeGreaterThan(80);
  });

  it('holds with canonicalBase64url on, against an oracle that refuses re-spelt segments', async () => {
    const tally: Record<string, number> = {};
    await fc.assert(tokenEndpointProperty(fuzzOrg({ canonicalBase64url: true }), tally, { canonicalBase64url: true }), { seed: 20261201, numRuns: 200 });
    expect(tally['200'] ?? 0).toBeGreaterThan(2);
  });

  it('reaches the hostile classes: floods, huge claims, aud spellings, re-spelt signatures, the secret as a claim', () => {
    const bodies = fc.sample(fuzzRequest, { seed: 20261128, numRuns: 400 }).map((r) => new TextDecoder().decode(r.body ?? new Uint8Array()));
    const assertions = bodies.map((b) => new URLSearchParams(b).get('assertion') ?? '');
    const payloads = assertions.map((a) => Buffer.from(a.split('.')[1] ?? '', 'base64url').toString());
    const count = (p: (i: number) => boolean) => bodies.filter((_, i) => p(i)).length;
    const secret = WORLD.apps[0]?.consumerSecret ?? '';
    expect({
      floods: count((i) => (bodies[i]?.split('&').length ?? 0) > 2_000) > 5,
      hugeClaims: count((i) => (payloads[i]?.length ?? 0) > 10_000) > 2,
      audSpellings: count((i) => /"aud":"(https:\/\/x@|[^"]*:443|[^"]*\\u3002|[^"]*%2e)/.test(payloads[i] ?? '')) > 2,
      respelt:
        count((i) => {
          const sig = assertions[i]?.split('.')[2] ?? '';
          return sig !== '' && respellLast(sig) === sig && Buffer.from(sig, 'base64url').toString('base64url') !== sig;
        }) > 2,
      secret: count((i) => (payloads[i] ?? '').includes(secret)) > 2,
    }).toEqual({ floods: true, hugeClaims: true, audSpellings: true, respelt: true, secret: true });
  });

  it('grants a token for a correct request with any harmless extra claims', async () => {
    const org = fuzzOrg();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.string({ minLength: 4, maxLength: 8 }).filter((k) => !['iss', 'sub', 'aud', 'exp', 'prn'].includes(k)),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 4 },
        ),
        async (extra) => {
          const assertion = signAssertion({ claims: { ...goodClaims(WORLD), ...extra } });
          const req = {
            method: 'POST',
            url: 'https://login.salesforce.com/services/oauth2/token',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new TextEncoder().encode(new URLSearchParams({ grant_type: JWT_GRANT, assertion }).toString()),
          };
          expect(oracleGrants(req)).toBe(true);
          expect((await handleWithin(org, req)).status).toBe(200);
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  // A planted bug proves the oracle bites: a mock that answers a wrong grant_type with another of
  // Salesforce's bodies would pass a check that only asks for "one of Salesforce's bodies".
  it("fails against a mock that gives the wrong one of Salesforce's answers", async () => {
    const org = fuzzOrg();
    const swapped = Object.create(org, {
      handle: {
        value: async (...args: Parameters<MockOrg['handle']>) => {
          const res = await org.handle(...args);
          const body = await res.text();
          return new Response(body === SALESFORCE.unsupportedGrantType ? SALESFORCE.invalidAssertion : body, { status: res.status, headers: res.headers });
        },
      },
    }) as MockOrg;
    const failure = await fc.assert(tokenEndpointProperty(swapped), { seed: 20261128, numRuns: 400, endOnFailure: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // fast-check reports the counterexample; the property's own error is the cause.
    expect((failure as Error | undefined)?.cause).toEqual(new Error(`Salesforce answers 400 ${SALESFORCE.unsupportedGrantType}, the mock 400 ${SALESFORCE.invalidAssertion}`));
  });
});
