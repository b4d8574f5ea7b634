/**
 * Notes on each claim of an assertion, in the words jwt.io does not give: exp as a date with the
 * time left or passed (and whether it looks like milliseconds), aud against the host it is posted
 * to, the shapes of iss and sub, claims sent with the wrong letter case, and claims Salesforce does
 * not read. Notes describe; the findings (lint-assertion.ts) judge.
 */

import { looksLikeSandboxUsername, type SalesforceHostKind, salesforceHostKind } from '../../lib/salesforce-hosts.ts';
import { audienceMatches } from '../../mock-server/core/checks/audience.ts';

export interface ClaimNote {
  name: string;
  /** The claim's value; undefined for a required claim that is missing. */
  value: unknown;
  notes: string[];
}

const REQUIRED = ['iss', 'sub', 'aud', 'exp'] as const;
const MS_THRESHOLD = 100_000_000_000;
const LEEWAY_SECONDS = 180;

/** An ISO date for seconds since the epoch, or why there is none. */
function isoOf(seconds: number): string {
  const ms = seconds * 1000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : 'beyond the dates JavaScript can show';
}

function relative(seconds: number, nowS: number): string {
  const d = seconds - nowS;
  const span = Math.abs(d);
  const rough = span >= 2 * 86_400 ? ` (~${Math.round(span / 86_400)} days)` : span >= 2 * 3600 ? ` (~${Math.round(span / 3600)} h)` : '';
  return d >= 0 ? `${span} s from now${rough}` : `${span} s ago${rough}`;
}

function expNotes(exp: unknown, nowS: number): string[] {
  const n = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d+(\.\d+)?$/.test(exp) ? Number(exp) : Number.NaN;
  if (!Number.isFinite(n)) return [`not a number of seconds: Salesforce cannot read it as a time`];
  const notes = typeof exp === 'string' ? ['a string of digits: accepted, though a JSON number is what the spec asks for'] : [];
  if (n >= MS_THRESHOLD) {
    notes.push(
      `looks like milliseconds: read as seconds it is ${isoOf(n)}, far ahead, so Salesforce accepts it; as milliseconds it would be ${isoOf(n / 1000)} (${relative(Math.floor(n / 1000), nowS)})`,
    );
    return notes;
  }
  notes.push(`${isoOf(n)}, ${relative(n, nowS)}`);
  if (n < nowS && n + LEEWAY_SECONDS >= nowS) notes.push(`passed, but within the ~${LEEWAY_SECONDS} s of leeway Salesforce allows`);
  if (n + LEEWAY_SECONDS < nowS) notes.push('expired: Salesforce answers expired authorization code');
  return notes;
}

type HostKind = SalesforceHostKind;
const kindOf = salesforceHostKind;

const AUD_MEANING: Record<HostKind, string> = {
  login: 'the production audience: for login.salesforce.com and production My Domains',
  test: 'the sandbox audience: for test.salesforce.com and sandbox My Domains',
  'my-domain': 'a production My Domain URL: External Client Apps take it; connected apps take https://login.salesforce.com',
  'sandbox-my-domain': 'a sandbox My Domain URL: External Client Apps take it; connected apps take https://test.salesforce.com',
  site: 'an Experience Cloud site URL: an audience only when the request is posted to that site',
  lightning: 'a Lightning UI host, which is no audience',
  other: 'not a Salesforce login URL',
};

/** The aud a connected app posted to this host takes. */
const EXPECTED: Partial<Record<HostKind, string>> = {
  login: 'https://login.salesforce.com',
  test: 'https://test.salesforce.com',
  'my-domain': 'https://login.salesforce.com',
  'sandbox-my-domain': 'https://test.salesforce.com',
};

function audNotes(aud: unknown, host: string | undefined): string[] {
  if (Array.isArray(aud)) return ['an array: accepted when one of its entries is an audience of the host'];
  if (typeof aud !== 'string') return ['not a string'];
  const t = aud.trim();
  if (/\s/.test(t)) return ['not just a URL: there is text before or after it'];
  if (t.includes('/services/')) return ['the token URL: aud is the login URL without a path'];
  const audHost = /^(?:https?:\/\/)?([^/:]+)/i.exec(t)?.[1] ?? '';
  const kind = kindOf(audHost);
  const notes = [AUD_MEANING[kind]];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) notes.push('no https:// in front: accepted, but write the full URL');
  else if (!/^https:\/\//i.test(t)) notes.push('a scheme other than https://: not an audience');
  if (/^(?:https:\/\/)?[^/]+\/$/i.test(t)) notes.push('a trailing slash: accepted');
  else if (/\/\/$/.test(t.replace(/^[a-z]+:\/\//i, ''))) notes.push('more than one trailing slash: not an audience');
  if (host === undefined) notes.push('give --host (the host it is posted to) to check it against that host');
  else {
    const expected = EXPECTED[kindOf(host)];
    const same = audHost.toLowerCase() === host.toLowerCase();
    if (expected === undefined) notes.push(same ? `the host it is posted to (${host})` : `cannot tell which aud ${host} takes`);
    // The mock's own matching, so inspect never calls valid what the audience check refuses (`:443`, `//`, a path).
    else if (audienceMatches(t, expected, true)) notes.push(`valid for ${host}`);
    else {
      const ownMyDomain = same && (kindOf(host) === 'my-domain' || kindOf(host) === 'sandbox-my-domain');
      notes.push(`not what a connected app posted to ${host} sends: ${expected}${ownMyDomain ? ' (an External Client App takes this My Domain URL)' : ''}`);
    }
  }
  return notes;
}

function issNotes(iss: unknown): string[] {
  if (typeof iss !== 'string') return ['not a string'];
  if (/^\d{30,}$/.test(iss)) return [`${iss.length} digits: the shape of a consumer secret, not of the consumer key`];
  if (/\s/.test(iss)) return ['has white space: an app name, or a key with a space or line break'];
  if (iss.startsWith('3MVG')) return [`the shape of a consumer key (3MVG…, ${iss.length} characters)`];
  return ['does not look like a consumer key: those start with "3MVG"'];
}

function subNotes(sub: unknown, payload: Record<string, unknown>, name: 'sub' | 'prn'): string[] {
  const notes = name === 'sub' && 'prn' in payload ? ['ignored: prn is present and wins'] : name === 'prn' ? ['read in place of sub (prn wins when both are present)'] : [];
  if (typeof sub !== 'string') return [...notes, 'not a string'];
  if (/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(sub)) return [...notes, 'a user Id (005…), not a username'];
  if (!sub.includes('@')) return [...notes, 'not shaped like a username (user@example.com)'];
  notes.push('shaped like a username');
  if (looksLikeSandboxUsername(sub)) notes.push('ends like a sandbox username (a suffix after the domain): sandbox users log in at test.salesforce.com');
  return notes;
}

export function claimNotes(payload: Record<string, unknown>, ctx: { now: number; host?: string | undefined }): ClaimNote[] {
  const nowS = Math.floor(ctx.now / 1000);
  const notes: ClaimNote[] = Object.entries(payload).map(([name, value]) => {
    switch (name) {
      case 'iss':
        return { name, value, notes: issNotes(value) };
      case 'sub':
      case 'prn':
        return { name, value, notes: subNotes(value, payload, name) };
      case 'aud':
        return { name, value, notes: audNotes(value, ctx.host) };
      case 'exp':
        return { name, value, notes: expNotes(value, nowS) };
      case 'iat':
      case 'nbf':
        return { name, value, notes: [...(typeof value === 'number' ? [`${isoOf(value)}, ${relative(value, nowS)}`] : []), 'not read by Salesforce: only iss, sub (or prn), aud and exp are'] };
    }
    const real = REQUIRED.find((r) => r === name.toLowerCase());
    if (real !== undefined) return { name, value, notes: [`claim names are case-sensitive: this is not ${real}`] };
    return { name, value, notes: ['not read by Salesforce (extra claims are accepted and ignored)'] };
  });
  for (const r of REQUIRED) if (!(r in payload) && !(r === 'sub' && 'prn' in payload)) notes.push({ name: r, value: undefined, notes: ['missing'] });
  return notes;
}
