/**
 * The doctor for a failing JWT Bearer setup. 1: local checks (the key and certificate, the login URL,
 * the claims it would send or the request it was given). 2: one real token request. 3: if that fails,
 * a few bounded probes that tell causes apart (another audience, the other environment, a fresh
 * request) and the server's Date against the local clock. 4: a verdict: the most likely root cause,
 * named by the Salesforce check that explains it, with evidence and the fix, then everything else.
 * It reads only what any client can see: it never relies on the mock's trace.
 */

import { checkKeyMaterial } from '../../lib/pki/check.ts';
import { isSalesforceHost, isSandboxHost, loginUrlOf } from '../../lib/salesforce-hosts.ts';
import { CHECK_IDS, type CheckId } from '../../mock-server/core/check.ts';
import { CHECKS, checkById, DECIDED_OUTSIDE_CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { FORCED_CAUSE } from '../../mock-server/core/forced.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import { buildRequest, type RequestContext } from '../client/build-request.ts';
import type { FetchLike } from '../client/https-fetch.ts';
import { sendRequest, type TokenAnswer } from '../client/send.ts';
import { type DiagnosticFinding, SEVERITY_ORDER } from './finding.ts';
import { lintAssertion } from './lint-assertion.ts';
import { type CapturedRequest, lintRequest } from './lint-request.ts';
import { lintSetup, unopenableKey, withSetupFindings } from './lint-setup.ts';
import { diagnoseNoAnswer, isNoAnswer, type NoAnswerId } from './no-answer.ts';

export interface DoctorInput {
  loginUrl: string;
  consumerKey: string;
  username: string;
  /** Optional with `request`: the captured request is then diagnosed as sent, and probes that would re-sign it are skipped. */
  key?: { data: Buffer; source: string; passphrase?: string | undefined } | undefined;
  certificate?: { data: Buffer; source: string } | undefined;
  audience?: string | undefined;
  /** Base URLs of the other environment's hosts, for probes (real Salesforce hosts by default). */
  hosts?: { login?: string | undefined; test?: string | undefined } | undefined;
  /** A captured failing request to diagnose instead of the doctor's own. */
  request?: CapturedRequest | undefined;
  fetch: FetchLike;
  now: () => number;
  maxProbes?: number;
}

/** A Salesforce check, `transient`, or why no answer came at all (no-answer.ts). */
export type RootCauseCheck = CheckId | 'transient' | NoAnswerId;

export interface RootCause {
  check: RootCauseCheck;
  title: string;
  evidence: string[];
  fix: string;
  /** Other causes the answer allows, when the probes could not rule them out. */
  alternatives: RootCauseCheck[];
  /** confirmed: the org's own evidence says so (doctor --evidence); inferred: the wire and probes only. */
  confidence?: 'confirmed' | 'inferred';
  /** Without evidence: the one query of the org's data that would confirm this cause. */
  confirmWith?: { purpose: string; soql: string; showed: string };
}

export interface Probe {
  name: string;
  what: string;
  answer: string;
}

export interface DoctorReport {
  ok: boolean;
  answer: string;
  rootCause: RootCause | null;
  findings: DiagnosticFinding[];
  probes: Probe[];
  /** The org's evidence read (doctor --evidence): where from, and each query with what it showed. */
  evidence?: { source: string; queries: { purpose: string; soql: string; showed: string }[] };
}

const ORDER = new Map<string, number>(CHECK_IDS.map((id, i) => [id, i]));
const describe = (a: TokenAnswer) =>
  a.status === 0 ? `no answer (${a.networkError ?? 'network error'})` : a.ok ? '200 with an access token' : `${a.status}${a.error === undefined ? '' : ` ${a.error}: ${a.errorDescription ?? ''}`}`;

const OUTCOME_NAMES = Object.keys(OUTCOMES) as OutcomeName[];
const checksGiving = (names: readonly OutcomeName[]): CheckId[] => CHECKS.filter((c) => c.outcomes.some((o) => names.includes(o))).map((c) => c.id);

/**
 * The checks an answer can come from, in Salesforce's order: those that list an outcome with this
 * status (302, 404) or these words on the wire; `transient` for an answer only Salesforce's side gives.
 */
export function checksForAnswer(a: TokenAnswer): RootCauseCheck[] {
  const byStatus = checksGiving(OUTCOME_NAMES.filter((n) => OUTCOMES[n].kind !== 'oauth-error' && OUTCOMES[n].status === a.status));
  if (byStatus.length > 0) return byStatus;
  const byWords = OUTCOME_NAMES.filter((n) => {
    const o = OUTCOMES[n];
    return o.kind === 'oauth-error' && o.error === a.error && o.description === a.errorDescription;
  });
  if (byWords.some((n) => (DECIDED_OUTSIDE_CHECKS as Partial<Record<OutcomeName, CheckId>>)[n] === 'forced')) return ['transient'];
  return checksGiving(byWords);
}

/** The root cause's title and fix, as the check (or the forced cause, for `transient`) states them. */
function rootCauseText(check: RootCauseCheck): { title: string; fix: string } | undefined {
  return check === 'transient' ? FORCED_CAUSE.rootCause : checkById(check)?.rootCause;
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const findings: DiagnosticFinding[] = [];
  const probes: Probe[] = [];
  const now = input.now();
  const maxProbes = input.maxProbes ?? 4;
  let loginUrl: URL | undefined;
  try {
    loginUrl = new URL(input.loginUrl);
  } catch {
    findings.push({
      id: 'login-url-invalid',
      check: 'host',
      severity: 'error',
      title: 'The login URL is not a URL',
      saw: input.loginUrl,
      fix: 'Use https://login.salesforce.com, https://test.salesforce.com or https://<domain>.my.salesforce.com.',
    });
  }
  if (loginUrl !== undefined && /\/services\//.test(loginUrl.pathname))
    findings.push({
      id: 'login-url-has-path',
      check: 'path',
      severity: 'warning',
      title: 'The login URL has a path',
      saw: input.loginUrl,
      fix: 'Give the login URL without /services/oauth2/token; sfjwt adds the path.',
    });

  // 1. Local checks: the key (and certificate) first.
  const keyCheck = checkKeyMaterial({
    ...(input.key === undefined ? {} : { key: input.key }),
    ...(input.certificate === undefined ? {} : { certificate: input.certificate }),
    passphrase: input.key?.passphrase,
    now,
  });
  const KEY_CHECK: Record<string, CheckId> = { 'key-not-rsa': 'alg', 'cert-not-rsa': 'alg', 'cert-key-mismatch': 'signature' };
  for (const f of keyCheck.findings) {
    if (f.severity === 'info') continue;
    findings.push({ id: f.id, check: KEY_CHECK[f.id] ?? 'signature', severity: f.severity, title: f.title, saw: f.saw, fix: f.fix ?? '' });
  }
  const key = keyCheck.key?.key;
  const base = input.loginUrl.replace(/\/services\/oauth2\/token\/?$/, '').replace(/\/+$/, '');
  const host = loginUrl?.hostname.toLowerCase();
  // The environment: from the host name, or (on a base URL such as the mock's) from the audience used.
  const given = input.request === undefined ? undefined : lintRequest(input.request, now).assertion;
  const givenAud = given === undefined ? undefined : lintAssertion(given, { now }).payload?.['aud'];
  const audHint = input.audience ?? (typeof givenAud === 'string' ? givenAud : undefined);
  const sandbox = (host !== undefined && isSandboxHost(host)) || /^https:\/\/test\.salesforce\.com\/?$/i.test(audHint ?? '');
  const audience = input.audience ?? loginUrlOf(sandbox);
  const build = (overrides: { base?: string; audience?: string }) => {
    if (key === undefined) return undefined;
    const b = overrides.base ?? base;
    const ctx: RequestContext = {
      consumerKey: input.consumerKey,
      username: input.username,
      privateKey: key,
      hostUrl: () => b,
      realUrl: () => b,
      usernameOf: () => undefined,
      host: 'login',
      audience: overrides.audience ?? audience,
      now: input.now(),
    };
    return buildRequest(ctx);
  };

  // The request under diagnosis: the one given, or the doctor's own correct one.
  const own = build({});
  const request: CapturedRequest | undefined = input.request ?? (own === undefined ? undefined : { method: own.method, url: own.url, headers: own.headers, body: own.body });
  if (input.request !== undefined) findings.push(...lintRequest(input.request, now).findings);
  else if (own?.assertion !== undefined) findings.push(...lintAssertion(own.assertion, { now, host }).findings.filter((f) => f.severity !== 'info'));
  // The setup lints (lint-setup.ts): what the inputs themselves say, more plainly than the key and claim findings they cover.
  const setup = lintSetup({
    loginUrl: input.loginUrl,
    consumerKey: input.consumerKey,
    username: input.username,
    audience: input.request === undefined ? audience : audHint,
    key: input.key,
    certificate: input.certificate,
    hosts: input.hosts,
  });
  findings.splice(0, findings.length, ...withSetupFindings(setup, findings));
  if (request === undefined) {
    // Nothing can be signed, so nothing is sent: the key is the root cause.
    const cause =
      input.key === undefined
        ? {
            check: 'signature' as const,
            title: 'No key to sign with',
            evidence: ['no key and no captured request were given'],
            fix: 'Give the private key whose certificate is on the connected app (--key server.key), or a captured request (--request FILE).',
          }
        : unopenableKey(findings, input.key.source);
    return verdict(findings, probes, input.key === undefined ? 'not sent: no key' : 'not sent: the key cannot be read', cause === undefined ? null : { ...cause, alternatives: [] });
  }

  // 2. One real token request.
  const sendCaptured = async (r: CapturedRequest) => sendRequest({ ...r, body: r.body, assertion: undefined, claims: {}, header: {} }, input.fetch);
  const first = await sendCaptured(request);
  if (first.date !== undefined) {
    const skew = Math.round((Date.parse(first.date) - now) / 1000);
    if (Math.abs(skew) > 60)
      findings.push({
        id: 'clock-skew',
        check: 'expiry',
        severity: Math.abs(skew) > 180 ? 'error' : 'warning',
        title: "The local clock differs from Salesforce's",
        saw: `the server's Date is ${skew > 0 ? 'ahead of' : 'behind'} the local clock by ${Math.abs(skew)} s`,
        fix: "Synchronise the clock of the machine that signs (NTP); exp is checked against Salesforce's clock.",
      });
  }
  if (first.ok) return verdict(findings, probes, describe(first), null);
  // No answer from Salesforce at all (nothing listens, TLS, DNS, a proxy, a timeout, a login URL that is no URL): why, from what fetch reported.
  if (isNoAnswer(first)) return verdict(findings, probes, describe(first), diagnoseNoAnswer(first, request.url));

  // 3. Bounded probes, and 4. the verdict.
  const candidates = checksForAnswer(first);
  const errors = findings.filter((f) => f.severity !== 'info');
  const matching = errors
    .filter((f) => candidates.includes(f.check))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (ORDER.get(a.check) ?? 99) - (ORDER.get(b.check) ?? 99));
  const top = matching[0];
  if (top !== undefined && (top.severity === 'error' || candidates.length > 1 || candidates[0] === top.check)) {
    return verdict(findings, probes, describe(first), {
      check: top.check,
      title: top.title,
      evidence: [`Salesforce answered ${describe(first)}`, top.saw],
      fix: top.fix,
      alternatives: candidates.filter((c) => c !== top.check),
    });
  }
  const probe = async (name: string, what: string, overrides: { base?: string; audience?: string }) => {
    if (probes.length >= maxProbes) return undefined;
    const r = build(overrides);
    if (r === undefined) {
      // No key (a captured request diagnosed as sent): a probe re-signs the request, so it is listed, not sent.
      probes.push({ name, what, answer: 'not sent: no key to re-sign the request with (give the key to run this probe)' });
      return undefined;
    }
    const a = await sendRequest(r, input.fetch);
    probes.push({ name, what, answer: describe(a) });
    return a;
  };
  // The other environment's login host: given, or the real one only when the login URL is itself a
  // Salesforce host (a probe never goes anywhere the user did not point the doctor at).
  const onSalesforce = host !== undefined && isSalesforceHost(host);
  const otherBase = sandbox ? (input.hosts?.login ?? (onSalesforce ? 'https://login.salesforce.com' : undefined)) : (input.hosts?.test ?? (onSalesforce ? 'https://test.salesforce.com' : undefined));
  const otherEnv = { base: otherBase, audience: sandbox ? 'https://login.salesforce.com' : 'https://test.salesforce.com', name: sandbox ? 'production' : 'sandbox' };
  const fixed = (check: RootCauseCheck, evidence: string[], alternatives: RootCauseCheck[] = [], fix?: string): RootCause => ({
    check,
    title: rootCauseText(check)?.title ?? check,
    evidence: [`Salesforce answered ${describe(first)}`, ...evidence],
    fix: fix ?? rootCauseText(check)?.fix ?? '',
    alternatives,
  });

  if (candidates.includes('audience') && candidates.length === 1) {
    for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com', base].filter((a) => a !== audience)) {
      const a = await probe(`aud ${aud}`, `the same request with aud ${aud}`, { audience: aud });
      if (a?.ok === true) return verdict(findings, probes, describe(first), fixed('audience', [`with aud ${aud} the same key, user and app get a token`], [], `Set aud to ${aud}.`));
    }
    return verdict(
      findings,
      probes,
      describe(first),
      fixed('audience', [key === undefined ? 'no other audience was tried: there is no key to re-sign the request with' : 'no other audience worked either']),
    );
  }
  if (candidates.includes('user') && candidates.includes('app-access')) {
    const a =
      otherEnv.base === undefined
        ? undefined
        : await probe(`the ${otherEnv.name} environment`, `the same user at ${otherEnv.base} with aud ${otherEnv.audience}`, { base: otherEnv.base, audience: otherEnv.audience });
    if (a !== undefined && a.status !== 0 && (a.ok || a.errorDescription !== first.errorDescription)) {
      return verdict(
        findings,
        probes,
        describe(first),
        fixed(
          'user',
          [`at ${otherEnv.base ?? ''} the same user gets ${describe(a)}: the user belongs to the ${otherEnv.name} environment`],
          [],
          `Log ${input.username} in at ${otherEnv.base ?? ''} with aud ${otherEnv.audience}.`,
        ),
      );
    }
    return verdict(
      findings,
      probes,
      describe(first),
      fixed(
        'app-access',
        [
          otherEnv.base === undefined
            ? `the ${otherEnv.name} environment was not probed (give its login URL with --other-login)`
            : a === undefined
              ? `the ${otherEnv.name} environment was not probed${key === undefined ? ': there is no key to re-sign the request with' : ''}`
              : 'the user is not known in the other environment either',
          'Salesforce gives this answer when the user never approved a self-authorize app, and also for a username it does not know: check the spelling',
        ],
        ['user'],
      ),
    );
  }
  if (candidates.includes('signature')) {
    const certNote = input.certificate === undefined ? 'no certificate was given to compare the key with' : 'the key matches the certificate given, so the app holds another one';
    return verdict(findings, probes, describe(first), fixed('signature', ['the assertion is well formed, RS256, and not expired', certNote], ['assertion']));
  }
  if (candidates.includes('expiry'))
    return verdict(
      findings,
      probes,
      describe(first),
      fixed('expiry', [findings.some((f) => f.id === 'clock-skew') ? 'the clocks differ (see clock-skew)' : "exp is computed at signing; check the signing machine's clock"]),
    );
  if (candidates.includes('transient')) {
    const a = await probe('a retry', 'the same request again', {});
    return verdict(findings, probes, describe(first), fixed('transient', a === undefined ? [] : [`a retry got ${describe(a)}`]));
  }
  const only = candidates[0];
  if (only !== undefined) return verdict(findings, probes, describe(first), fixed(only, []));
  return verdict(findings, probes, describe(first), {
    check: 'host',
    title: 'An answer sfjwt does not know',
    evidence: [`Salesforce answered ${describe(first)}`],
    fix: 'Compare with npx sfjwt explain <error>.',
    alternatives: [],
  });
}

function verdict(findings: DiagnosticFinding[], probes: Probe[], answer: string, rootCause: RootCause | null): DoctorReport {
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (ORDER.get(a.check) ?? 99) - (ORDER.get(b.check) ?? 99));
  return { ok: rootCause === null && answer.startsWith('200'), answer, rootCause, findings: sorted, probes };
}
