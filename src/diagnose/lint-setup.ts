/**
 * The setup lints: what a trained eye sees in a JWT Bearer setup before any request is sent — the
 * login URL, the consumer key, the username, the audience and the key and certificate files — each a
 * finding naming the token-endpoint check the setup will fail. A sandbox username at a production
 * login URL (and the reverse), a user Id or a consumer key where the username goes, the consumer
 * secret or a username where the consumer key goes, a Lightning, Setup or Experience Cloud page
 * instead of the login host, plain http, a certificate, public key or CSR given as the key. Only what
 * is certain from the values themselves: an e-mail-shaped username is what usernames look like.
 */
import { detectMaterial, MATERIAL_NAMES, type MaterialKind } from '../../lib/pki/detect.ts';
import { isSalesforceHost, LOGIN_URL, myDomainHostName, salesforceHostKind, sandboxSuffix, TEST_URL } from '../../lib/salesforce-hosts.ts';
import type { CheckId } from '../../mock-server/core/check.ts';
import type { DiagnosticFinding } from './finding.ts';
import { audienceEnvironmentFindings } from './lint-assertion.ts';
import { CONSUMER_KEY_PREFIX, consumerSecretShape, isRecordId, isUserId } from './salesforce-shapes.ts';

export interface SetupLintInput {
  loginUrl: string;
  consumerKey: string;
  username: string;
  /** The aud the setup sends (given, or the one the doctor would choose); it tells the environment of a login URL whose host does not. */
  audience?: string | undefined;
  key?: { data: Buffer; source: string } | undefined;
  certificate?: { data: Buffer; source: string } | undefined;
  /** Login URLs of the other environment, named in fixes when given (the doctor's probe hosts). */
  hosts?: { login?: string | undefined; test?: string | undefined } | undefined;
}

const CONSUMER_DETAILS = 'Setup > App Manager > (app) > View > Manage Consumer Details';

type Environment = { sandbox: boolean; because: string };

/** Where the setup logs in: by the login URL's host, else by the audience it sends; undefined when neither tells. */
function environmentOf(url: URL | undefined, loginUrl: string, audience: string | undefined): Environment | undefined {
  const host = url?.hostname.toLowerCase();
  const kind = host === undefined ? 'other' : salesforceHostKind(host);
  if (kind === 'login' || kind === 'my-domain') return { sandbox: false, because: `the login URL ${loginUrl} is production's` };
  if (kind === 'test' || kind === 'sandbox-my-domain') return { sandbox: true, because: `the login URL ${loginUrl} is a sandbox's` };
  if (kind === 'site')
    return host?.includes('.sandbox.') === true
      ? { sandbox: true, because: `the login URL ${loginUrl} is a sandbox's site` }
      : { sandbox: false, because: `the login URL ${loginUrl} is a production site` };
  const audHost = /^(?:https?:\/\/)?([^/]+)/i.exec(audience?.trim() ?? '')?.[1]?.toLowerCase();
  const audKind = audHost === undefined ? 'other' : salesforceHostKind(audHost);
  if (audKind === 'login' || audKind === 'my-domain') return { sandbox: false, because: `the setup sends aud ${audience ?? ''}, production's, to ${loginUrl}` };
  if (audKind === 'test' || audKind === 'sandbox-my-domain') return { sandbox: true, because: `the setup sends aud ${audience ?? ''}, a sandbox's, to ${loginUrl}` };
  return undefined;
}

/** `acme` and `uat` of acme--uat.sandbox.my.salesforce.com; `acme` of acme.my.salesforce.com. */
function myDomainParts(host: string | undefined): { domain: string; sandbox?: string } | undefined {
  const sandbox = /^([a-z0-9-]+?)--([a-z0-9]+)\.sandbox\.my\.salesforce\.com$/i.exec(host ?? '');
  if (sandbox !== null) return { domain: sandbox[1] ?? '', sandbox: (sandbox[2] ?? '').toLowerCase() };
  const production = /^([a-z0-9-]+)\.my\.salesforce\.com$/i.exec(host ?? '');
  return production === null ? undefined : { domain: production[1] ?? '' };
}

function usernameFindings(input: SetupLintInput, url: URL | undefined): DiagnosticFinding[] {
  const raw = input.username;
  const u = raw.trim();
  // Not given (a captured request diagnosed without it): nothing to judge.
  if (raw === '') return [];
  const finding = (id: string, title: string, saw: string, fix: string, severity: 'error' | 'warning' = 'error'): DiagnosticFinding[] => [{ id, check: 'user', severity, title, saw, fix }];
  if (u.startsWith(CONSUMER_KEY_PREFIX) && !u.includes('@')) {
    return finding(
      'username-is-consumer-key',
      'The username is a consumer key',
      `the username ${u.slice(0, 12)}… starts with ${CONSUMER_KEY_PREFIX}, as consumer keys do`,
      `The consumer key goes in the client id (iss); the username (sub) is the user's Salesforce username, shaped like an e-mail address (Setup > Users).`,
    );
  }
  if (isUserId(u))
    return finding('username-is-user-id', 'The username is a user Id', `the username ${u} is a user's record Id (005…)`, "Use the user's username (Setup > Users > the user > Username), not the Id.");
  if (/\s/.test(raw)) {
    const around = !/\s/.test(u);
    return finding(
      'username-has-spaces',
      around ? 'White space around the username' : 'The username has spaces',
      `the username ${JSON.stringify(raw)}`,
      around ? 'Remove the white space or line break around the username.' : 'A Salesforce username is one word shaped like an e-mail address (name@acme.com): Setup > Users > the user > Username.',
    );
  }
  if (!u.includes('@'))
    return finding(
      'username-not-a-username',
      'The username has no @',
      `the username ${JSON.stringify(u)}`,
      'A Salesforce username is shaped like an e-mail address (name@acme.com), not a name, alias or nickname: Setup > Users > the user > Username.',
    );

  const env = environmentOf(url, url === undefined ? input.loginUrl : `${url.origin}${url.pathname.replace(/\/+$/, '')}`, input.audience);
  if (env === undefined) return [];
  const suffix = sandboxSuffix(u);
  const parts = myDomainParts(url?.hostname.toLowerCase());
  if (suffix !== undefined && !env.sandbox) {
    const sandboxMyDomain = parts === undefined ? `https://<domain>--${suffix}.sandbox.my.salesforce.com` : `https://${myDomainHostName(`${parts.domain}--${suffix}`, true)}`;
    const where = input.hosts?.test ?? `${TEST_URL} (or the sandbox's My Domain, ${sandboxMyDomain})`;
    return finding(
      'username-sandbox-at-production',
      'The username belongs to a sandbox, the login URL to production',
      `${u} ends with ".${suffix}", the suffix Salesforce appends to usernames in the sandbox "${suffix}"; ${env.because}`,
      `Log ${u} in at ${where} with aud ${TEST_URL}.`,
    );
  }
  if (suffix === undefined && env.sandbox) {
    const copy = parts?.sandbox === undefined ? `${u}.<sandbox name>` : `${u}.${parts.sandbox}`;
    return finding(
      'username-production-at-sandbox',
      'A production-style username at a sandbox login URL',
      `${u} has no sandbox suffix; ${env.because}`,
      `A sandbox copy of a production user has the sandbox name appended (${copy}): use that username here; a production user logs in at ${input.hosts?.login ?? LOGIN_URL} with aud ${LOGIN_URL}.`,
      'warning',
    );
  }
  if (suffix !== undefined && parts?.sandbox !== undefined && suffix !== parts.sandbox) {
    return finding(
      'username-other-sandbox',
      'The username belongs to another sandbox',
      `${u} ends with ".${suffix}", the login URL is the sandbox "${parts.sandbox}"'s My Domain`,
      `Log ${u} in at the sandbox "${suffix}" (https://${myDomainHostName(`${parts.domain}--${suffix}`, true)} or ${TEST_URL}), or use this sandbox's copy of the user (${u.slice(0, -suffix.length)}${parts.sandbox}).`,
      'warning',
    );
  }
  return [];
}

function consumerKeyFindings(input: SetupLintInput): DiagnosticFinding[] {
  const raw = input.consumerKey;
  const k = raw.trim();
  if (raw === '') return [];
  const finding = (id: string, title: string, saw: string, fix: string): DiagnosticFinding[] => [{ id, check: 'issuer', severity: 'error', title, saw, fix }];
  const secret = consumerSecretShape(k);
  if (secret !== undefined)
    return finding(
      'client-id-is-consumer-secret',
      'The client id is the consumer secret',
      `the client id is ${secret}, the shape of a consumer secret; consumer keys start with ${CONSUMER_KEY_PREFIX}`,
      `Use the consumer key (3MVG9…), not the secret, as iss: copy it from ${CONSUMER_DETAILS}. The JWT Bearer flow needs no secret.`,
    );
  if (k.includes('@') && !/\s/.test(k)) {
    const swapped = input.username.trim().startsWith(CONSUMER_KEY_PREFIX);
    return finding(
      swapped ? 'client-id-username-swapped' : 'client-id-is-username',
      swapped ? 'The client id and the username are swapped' : 'The client id is a username',
      swapped ? `the client id is ${k} and the username starts with ${CONSUMER_KEY_PREFIX}` : `the client id ${k} is shaped like a username or an e-mail address`,
      swapped
        ? 'Swap them: the consumer key (3MVG9…) is the client id (iss), the username is sub.'
        : `The client id (iss) is the app's consumer key (3MVG9…) from ${CONSUMER_DETAILS}; the username goes in sub.`,
    );
  }
  if (isRecordId(k))
    return finding(
      'client-id-is-record-id',
      'The client id is a record Id',
      `the client id ${k} is ${isUserId(k) ? 'a user Id (005…)' : k.startsWith('0H4') ? "the connected app's record Id (0H4…)" : 'a Salesforce record Id'}`,
      `Use the app's consumer key (3MVG9…) from ${CONSUMER_DETAILS}, not a record Id.`,
    );
  if (/\s/.test(raw)) {
    const around = !/\s/.test(k);
    return finding(
      'client-id-has-spaces',
      around ? 'White space around the consumer key' : 'The client id has spaces',
      around ? 'the consumer key has white space or a line break around it' : `the client id ${JSON.stringify(k.slice(0, 40))}: an app name?`,
      around ? 'Remove the white space or line break around the consumer key.' : `Use the app's consumer key (3MVG9…), not its name: ${CONSUMER_DETAILS}.`,
    );
  }
  return [];
}

/** The My Domain origin a Lightning, Setup or Visualforce host belongs to (`acme.lightning.force.com` → `https://acme.my.salesforce.com`). */
function uiHost(host: string): { what: string; origin: string } | undefined {
  const lightning = /^(.+)\.lightning\.force\.com$/.exec(host);
  if (lightning !== null) return { what: 'the Lightning UI host', origin: `https://${lightning[1] ?? ''}.my.salesforce.com` };
  const setup = /^(.+)\.my\.salesforce-setup\.com$/.exec(host);
  if (setup !== null) return { what: 'the Setup host', origin: `https://${setup[1] ?? ''}.my.salesforce.com` };
  const vf = /^(.+)--[a-z0-9_]+\.(sandbox\.)?vf\.force\.com$/.exec(host);
  if (vf !== null) return { what: 'a Visualforce host', origin: `https://${myDomainHostName(vf[1] ?? '', vf[2] !== undefined)}` };
  return undefined;
}

/** Pages of the Salesforce UI a login URL is copied from, by path. */
const UI_PAGES: [RegExp, string][] = [
  [/^\/lightning\/setup(\/|$)/, 'a Setup page'],
  [/^\/lightning(\/|$)/, 'a Lightning Experience page'],
  [/^\/one\/one\.app/, 'the Lightning Experience app (/one/one.app)'],
  [/^\/secur\/frontdoor\.jsp/, 'the frontdoor.jsp session link'],
  [/^\/(setup|_ui|home|apex)(\/|$)/, 'a Salesforce Classic or Visualforce page'],
];

function loginUrlFindings(url: URL | undefined): DiagnosticFinding[] {
  if (url === undefined) return [];
  const host = url.hostname.toLowerCase();
  const onSalesforce = isSalesforceHost(host);
  const findings: DiagnosticFinding[] = [];
  const ui = uiHost(host);
  const origin = ui?.origin ?? `${onSalesforce ? 'https:' : url.protocol}//${url.host}`;
  const path = url.pathname.replace(/\/+$/, '');
  const lower = path.toLowerCase();
  // Shown without the query string, which may hold a session Id (frontdoor.jsp?sid=…).
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  const add = (id: string, check: CheckId, title: string, saw: string, use: string) =>
    findings.push({ id, check, severity: 'error', title, saw, fix: `Use ${use} as the login URL; sfjwt adds /services/oauth2/token.` });

  const page = UI_PAGES.find(([re]) => re.test(lower));
  const site = /^(.*?)\/s(\/|$)/.exec(path);
  const services = /^(.*?)\/services(\/|$)/i.exec(path);
  if (ui !== undefined) add('login-url-ui-host', 'host', `The login URL is ${ui.what}`, `${shown}: ${ui.what} serves pages and answers a token request with a redirect`, ui.origin);
  else if (page !== undefined) add('login-url-ui-page', 'path', `The login URL is ${page[1]}`, `${shown} is ${page[1]}, not a login host`, origin);
  else if (site !== null) add('login-url-site-page', 'path', 'The login URL is an Experience Cloud site page', `${shown} is a page of the site (/s/…)`, `${origin}${site[1] ?? ''}`);
  else if (services !== null && !/^\/services\/oauth2\/token$/i.test(path.slice((services[1] ?? '').length))) {
    const rest = path.slice((services[1] ?? '').length);
    const what = /^\/services\/oauth2\/authorize$/i.test(rest)
      ? 'the OAuth authorize endpoint (for the browser flows)'
      : /^\/services\/oauth\/token$/i.test(rest)
        ? '/services/oauth/token (the "2" is missing)'
        : `the endpoint ${rest}`;
    add('login-url-endpoint', 'path', 'The login URL is another endpoint', `${shown} is ${what}`, `${origin}${services[1] ?? ''}`);
  } else if (onSalesforce && url.search !== '')
    add(
      'login-url-query',
      'path',
      'The login URL has a query string',
      `${shown} has a query string (${[...new Set(url.searchParams.keys())].join(', ')})`,
      `${origin}${path.replace(/\/services\/oauth2\/token$/i, '')}`,
    );
  if (url.protocol === 'http:' && onSalesforce)
    findings.push({ id: 'login-url-plain-http', check: 'tls', severity: 'error', title: 'The login URL is plain http://', saw: shown, fix: `Use https:// (${origin}).` });
  return findings;
}

/** Plainer words for checkKeyMaterial's "not a private key", by what the file is. */
const NOT_A_KEY: Partial<Record<MaterialKind, { id: string; what: string }>> = {
  certificate: { id: 'key-is-certificate', what: 'a certificate' },
  'certificate-der': { id: 'key-is-certificate', what: 'a certificate' },
  'public-key': { id: 'key-is-public-key', what: 'a public key' },
  'public-key-der': { id: 'key-is-public-key', what: 'a public key' },
  csr: { id: 'key-is-csr', what: 'a certificate signing request' },
  'csr-der': { id: 'key-is-csr', what: 'a certificate signing request' },
};

const NOT_A_KEY_IDS = new Set(Object.values(NOT_A_KEY).map((v) => v.id));

const PRIVATE_KINDS = new Set<MaterialKind>([
  'private-key-pkcs1',
  'private-key-pkcs8',
  'private-key-ec',
  'private-key-der',
  'encrypted-private-key-legacy',
  'encrypted-private-key-pkcs8',
  'pkcs12',
  'jks',
]);

function keyFindings(input: SetupLintInput): DiagnosticFinding[] {
  if (input.key === undefined) return [];
  const kind = detectMaterial(input.key.data);
  const wrong = NOT_A_KEY[kind];
  if (wrong === undefined) return [];
  const source = input.key.source;
  const cert = input.certificate;
  if (wrong.id === 'key-is-certificate' && cert !== undefined && PRIVATE_KINDS.has(detectMaterial(cert.data)))
    return [
      {
        id: 'key-cert-swapped',
        check: 'signature',
        severity: 'error',
        title: 'The key and the certificate are swapped',
        saw: `the key file ${source} is a certificate and the certificate file ${cert.source} is a private key`,
        fix: `Swap them: the key is ${cert.source}, the certificate ${source}.`,
      },
    ];
  return [
    {
      id: wrong.id,
      check: 'signature',
      severity: 'error',
      title: `The key file is ${wrong.what}, not the private key`,
      saw: `${source} is ${MATERIAL_NAMES[kind]}`,
      fix:
        wrong.id === 'key-is-certificate'
          ? `Sign with the private key the certificate was made from (server.key, "BEGIN PRIVATE KEY"); the certificate goes to the connected app (and to --cert, to compare).`
          : `Sign with the private key (server.key, "BEGIN PRIVATE KEY") whose certificate is on the connected app; ${wrong.what} holds no private key.`,
    },
  ];
}

export function lintSetup(input: SetupLintInput): DiagnosticFinding[] {
  let url: URL | undefined;
  try {
    url = new URL(input.loginUrl);
  } catch {
    // The doctor reports a login URL that is not a URL (login-url-invalid).
  }
  const host = url?.hostname.toLowerCase();
  return [
    ...loginUrlFindings(url),
    ...consumerKeyFindings(input),
    ...usernameFindings(input, url),
    ...(input.audience === undefined ? [] : audienceEnvironmentFindings(input.audience, host)),
    ...keyFindings(input),
  ];
}

/** Findings of the other lints that say, less plainly, what a setup finding says of the same value. */
const COVERS: Record<string, readonly string[]> = {
  'login-url-ui-host': ['login-url-has-path'],
  'login-url-ui-page': ['login-url-has-path'],
  'login-url-site-page': ['login-url-has-path'],
  'login-url-endpoint': ['login-url-has-path'],
  'client-id-is-consumer-secret': ['iss-is-consumer-secret'],
  'client-id-is-username': ['iss-unusual'],
  'client-id-username-swapped': ['iss-unusual', 'sub-not-username'],
  'client-id-is-record-id': ['iss-unusual'],
  'client-id-has-spaces': ['iss-not-a-key', 'iss-unusual'],
  'username-is-consumer-key': ['sub-not-username'],
  'username-is-user-id': ['sub-is-user-id'],
  'username-has-spaces': ['sub-not-username'],
  'username-not-a-username': ['sub-not-username'],
  'username-sandbox-at-production': ['sub-sandbox-at-login'],
  'key-is-certificate': ['key-not-private'],
  'key-is-public-key': ['key-not-private'],
  'key-is-csr': ['key-not-private'],
  'key-cert-swapped': ['key-not-private', 'cert-not-certificate'],
};

/**
 * The setup findings with the others (key, assertion, request), without a finding a setup one covers
 * and without a second copy of the same finding (aud-wrong-environment comes from both lints).
 */
export function withSetupFindings(setup: readonly DiagnosticFinding[], others: readonly DiagnosticFinding[]): DiagnosticFinding[] {
  const covered = new Set(setup.flatMap((f) => COVERS[f.id] ?? []));
  const seen = new Set<string>();
  const all: DiagnosticFinding[] = [];
  for (const f of [...others.filter((o) => !covered.has(o.id)), ...setup]) {
    const same = `${f.id}\n${f.saw}`;
    if (seen.has(same)) continue;
    seen.add(same);
    all.push(f);
  }
  return all;
}

/** Why a key cannot be opened, by the key check's finding, in the words of a root cause. */
const UNOPENABLE: Record<string, (f: DiagnosticFinding, source: string) => { why: string; fix: string }> = {
  'key-needs-passphrase': (_f, source) => ({
    why: 'it is encrypted and no passphrase was given',
    fix: `Give the passphrase of ${source}: --passphrase P, or SFJWT_KEY_PASSPHRASE (other local users cannot read it, as they can a flag), or passphrase in the target; or give the unencrypted key.`,
  }),
  'key-wrong-passphrase': (_f, source) => ({
    why: 'the passphrase does not open it',
    fix: `Give the passphrase ${source} was encrypted with (it is case-sensitive; a JKS key password may differ from the store password) with --passphrase or SFJWT_KEY_PASSPHRASE, or the key file this passphrase belongs to.`,
  }),
  'key-alias-not-found': (f) => ({ why: 'no private key entry has that alias', fix: f.fix }),
  'key-not-private': (f) => ({ why: 'it is not a private key', fix: f.fix }),
  'key-unreadable': (f, source) => ({
    why: f.saw.includes('damaged') ? 'the file is damaged' : 'the file cannot be read as a private key',
    fix: f.fix === '' ? `Give the private key file itself (server.key, "BEGIN PRIVATE KEY"); ${source} cannot be read as one.` : f.fix,
  }),
};

/**
 * The root cause when the key cannot be opened (nothing can be signed, so nothing is sent): the
 * finding that says why (a setup finding first: it says it more plainly), with its fix; undefined
 * when the findings hold none.
 */
export function unopenableKey(findings: readonly DiagnosticFinding[], source: string): { check: CheckId; title: string; evidence: string[]; fix: string } | undefined {
  const notSent = 'nothing was sent: without the key the assertion cannot be signed';
  const plain = findings.find((f) => f.id === 'key-cert-swapped' || NOT_A_KEY_IDS.has(f.id));
  if (plain !== undefined)
    return { check: 'signature', title: `The key cannot be opened: ${plain.title.charAt(0).toLowerCase()}${plain.title.slice(1)}`, evidence: [plain.saw, notSent], fix: plain.fix };
  for (const f of findings) {
    const cause = UNOPENABLE[f.id]?.(f, source);
    if (cause !== undefined) return { check: 'signature', title: `The key cannot be opened: ${cause.why}`, evidence: [f.saw, notSent], fix: cause.fix };
  }
  return undefined;
}
