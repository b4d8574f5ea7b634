/**
 * The token endpoint's properties with a fixed seed and a modest number of cases (npm run fuzz runs
 * many more): never a 500, never a hang, only Salesforce's error bodies, and no token the oracle
 * would refuse. A second property checks that well-formed requests signed by the right key do get
 * tokens, so the first cannot pass by refusing everything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JWT_GRANT, goodClaims, signAssertion, testWorld } from '../testing/fixtures.ts';
import { fuzzOrg, handleWithin, oracleGrants, tokenEndpointProperty } from './properties.ts';

describe('token endpoint properties', () => {
  it('answers arbitrary and mutated requests well, and grants only what the oracle grants', async () => {
    const tally: Record<number, number> = {};
    await fc.assert(tokenEndpointProperty(fuzzOrg(), tally), { seed: 20261128, numRuns: 400 });
    // The generator reaches both sides: some requests get tokens, most get Salesforce's errors.
    expect(tally[200] ?? 0).toBeGreaterThan(5);
    expect(tally[400] ?? 0).toBeGreaterThan(200);
  });

  it('grants a token for a correct request with any harmless extra claims', async () => {
    const org = fuzzOrg();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ minLength: 4, maxLength: 8 }).filter((k) => !['iss', 'sub', 'aud', 'exp', 'prn'].includes(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), async (extra) => {
        const assertion = await signAssertion({ claims: { ...goodClaims(testWorld()), ...extra } });
        const req = { method: 'POST', url: 'https://login.salesforce.com/services/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new TextEncoder().encode(new URLSearchParams({ grant_type: JWT_GRANT, assertion }).toString()) };
        expect(oracleGrants(req)).toBe(true);
        expect((await handleWithin(org, req)).status).toBe(200);
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
