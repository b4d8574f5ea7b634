/**
 * `inspect`: an assertion decoded and judged the way Salesforce will read it, which jwt.io cannot do —
 * header and payload, notes on each claim (inspect-claims.ts), the findings of lintAssertion, each
 * naming the check it fails, and with a certificate the RS256 signature verified against it. The
 * signature itself is never returned: only its length, so the output can be pasted anywhere.
 */
import { verify } from 'node:crypto';
import type { CertificateInfo } from '../../lib/pki/certificate.ts';
import { decodeAssertion } from '../../mock-server/core/checks/assertion.ts';
import type { DiagnosticFinding } from './finding.ts';
import { type ClaimNote, claimNotes } from './inspect-claims.ts';
import { lintAssertion } from './lint-assertion.ts';

export interface InspectInput {
  /** The JWT (or text holding it: see extractAssertion). */
  jwt: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** The host it will be posted to: login.salesforce.com, test.salesforce.com, a My Domain. */
  host?: string | undefined;
  /** The certificate uploaded to the connected app, to verify the signature with. */
  certificate?: { info: CertificateInfo; source: string } | undefined;
}

export interface Inspection {
  header: Record<string, unknown> | null;
  payload: Record<string, unknown> | null;
  claims: ClaimNote[];
  findings: DiagnosticFinding[];
  /** Length of the signature in bytes; `verified` only when a certificate was given. */
  signature: { bytes: number; verified?: boolean };
}

/**
 * The assertion in what was pasted: a bare JWT, `assertion=<jwt>`, a whole form body or a curl line
 * (the `assertion` parameter, URL-decoded), or a JSON body with an "assertion" field.
 */
export function extractAssertion(text: string): string {
  const t = text.trim();
  const json = /"assertion"\s*:\s*"([^"]*)"/.exec(t);
  if (json?.[1] !== undefined) return json[1].trim();
  const form = /(?:^|[?&\s'"])assertion=([^&\s'"]*)/.exec(t);
  if (form?.[1] !== undefined) {
    try {
      return decodeURIComponent(form[1].replace(/\+/g, ' ')).trim();
    } catch {
      // Not valid percent-encoding: JWT characters need none, so the raw value is the assertion.
      return form[1];
    }
  }
  return t.replace(/^["']+|["']+$/g, '');
}

/** A host name from `--host`: a bare host or a URL. */
export function hostName(host: string): string | undefined {
  const t = host.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function signatureBytes(jwt: string): number {
  const part = jwt.split('.')[2] ?? '';
  return /^[A-Za-z0-9_-]*$/.test(part) ? Buffer.from(part, 'base64url').length : 0;
}

function checkSignature(jwt: string, cert: NonNullable<InspectInput['certificate']>): DiagnosticFinding | undefined {
  const decoded = decodeAssertion(jwt);
  if (typeof decoded === 'string') return undefined;
  const alg = decoded.header['alg'];
  const which = `${cert.source} (${cert.info.subject}, SHA-256 ${cert.info.sha256.slice(0, 23)}…)`;
  let ok = false;
  try {
    ok = alg === 'RS256' && decoded.signature.length > 0 && verify('sha256', Buffer.from(decoded.signingInput, 'ascii'), cert.info.publicKey, decoded.signature);
  } catch {
    // A key verify() cannot use for RSA SHA-256 (an EC certificate): simply no match.
  }
  if (ok) {
    return {
      id: 'signature-verified',
      check: 'signature',
      severity: 'info',
      title: 'The signature verifies with the certificate',
      saw: `RS256 signature verified with ${which}`,
      fix: 'Nothing to do; if Salesforce still answers invalid assertion, the connected app holds another certificate than this one (Setup > App Manager > Edit > Use digital signatures).',
    };
  }
  const why =
    alg !== 'RS256' ? `alg ${JSON.stringify(alg ?? null)} is not an RS256 signature` : decoded.signature.length === 0 ? 'there is no signature' : `the signature does not verify with ${which}`;
  return {
    id: 'signature-mismatch',
    check: 'signature',
    severity: 'error',
    title: 'The signature does not verify with the certificate',
    saw: why,
    fix: 'Sign with RS256 and the private key of this certificate (npx sfjwt keys check --key server.key --cert server.crt tells whether they match), or upload the certificate of the key you sign with; never change a JWT after signing.',
  };
}

export function inspectAssertion(input: InspectInput): Inspection {
  const jwt = extractAssertion(input.jwt);
  const lint = lintAssertion(jwt, { now: input.now, host: input.host });
  const findings = [...lint.findings];
  const signature: Inspection['signature'] = { bytes: signatureBytes(jwt) };
  if (input.certificate !== undefined) {
    const f = checkSignature(jwt, input.certificate);
    if (f !== undefined) {
      findings.push(f);
      signature.verified = f.severity === 'info';
    }
  }
  const payload = lint.payload ?? null;
  return { header: lint.header ?? null, payload, claims: payload === null ? [] : claimNotes(payload, { now: input.now, host: input.host }), findings, signature };
}
