/**
 * The request builder reads a mistake's names as data, never through an object's prototype: only an
 * own "$" key makes a value a symbol (as the scenario schema checks it), and a claim, header field or
 * form parameter named `__proto__` is sent as one, not taken as the prototype of the object built.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Mistake } from '../../scenarios/mistake-schema.ts';
import { buildRequest, type RequestContext, resolveValue } from './build-request.ts';

const ctx: RequestContext = {
  consumerKey: 'key',
  username: 'integration@acme.com',
  privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
  hostUrl: (role) => (role === 'login' ? 'https://login.example' : undefined),
  realUrl: (role) => (role === 'login' ? 'https://login.salesforce.com' : undefined),
  usernameOf: () => undefined,
  host: 'login',
  audience: 'https://login.salesforce.com',
  now: 1_700_000_000_000,
};

/** Mistakes as a JSON file holds them: JSON.parse makes `__proto__` an own key. */
const mistakes = (json: string) => JSON.parse(json) as Mistake[];

describe('names read as data', () => {
  it('a value whose "$" is inherited is plain, not a symbol', () => {
    const inherited = Object.create({ $: 'url', host: 'login', suffix: '/x' }) as object;
    expect(resolveValue(inherited, ctx)).toBe(inherited);
    expect(resolveValue({ $: 'url', host: 'login', suffix: '/x' }, ctx)).toBe('https://login.example/x');
  });

  it('a claim and a header field named __proto__ are sent as claims, the prototype untouched', () => {
    const built = buildRequest(ctx, mistakes('[{"at":"claims","set":{"__proto__":{"admin":true}}},{"at":"header","set":{"__proto__":"x"}}]'));
    expect(Object.getPrototypeOf(built.claims)).toBe(Object.prototype);
    expect(JSON.stringify(built.claims)).toBe('{"iss":"key","sub":"integration@acme.com","aud":"https://login.salesforce.com","exp":1700000180,"__proto__":{"admin":true}}');
    expect(JSON.stringify(built.header)).toBe('{"alg":"RS256","__proto__":"x"}');
  });

  it('a form parameter named __proto__ sent as a header is a header', () => {
    const built = buildRequest(ctx, mistakes('[{"at":"form","set":{"__proto__":"p"},"encoding":"headers"}]'));
    expect(Object.getPrototypeOf(built.headers)).toBe(Object.prototype);
    expect(Object.entries(built.headers).map(([k]) => k)).toEqual(['grant_type', 'assertion', '__proto__', 'Content-Type']);
  });
});
