/**
 * Re-spelt segments: base64url text whose last character sets bits the bytes do not use (or that has
 * a stray 4n+1th character) decodes to the same bytes as the canonical text, so a decoder that
 * ignores those bits takes it. With the canonicalBase64url knob off (its default, as Java's decoders
 * behave) such an assertion is granted; with it on, each of the three segments is refused with
 * `invalid assertion` by the assertion check, as a segment that is not base64url at all is. `=`
 * padding and characters outside the base64url alphabet stay refused either way.
 */
import { describe, expect, it } from 'vitest';
import { base64url, signatureOf } from '../../../lib/jws.ts';
import { formBody, goodClaims, JWT_GRANT, testKeys, testOrg, testWorld, tokenRequest } from '../../testing/fixtures.ts';
import { SALESFORCE } from '../../testing/salesforce-answers.ts';
import { realHostUrls } from '../../world/hosts.ts';
import type { MockOrg } from '../mock-org.ts';
import { decodeAssertion } from './assertion.ts';
import { TOKEN_PATH } from './transport.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WORLD = testWorld();

/** The same text with the last character's unused bits set: other text, the same bytes. */
function respelt(part: string): string {
  const unused = part.length % 4 === 2 ? 0b1111 : 0b11;
  const last = ALPHABET.indexOf(part.at(-1) ?? 'A');
  const other = `${part.slice(0, -1)}${ALPHABET[last | unused]}`;
  // The premise of every test below: a different text that decodes to the very same bytes.
  expect(other).not.toBe(part);
  expect(Buffer.from(other, 'base64url').equals(Buffer.from(part, 'base64url'))).toBe(true);
  return other;
}

/** JSON text whose byte length is not a multiple of 3, so its base64url has unused bits to set. */
function withUnusedBits(value: Record<string, unknown>): string {
  for (let pad = ''; ; pad += 'x') {
    const text = JSON.stringify({ ...value, ...(pad === '' ? {} : { pad }) });
    if (text.length % 3 !== 0) return text;
  }
}

/** A compact JWS over the given segment texts, signed with the test key over exactly that text. */
function signedOver(h: string, p: string): string {
  return `${h}.${p}.${base64url(signatureOf('RS256', `${h}.${p}`, testKeys().key))}`;
}

const H = base64url(withUnusedBits({ alg: 'RS256' }));
const P = base64url(withUnusedBits(goodClaims(WORLD)));
const GOOD = signedOver(H, P);

const orgs = new Map<boolean, MockOrg>();
function orgFor(canonical: boolean): MockOrg {
  let org = orgs.get(canonical);
  if (org === undefined) {
    org = testOrg({ knobs: { canonicalBase64url: canonical, loginRatePerHour: null } }).org;
    orgs.set(canonical, org);
  }
  return org;
}

async function post(org: MockOrg, assertion: string) {
  const res = await org.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, formBody({ grant_type: JWT_GRANT, assertion })), {
    host: 'login.salesforce.com',
    secure: true,
    clientIp: '127.0.0.1',
    urls: realHostUrls(),
  });
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  return { status: res.status, body: await res.text(), decidedBy: trace?.decidedBy, actual: trace?.checks.find((c) => c.check === 'assertion')?.actual };
}

async function expectGranted(org: MockOrg, assertion: string): Promise<void> {
  const a = await post(org, assertion);
  expect([a.status, a.decidedBy]).toEqual([200, null]);
  expect(Object.keys(JSON.parse(a.body) as object)).toContain('access_token');
}

async function expectInvalidAssertion(org: MockOrg, assertion: string, actual?: string): Promise<void> {
  const a = await post(org, assertion);
  expect([a.status, a.body, a.decidedBy]).toEqual([400, SALESFORCE.invalidAssertion, 'assertion']);
  if (actual !== undefined) expect(a.actual).toBe(actual);
}

const [, , S] = GOOD.split('.') as [string, string, string];

interface Respelling {
  name: string;
  make: () => string;
  /** What the knob off answers: a grant, or (for bytes no key signs) the signature check's refusal. */
  off: 'granted' | 'signature';
  /** The assertion check's `actual` with the knob on. */
  actual: string;
}

const notCanonical = (segment: string, sent: string, written: string) =>
  `the assertion ${segment} is not canonical base64url: its last character "${sent.at(-1)}" sets bits beyond the bytes it encodes (an encoder writes "${written.at(-1)}")`;
const oneTooMany = (segment: string) => `the assertion ${segment} is not canonical base64url: it has one character too many (base64url text is never 4n+1 characters long)`;

const RESPELT: Respelling[] = [
  { name: "the signature's last character", make: () => `${H}.${P}.${respelt(S)}`, off: 'granted', actual: notCanonical('signature', respelt(S), S) },
  { name: "the header's last character, signed as sent", make: () => signedOver(respelt(H), P), off: 'granted', actual: notCanonical('header', respelt(H), H) },
  { name: "the payload's last character, signed as sent", make: () => signedOver(H, respelt(P)), off: 'granted', actual: notCanonical('payload', respelt(P), P) },
  { name: 'a stray character after the header, signed as sent', make: () => signedOver(`${base64url('{"alg":"RS256","typ":"JWT"}')}A`, P), off: 'granted', actual: oneTooMany('header') },
  // 345 characters: a decoder that drops the stray one reads 258 bytes, which no 2048-bit key signs.
  { name: 'a stray character after the signature', make: () => `${H}.${P}.${S}AAA`, off: 'signature', actual: oneTooMany('signature') },
];

describe('re-spelt base64url segments', () => {
  it('the spellings used here are the canonical ones, and are granted whatever the knob says', async () => {
    expect([H.length % 4, P.length % 4, S.length % 4].every((r) => r !== 0)).toBe(true);
    expect(S.length).toBe(342);
    await expectGranted(orgFor(false), GOOD);
    await expectGranted(orgFor(true), GOOD);
  });

  it.each(RESPELT.map((r) => [r.name, r] as const))('%s: with canonicalBase64url off, as a lenient decoder reads it', async (_name, r) => {
    if (r.off === 'granted') await expectGranted(orgFor(false), r.make());
    else expect(await post(orgFor(false), r.make())).toMatchObject({ status: 400, body: SALESFORCE.invalidAssertion, decidedBy: 'signature' });
  });

  it.each(RESPELT.map((r) => [r.name, r] as const))('%s: invalid assertion with canonicalBase64url on', async (_name, r) => {
    await expectInvalidAssertion(orgFor(true), r.make(), r.actual);
  });

  it.each([
    ['= padding on the signature', () => `${GOOD}==`],
    ['= padding on the header', () => `${H}=.${P}.${S}`],
    ['standard base64 "+" and "/"', () => GOOD.replace(/-/g, '+').replace(/_/g, '/')],
    ['a character outside the alphabet', () => `${H}.${P}.${S.slice(0, -1)}*`],
  ] as const)('%s: invalid assertion whatever the knob says', async (_name, make) => {
    const jwt = make();
    // The premise: the text really has a character outside the base64url alphabet.
    expect(/^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(jwt)).toBe(false);
    await expectInvalidAssertion(orgFor(false), jwt);
    await expectInvalidAssertion(orgFor(true), jwt);
  });
});

describe('decodeAssertion with canonical spelling required', () => {
  // Every last character of every length that leaves bits over, held to the plainest oracle there is:
  // canonical exactly when decoding and encoding again gives the same text.
  it('accepts exactly the text that re-encodes to itself', () => {
    let refused = 0;
    for (const stem of ['', 'AAAA', 'QUJD']) {
      for (const extra of ['', 'A', 'AA', 'AAA']) {
        for (const last of ALPHABET) {
          const sig = `${stem}${extra}${last}`;
          const canonical = Buffer.from(sig, 'base64url').toString('base64url') === sig;
          const decoded = decodeAssertion(`${H}.${P}.${sig}`, { canonical: true });
          expect([sig, typeof decoded === 'string']).toEqual([sig, !canonical]);
          expect(typeof decodeAssertion(`${H}.${P}.${sig}`)).toBe('object');
          if (!canonical) refused += 1;
        }
      }
    }
    // 4n+1 lengths (64 each), 60 of 64 at 4n+2, 48 of 64 at 4n+3, none at 4n.
    expect(refused).toBe(3 * (64 + 60 + 48));
  });
});
