/**
 * Reads a JWT Bearer assertion the way Salesforce will, before anything is sent: structure, `alg`,
 * claim names and their casing, `iss` / `sub` / `aud` / `exp` shapes, `exp` units and time left, and
 * `aud` against the host the request goes to. Each problem is a finding naming the check it will fail.
 */

import { looksLikeSandboxUsername, type SalesforceHostKind, salesforceHostKind } from '../../lib/salesforce-hosts.ts';
import { decodeAssertion } from '../../mock-server/core/checks/assertion.ts';
import type { DiagnosticFinding } from './finding.ts';
import { CONSUMER_KEY_PREFIX, consumerSecretShape, isUserId } from './salesforce-shapes.ts';

export interface AssertionLintContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** The host the request goes to: login.salesforce.com, test.salesforce.com, a My Domain, … (when known). */
  host?: string | undefined;
  /** Leeway Salesforce allows past exp, in seconds. */
  leewaySeconds?: number;
}

export interface DecodedForLint {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  findings: DiagnosticFinding[];
}

const CLAIM_CHECKS = { iss: 'issuer', sub: 'user', aud: 'audience', exp: 'expiry' } as const;

const hostKind = (host: string | undefined): SalesforceHostKind | undefined => (host === undefined ? undefined : salesforceHostKind(host));

/**
 * `aud` of one environment posted to a host of the other (the `aud-wrong-environment` finding): the
 * assertion lint asks with the assertion's aud, the setup lint with the audience a setup gives.
 */
export function audienceEnvironmentFindings(aud: string, host: string | undefined): DiagnosticFinding[] {
  const kind = hostKind(host);
  const audHost = /^(?:https?:\/\/)?([^/]+)/i.exec(aud.trim())?.[1]?.toLowerCase();
  if (audHost === 'test.salesforce.com' && (kind === 'login' || kind === 'my-domain'))
    return [
      {
        id: 'aud-wrong-environment',
        check: 'audience',
        severity: 'error',
        title: 'Sandbox audience sent to a production host',
        saw: `aud ${aud} posted to ${host ?? ''}`,
        fix: 'Production: aud https://login.salesforce.com. Sandbox: post to https://test.salesforce.com.',
      },
    ];
  if (audHost === 'login.salesforce.com' && (kind === 'test' || kind === 'sandbox-my-domain'))
    return [
      {
        id: 'aud-wrong-environment',
        check: 'audience',
        severity: 'error',
        title: 'Production audience sent to a sandbox host',
        saw: `aud ${aud} posted to ${host ?? ''}`,
        fix: 'Sandbox: aud https://test.salesforce.com.',
      },
    ];
  return [];
}

export function lintAssertion(jwt: string, ctx: AssertionLintContext): DecodedForLint {
  const decoded = decodeAssertion(jwt.trim());
  if (typeof decoded === 'string') {
    const malformed: DiagnosticFinding = {
      id: 'jwt-malformed',
      check: 'assertion',
      severity: 'error',
      title: 'Not a well-formed JWT',
      saw: `the assertion ${decoded}`,
      fix: 'Send the compact JWT as your library produced it: three base64url parts, header and payload JSON objects (build them with a JSON library).',
    };
    return { findings: [malformed] };
  }
  return { header: decoded.header, payload: decoded.payload, findings: lintDecodedAssertion({ header: decoded.header, payload: decoded.payload, signatureBytes: decoded.signature.length }, ctx) };
}

/**
 * The lint of an assertion already decoded (a trace holds it so, its signature redacted to its
 * length): `alg`, the claims, their casing, `exp` and `aud` against the host.
 */
export function lintDecodedAssertion(decoded: { header: Record<string, unknown>; payload: Record<string, unknown>; signatureBytes: number }, ctx: AssertionLintContext): DiagnosticFinding[] {
  const findings: DiagnosticFinding[] = [];
  const add = (f: DiagnosticFinding) => findings.push(f);
  const { header, payload } = decoded;
  const alg = header['alg'];
  if (alg !== 'RS256') {
    const why =
      alg === 'HS256'
        ? 'HMAC-SHA256 (often keyed with the private key text) is not accepted'
        : alg === 'none'
          ? 'an unsigned JWT is never accepted'
          : typeof alg === 'string' && alg.startsWith('ES')
            ? 'ECDSA is not accepted'
            : 'only RS256 is accepted';
    add({
      id: 'alg-not-rs256',
      check: 'alg',
      severity: 'error',
      title: 'alg is not RS256',
      saw: `alg ${JSON.stringify(alg ?? null)}: ${why}`,
      fix: 'Sign with RS256 (RSA SHA-256) and the private key whose certificate is on the connected app.',
    });
  }
  if (decoded.signatureBytes === 0 && alg !== 'none')
    add({ id: 'signature-missing', check: 'signature', severity: 'error', title: 'No signature', saw: 'the third part of the JWT is empty', fix: 'Send the whole signed JWT.' });
  for (const k of ['kid', 'jku', 'jwk', 'x5u'])
    if (k in header)
      add({
        id: 'header-ignored-key-hint',
        check: 'alg',
        severity: 'info',
        title: `Header ${k} is ignored`,
        saw: `the header has ${k}`,
        fix: 'Nothing to do: Salesforce takes the certificate from the connected app.',
      });

  for (const [claim, check] of Object.entries(CLAIM_CHECKS)) {
    if (claim in payload) continue;
    const miscased = Object.keys(payload).find((k) => k.toLowerCase() === claim);
    if (miscased !== undefined)
      add({
        id: 'claim-name-case',
        check,
        severity: 'error',
        title: `"${miscased}" instead of "${claim}"`,
        saw: `the payload has "${miscased}" and no "${claim}"`,
        fix: `Claim names are case-sensitive: rename "${miscased}" to "${claim}".`,
      });
    else if (!(claim === 'sub' && 'prn' in payload))
      add({
        id: 'claim-missing',
        check,
        severity: 'error',
        title: `No ${claim} claim`,
        saw: `the payload has ${
          Object.keys(payload)
            .map((k) => `"${k}"`)
            .join(', ') || 'no claims'
        }`,
        fix: `Add ${claim}.`,
      });
  }

  const iss = payload['iss'];
  if (typeof iss === 'string') {
    const secret = consumerSecretShape(iss);
    if (secret !== undefined)
      add({
        id: 'iss-is-consumer-secret',
        check: 'issuer',
        severity: 'error',
        title: 'iss looks like the consumer secret',
        saw: `iss is ${secret}, the shape of a consumer secret`,
        fix: 'Use the consumer key (3MVG9…), not the secret, as iss; and treat the secret as leaked.',
      });
    else if (/\s/.test(iss))
      add({
        id: 'iss-not-a-key',
        check: 'issuer',
        severity: 'error',
        title: 'iss has spaces',
        saw: `iss ${JSON.stringify(iss.slice(0, 40))}: an app name or a key with white space`,
        fix: 'Use the consumer key from Setup > App Manager > (app) > View > Manage Consumer Details, with no spaces or line breaks.',
      });
    else if (!iss.startsWith(CONSUMER_KEY_PREFIX))
      add({
        id: 'iss-unusual',
        check: 'issuer',
        severity: 'warning',
        title: 'iss does not look like a consumer key',
        saw: 'consumer keys of connected apps start with "3MVG"',
        fix: 'Check iss is the consumer key of the app.',
      });
  } else if (iss !== undefined) add({ id: 'iss-not-string', check: 'issuer', severity: 'error', title: 'iss is not a string', saw: `iss is a ${typeof iss}`, fix: 'Send iss as a JSON string.' });

  const subject = payload['prn'] ?? payload['sub'];
  if (typeof subject === 'string') {
    if (isUserId(subject)) add({ id: 'sub-is-user-id', check: 'user', severity: 'error', title: 'sub is a user Id', saw: `sub ${subject}`, fix: 'sub is the username (Setup > Users), not the Id.' });
    else if (!subject.includes('@'))
      add({
        id: 'sub-not-username',
        check: 'user',
        severity: 'error',
        title: 'sub is not a username',
        saw: `sub ${JSON.stringify(subject)}`,
        fix: 'sub is the Salesforce username, shaped like an e-mail address.',
      });
    else if (hostKind(ctx.host) === 'login' && looksLikeSandboxUsername(subject)) {
      add({
        id: 'sub-sandbox-at-login',
        check: 'user',
        severity: 'warning',
        title: 'A sandbox-style username sent to login.salesforce.com',
        saw: `sub ${subject} ends with a sandbox suffix`,
        fix: 'Sandbox users log in at https://test.salesforce.com (or the sandbox My Domain) with aud https://test.salesforce.com.',
      });
    }
  } else if (subject !== undefined)
    add({ id: 'sub-not-string', check: 'user', severity: 'error', title: 'sub is not a string', saw: `sub is a ${typeof subject}`, fix: 'Send sub as a JSON string holding the username.' });

  const aud = payload['aud'];
  if (typeof aud === 'string') {
    if (/\s/.test(aud.trim()))
      add({
        id: 'aud-not-url',
        check: 'audience',
        severity: 'error',
        title: 'aud is not just a URL',
        saw: `aud ${JSON.stringify(aud)}`,
        fix: 'aud is only the URL, e.g. "https://login.salesforce.com".',
      });
    else if (aud.includes('/services/'))
      add({
        id: 'aud-token-url',
        check: 'audience',
        severity: 'error',
        title: 'aud is the token URL',
        saw: `aud ${aud}`,
        fix: 'aud is the login URL without a path: "https://login.salesforce.com" (or test).',
      });
    else {
      const audHost = /^(?:https?:\/\/)?([^/]+)/i.exec(aud.trim())?.[1]?.toLowerCase();
      findings.push(...audienceEnvironmentFindings(aud, ctx.host));
      if (audHost?.endsWith('.my.salesforce.com'))
        add({
          id: 'aud-my-domain',
          check: 'audience',
          severity: 'warning',
          title: 'aud is a My Domain URL',
          saw: `aud ${aud}`,
          fix: 'Connected apps take https://login.salesforce.com (or test) as aud even when posting to My Domain; External Client Apps take the My Domain.',
        });
      if (!/^https:\/\//i.test(aud.trim()))
        add({ id: 'aud-no-scheme', check: 'audience', severity: 'warning', title: 'aud without https://', saw: `aud ${aud}`, fix: 'Write aud as a full URL: "https://login.salesforce.com".' });
    }
  } else if (aud !== undefined && !Array.isArray(aud))
    add({ id: 'aud-not-string', check: 'audience', severity: 'error', title: 'aud is not a string', saw: `aud is a ${typeof aud}`, fix: 'Send aud as a JSON string.' });

  const exp = payload['exp'];
  if (exp !== undefined) {
    const n = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d+$/.test(exp) ? Number(exp) : Number.NaN;
    const nowS = Math.floor(ctx.now / 1000);
    if (!Number.isFinite(n))
      add({
        id: 'exp-not-number',
        check: 'expiry',
        severity: 'error',
        title: 'exp is not a number',
        saw: `exp ${JSON.stringify(exp)}`,
        fix: 'exp = Math.floor(Date.now() / 1000) + 180, computed when signing.',
      });
    else if (n > 100_000_000_000)
      add({
        id: 'exp-milliseconds',
        check: 'expiry',
        severity: 'warning',
        title: 'exp is in milliseconds',
        saw: `exp ${n} is ${new Date(Math.min(n, 8.64e15)).toISOString()} read as milliseconds`,
        fix: 'Salesforce accepts it (as a date far ahead), but the spec wants seconds: Math.floor(Date.now() / 1000) + 180.',
      });
    else if (n + (ctx.leewaySeconds ?? 180) < nowS)
      add({
        id: 'exp-past',
        check: 'expiry',
        severity: 'error',
        title: 'exp has passed',
        saw: `exp ${n}, ${nowS - n} s ago`,
        fix: 'Sign a fresh assertion with exp = now + 3 minutes; check the clock of the machine that signs.',
      });
    else if (n - nowS > 86_400)
      add({
        id: 'exp-far-ahead',
        check: 'expiry',
        severity: 'info',
        title: 'exp is more than a day ahead',
        saw: `exp in ${Math.round((n - nowS) / 3600)} h`,
        fix: 'Accepted, but a short lifetime (3 minutes) limits what a leaked assertion can do.',
      });
    if (typeof exp === 'string' && Number.isFinite(n))
      add({
        id: 'exp-string',
        check: 'expiry',
        severity: 'info',
        title: 'exp is a string of digits',
        saw: `exp ${JSON.stringify(exp)}`,
        fix: 'Accepted by Salesforce; a JSON number is what the spec asks for.',
      });
  }
  return findings;
}
