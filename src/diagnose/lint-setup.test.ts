/**
 * The setup lints, case by case: each input a trained eye rejects before any request, with the exact
 * finding (id, check, severity, title, what it saw, the fix), and the inputs it must leave alone
 * (a sandbox user at test, a country's second-level domain, a sub-domain, the token URL as login URL).
 * Then how the doctor merges them with the key and claim findings they cover, and the root cause of
 * a key that cannot be opened.
 */
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCsr } from '../../lib/pki/bundle.ts';
import { testKeys } from '../../mock-server/testing/fixtures.ts';
import type { DiagnosticFinding } from './finding.ts';
import { lintSetup, type SetupLintInput, unopenableKey, withSetupFindings } from './lint-setup.ts';

const BASE: SetupLintInput = { loginUrl: 'https://login.salesforce.com', consumerKey: '3MVG9sfjwtLintSetupKey', username: 'integration@acme.com' };
const finding = (id: string, check: DiagnosticFinding['check'], severity: DiagnosticFinding['severity'], title: string, saw: string, fix: string): DiagnosticFinding => ({
  id,
  check,
  severity,
  title,
  saw,
  fix,
});
const LOGIN_FIX = (url: string) => `Use ${url} as the login URL; sfjwt adds /services/oauth2/token.`;
const DETAILS = 'Setup > App Manager > (app) > View > Manage Consumer Details';

describe('lintSetup: the username and the environment', () => {
  it.each([
    [
      'a sandbox username at login.salesforce.com',
      { username: 'integration@acme.com.uat' },
      finding(
        'username-sandbox-at-production',
        'user',
        'error',
        'The username belongs to a sandbox, the login URL to production',
        `integration@acme.com.uat ends with ".uat", the suffix Salesforce appends to usernames in the sandbox "uat"; the login URL https://login.salesforce.com is production's`,
        "Log integration@acme.com.uat in at https://test.salesforce.com (or the sandbox's My Domain, https://<domain>--uat.sandbox.my.salesforce.com) with aud https://test.salesforce.com.",
      ),
    ],
    [
      "a sandbox username at the production My Domain: the sandbox's My Domain is named",
      { username: 'integration@acme.com.uat', loginUrl: 'https://acme.my.salesforce.com/' },
      finding(
        'username-sandbox-at-production',
        'user',
        'error',
        'The username belongs to a sandbox, the login URL to production',
        `integration@acme.com.uat ends with ".uat", the suffix Salesforce appends to usernames in the sandbox "uat"; the login URL https://acme.my.salesforce.com is production's`,
        "Log integration@acme.com.uat in at https://test.salesforce.com (or the sandbox's My Domain, https://acme--uat.sandbox.my.salesforce.com) with aud https://test.salesforce.com.",
      ),
    ],
    [
      'a sandbox username at a host that does not say (a proxy, the mock): the production aud sent tells, and the sandbox host given is named',
      { username: 'integration@acme.com.uat', loginUrl: 'https://127.0.0.1:8443', audience: 'https://login.salesforce.com', hosts: { test: 'https://127.0.0.1:8444' } },
      finding(
        'username-sandbox-at-production',
        'user',
        'error',
        'The username belongs to a sandbox, the login URL to production',
        `integration@acme.com.uat ends with ".uat", the suffix Salesforce appends to usernames in the sandbox "uat"; the setup sends aud https://login.salesforce.com, production's, to https://127.0.0.1:8443`,
        'Log integration@acme.com.uat in at https://127.0.0.1:8444 with aud https://test.salesforce.com.',
      ),
    ],
    [
      'a plain username at test.salesforce.com (a warning: production usernames exist in sandboxes only with a suffix)',
      { loginUrl: 'https://test.salesforce.com' },
      finding(
        'username-production-at-sandbox',
        'user',
        'warning',
        'A production-style username at a sandbox login URL',
        "integration@acme.com has no sandbox suffix; the login URL https://test.salesforce.com is a sandbox's",
        'A sandbox copy of a production user has the sandbox name appended (integration@acme.com.<sandbox name>): use that username here; a production user logs in at https://login.salesforce.com with aud https://login.salesforce.com.',
      ),
    ],
    [
      "a plain username at the sandbox's My Domain: the sandbox's copy is named",
      { loginUrl: 'https://acme--uat.sandbox.my.salesforce.com' },
      finding(
        'username-production-at-sandbox',
        'user',
        'warning',
        'A production-style username at a sandbox login URL',
        "integration@acme.com has no sandbox suffix; the login URL https://acme--uat.sandbox.my.salesforce.com is a sandbox's",
        'A sandbox copy of a production user has the sandbox name appended (integration@acme.com.uat): use that username here; a production user logs in at https://login.salesforce.com with aud https://login.salesforce.com.',
      ),
    ],
    [
      "another sandbox's username at a sandbox My Domain",
      { loginUrl: 'https://acme--uat.sandbox.my.salesforce.com', username: 'integration@acme.com.qa2' },
      finding(
        'username-other-sandbox',
        'user',
        'warning',
        'The username belongs to another sandbox',
        `integration@acme.com.qa2 ends with ".qa2", the login URL is the sandbox "uat"'s My Domain`,
        `Log integration@acme.com.qa2 in at the sandbox "qa2" (https://acme--qa2.sandbox.my.salesforce.com or https://test.salesforce.com), or use this sandbox's copy of the user (integration@acme.com.uat).`,
      ),
    ],
    [
      'a user Id',
      { username: '005Hs00000AbCdEIAZ' },
      finding(
        'username-is-user-id',
        'user',
        'error',
        'The username is a user Id',
        "the username 005Hs00000AbCdEIAZ is a user's record Id (005…)",
        "Use the user's username (Setup > Users > the user > Username), not the Id.",
      ),
    ],
    [
      'a name with a space',
      { username: 'Integration User' },
      finding(
        'username-has-spaces',
        'user',
        'error',
        'The username has spaces',
        'the username "Integration User"',
        'A Salesforce username is one word shaped like an e-mail address (name@acme.com): Setup > Users > the user > Username.',
      ),
    ],
    [
      'a line break after the username',
      { username: 'integration@acme.com\n' },
      finding('username-has-spaces', 'user', 'error', 'White space around the username', 'the username "integration@acme.com\\n"', 'Remove the white space or line break around the username.'),
    ],
    [
      'no @',
      { username: 'integration' },
      finding(
        'username-not-a-username',
        'user',
        'error',
        'The username has no @',
        'the username "integration"',
        'A Salesforce username is shaped like an e-mail address (name@acme.com), not a name, alias or nickname: Setup > Users > the user > Username.',
      ),
    ],
    [
      'a consumer key as the username',
      { username: '3MVG9sfjwtLintSetupKey' },
      finding(
        'username-is-consumer-key',
        'user',
        'error',
        'The username is a consumer key',
        'the username 3MVG9sfjwtLi… starts with 3MVG, as consumer keys do',
        "The consumer key goes in the client id (iss); the username (sub) is the user's Salesforce username, shaped like an e-mail address (Setup > Users).",
      ),
    ],
  ] as const)('%s', (_name, over, want) => {
    expect(lintSetup({ ...BASE, ...over })).toEqual([want]);
  });

  it.each([
    ['a sandbox user at test.salesforce.com', { loginUrl: 'https://test.salesforce.com', username: 'integration@acme.com.uat' }],
    ["a sandbox user at its sandbox's My Domain", { loginUrl: 'https://acme--uat.sandbox.my.salesforce.com', username: 'integration@acme.com.uat' }],
    ['a country second-level domain (.co.uk) at login', { username: 'integration@acme.co.uk' }],
    ['a sub-domain (eu.acme.com) at login', { username: 'integration@eu.acme.com' }],
    ['a username at a host that does not say, with no aud', { loginUrl: 'https://127.0.0.1:8443', username: 'integration@acme.com.uat' }],
    ['an e-mail-shaped username: what usernames look like', { username: 'first.last+jwt@acme.example.com' }],
    ['no username given (a captured request diagnosed without it)', { username: '', consumerKey: '' }],
  ] as const)('leaves alone %s', (_name, over) => {
    expect(lintSetup({ ...BASE, ...over })).toEqual([]);
  });
});

describe('lintSetup: the consumer key', () => {
  it.each([
    [
      'an old consumer secret (19 digits)',
      { consumerKey: '5179416960869012345' },
      [
        finding(
          'client-id-is-consumer-secret',
          'issuer',
          'error',
          'The client id is the consumer secret',
          'the client id is 19 digits, the shape of a consumer secret; consumer keys start with 3MVG',
          `Use the consumer key (3MVG9…), not the secret, as iss: copy it from ${DETAILS}. The JWT Bearer flow needs no secret.`,
        ),
      ],
    ],
    [
      'a newer consumer secret (64 hexadecimal characters)',
      { consumerKey: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
      [
        finding(
          'client-id-is-consumer-secret',
          'issuer',
          'error',
          'The client id is the consumer secret',
          'the client id is 64 hexadecimal characters, the shape of a consumer secret; consumer keys start with 3MVG',
          `Use the consumer key (3MVG9…), not the secret, as iss: copy it from ${DETAILS}. The JWT Bearer flow needs no secret.`,
        ),
      ],
    ],
    [
      'a username as the client id',
      { consumerKey: 'integration@acme.com' },
      [
        finding(
          'client-id-is-username',
          'issuer',
          'error',
          'The client id is a username',
          'the client id integration@acme.com is shaped like a username or an e-mail address',
          `The client id (iss) is the app's consumer key (3MVG9…) from ${DETAILS}; the username goes in sub.`,
        ),
      ],
    ],
    [
      'the client id and the username swapped',
      { consumerKey: 'integration@acme.com', username: '3MVG9sfjwtLintSetupKey' },
      [
        finding(
          'client-id-username-swapped',
          'issuer',
          'error',
          'The client id and the username are swapped',
          'the client id is integration@acme.com and the username starts with 3MVG',
          'Swap them: the consumer key (3MVG9…) is the client id (iss), the username is sub.',
        ),
        finding(
          'username-is-consumer-key',
          'user',
          'error',
          'The username is a consumer key',
          'the username 3MVG9sfjwtLi… starts with 3MVG, as consumer keys do',
          "The consumer key goes in the client id (iss); the username (sub) is the user's Salesforce username, shaped like an e-mail address (Setup > Users).",
        ),
      ],
    ],
    [
      "the connected app's record Id",
      { consumerKey: '0H4Hs000000AbCd' },
      [
        finding(
          'client-id-is-record-id',
          'issuer',
          'error',
          'The client id is a record Id',
          "the client id 0H4Hs000000AbCd is the connected app's record Id (0H4…)",
          `Use the app's consumer key (3MVG9…) from ${DETAILS}, not a record Id.`,
        ),
      ],
    ],
    [
      "the app's name",
      { consumerKey: 'Acme Integration' },
      [
        finding(
          'client-id-has-spaces',
          'issuer',
          'error',
          'The client id has spaces',
          'the client id "Acme Integration": an app name?',
          `Use the app's consumer key (3MVG9…), not its name: ${DETAILS}.`,
        ),
      ],
    ],
    [
      'a line break after the consumer key',
      { consumerKey: '3MVG9sfjwtLintSetupKey\r\n' },
      [
        finding(
          'client-id-has-spaces',
          'issuer',
          'error',
          'White space around the consumer key',
          'the consumer key has white space or a line break around it',
          'Remove the white space or line break around the consumer key.',
        ),
      ],
    ],
    ['a short consumer key: not a record Id', { consumerKey: '3MVG9unknownKey' }, []],
  ] as const)('%s', (_name, over, want) => {
    expect(lintSetup({ ...BASE, ...over })).toEqual(want);
  });
});

describe('lintSetup: the login URL', () => {
  it.each([
    [
      'the Lightning UI host',
      'https://acme.lightning.force.com/lightning/page/home',
      finding(
        'login-url-ui-host',
        'host',
        'error',
        'The login URL is the Lightning UI host',
        'https://acme.lightning.force.com/lightning/page/home: the Lightning UI host serves pages and answers a token request with a redirect',
        LOGIN_FIX('https://acme.my.salesforce.com'),
      ),
    ],
    [
      "a sandbox's Setup host",
      'https://acme--uat.sandbox.my.salesforce-setup.com/lightning/setup/SetupOneHome/home',
      finding(
        'login-url-ui-host',
        'host',
        'error',
        'The login URL is the Setup host',
        'https://acme--uat.sandbox.my.salesforce-setup.com/lightning/setup/SetupOneHome/home: the Setup host serves pages and answers a token request with a redirect',
        LOGIN_FIX('https://acme--uat.sandbox.my.salesforce.com'),
      ),
    ],
    [
      'a Visualforce host',
      'https://acme--c.vf.force.com/apex/Page',
      finding(
        'login-url-ui-host',
        'host',
        'error',
        'The login URL is a Visualforce host',
        'https://acme--c.vf.force.com/apex/Page: a Visualforce host serves pages and answers a token request with a redirect',
        LOGIN_FIX('https://acme.my.salesforce.com'),
      ),
    ],
    [
      'a Setup page on My Domain',
      'https://acme.my.salesforce.com/lightning/setup/ConnectedApplication/home',
      finding(
        'login-url-ui-page',
        'path',
        'error',
        'The login URL is a Setup page',
        'https://acme.my.salesforce.com/lightning/setup/ConnectedApplication/home is a Setup page, not a login host',
        LOGIN_FIX('https://acme.my.salesforce.com'),
      ),
    ],
    [
      '/one/one.app',
      'https://acme.my.salesforce.com/one/one.app',
      finding(
        'login-url-ui-page',
        'path',
        'error',
        'The login URL is the Lightning Experience app (/one/one.app)',
        'https://acme.my.salesforce.com/one/one.app is the Lightning Experience app (/one/one.app), not a login host',
        LOGIN_FIX('https://acme.my.salesforce.com'),
      ),
    ],
    [
      'frontdoor.jsp, its session Id not shown',
      'https://acme.my.salesforce.com/secur/frontdoor.jsp?sid=00Dxx0000000001!AQ4AQsecret',
      finding(
        'login-url-ui-page',
        'path',
        'error',
        'The login URL is the frontdoor.jsp session link',
        'https://acme.my.salesforce.com/secur/frontdoor.jsp is the frontdoor.jsp session link, not a login host',
        LOGIN_FIX('https://acme.my.salesforce.com'),
      ),
    ],
    [
      'an Experience Cloud site page: the site URL keeps its prefix',
      'https://acme.my.site.com/customers/s/login',
      finding(
        'login-url-site-page',
        'path',
        'error',
        'The login URL is an Experience Cloud site page',
        'https://acme.my.site.com/customers/s/login is a page of the site (/s/…)',
        LOGIN_FIX('https://acme.my.site.com/customers'),
      ),
    ],
    [
      'the authorize endpoint',
      'https://login.salesforce.com/services/oauth2/authorize?response_type=code',
      finding(
        'login-url-endpoint',
        'path',
        'error',
        'The login URL is another endpoint',
        'https://login.salesforce.com/services/oauth2/authorize is the OAuth authorize endpoint (for the browser flows)',
        LOGIN_FIX('https://login.salesforce.com'),
      ),
    ],
    [
      '/services/oauth/token (the "2" forgotten)',
      'https://login.salesforce.com/services/oauth/token',
      finding(
        'login-url-endpoint',
        'path',
        'error',
        'The login URL is another endpoint',
        'https://login.salesforce.com/services/oauth/token is /services/oauth/token (the "2" is missing)',
        LOGIN_FIX('https://login.salesforce.com'),
      ),
    ],
    [
      'a query string: its names shown, not its values',
      'https://login.salesforce.com/?locale=us&un=me',
      finding('login-url-query', 'path', 'error', 'The login URL has a query string', 'https://login.salesforce.com/ has a query string (locale, un)', LOGIN_FIX('https://login.salesforce.com')),
    ],
    [
      'plain http to Salesforce',
      'http://login.salesforce.com',
      finding('login-url-plain-http', 'tls', 'error', 'The login URL is plain http://', 'http://login.salesforce.com/', 'Use https:// (https://login.salesforce.com).'),
    ],
  ] as const)('%s', (_name, loginUrl, want) => {
    expect(lintSetup({ ...BASE, username: '', loginUrl })).toEqual([want]);
  });

  it.each([
    ['the token URL itself (sfjwt strips the path)', 'https://login.salesforce.com/services/oauth2/token'],
    ["a site's URL with its prefix", 'https://acme.my.site.com/customers'],
    ['plain http to a local proxy', 'http://127.0.0.1:8080'],
    ['a login URL that is not a URL (the doctor says so: login-url-invalid)', 'login.salesforce.com'],
  ])('leaves alone %s', (_name, loginUrl) => {
    expect(lintSetup({ ...BASE, loginUrl })).toEqual([]);
  });
});

describe('lintSetup: aud and the key files', () => {
  it('aud of the other environment: the assertion lint aud-wrong-environment, not a second one', () => {
    expect(lintSetup({ ...BASE, audience: 'https://test.salesforce.com' })).toEqual([
      finding(
        'aud-wrong-environment',
        'audience',
        'error',
        'Sandbox audience sent to a production host',
        'aud https://test.salesforce.com posted to login.salesforce.com',
        'Production: aud https://login.salesforce.com. Sandbox: post to https://test.salesforce.com.',
      ),
    ]);
  });

  const { privateKeyPem, certificatePem } = testKeys();
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const csrPem = createCsr(privateKeyPem, publicKeyPem, [{ shortName: 'CN', value: 'sfjwt' }]);
  const file = (text: string | Buffer, source: string) => ({ data: Buffer.from(text), source });
  it.each([
    [
      'the certificate as the key',
      { key: file(certificatePem, 'server.crt') },
      finding(
        'key-is-certificate',
        'signature',
        'error',
        'The key file is a certificate, not the private key',
        'server.crt is an X.509 certificate ("BEGIN CERTIFICATE")',
        'Sign with the private key the certificate was made from (server.key, "BEGIN PRIVATE KEY"); the certificate goes to the connected app (and to --cert, to compare).',
      ),
    ],
    [
      'the public key as the key',
      { key: file(publicKeyPem, 'public.key') },
      finding(
        'key-is-public-key',
        'signature',
        'error',
        'The key file is a public key, not the private key',
        'public.key is a public key ("BEGIN PUBLIC KEY")',
        'Sign with the private key (server.key, "BEGIN PRIVATE KEY") whose certificate is on the connected app; a public key holds no private key.',
      ),
    ],
    [
      'the CSR as the key',
      { key: file(csrPem, 'server.csr') },
      finding(
        'key-is-csr',
        'signature',
        'error',
        'The key file is a certificate signing request, not the private key',
        'server.csr is a certificate signing request ("BEGIN CERTIFICATE REQUEST")',
        'Sign with the private key (server.key, "BEGIN PRIVATE KEY") whose certificate is on the connected app; a certificate signing request holds no private key.',
      ),
    ],
    [
      'the key and the certificate swapped',
      { key: file(certificatePem, 'server.crt'), certificate: file(privateKeyPem, 'server.key') },
      finding(
        'key-cert-swapped',
        'signature',
        'error',
        'The key and the certificate are swapped',
        'the key file server.crt is a certificate and the certificate file server.key is a private key',
        'Swap them: the key is server.key, the certificate server.crt.',
      ),
    ],
  ] as const)('%s', (_name, over, want) => {
    expect(lintSetup({ ...BASE, ...over })).toEqual([want]);
  });

  it('a private key and its certificate: nothing', () => {
    expect(lintSetup({ ...BASE, key: file(privateKeyPem, 'server.key'), certificate: file(certificatePem, 'server.crt') })).toEqual([]);
  });
});

describe('withSetupFindings and unopenableKey', () => {
  const other = (id: string, saw = 'x'): DiagnosticFinding => finding(id, 'signature', 'error', id, saw, '');
  it('drops what a setup finding covers and a second copy of the same finding, and keeps the rest', () => {
    const setup = [finding('key-is-certificate', 'signature', 'error', 't', 's', 'f'), finding('aud-wrong-environment', 'audience', 'error', 't', 'aud A posted to B', 'f')];
    const merged = withSetupFindings(setup, [other('key-not-private'), other('cert-expired'), finding('aud-wrong-environment', 'audience', 'error', 't', 'aud A posted to B', 'f')]);
    expect(merged.map((f) => f.id)).toEqual(['cert-expired', 'aud-wrong-environment', 'key-is-certificate']);
  });

  it.each([
    [
      'no passphrase',
      finding(
        'key-needs-passphrase',
        'signature',
        'error',
        'The key is encrypted and no passphrase was given',
        'server.pass.key is an encrypted private key … and needs a passphrase',
        'Pass --passphrase …',
      ),
      'The key cannot be opened: it is encrypted and no passphrase was given',
      'Give the passphrase of server.pass.key: --passphrase P, or SFJWT_KEY_PASSPHRASE (other local users cannot read it, as they can a flag), or passphrase in the target; or give the unencrypted key.',
    ],
    [
      'a wrong passphrase',
      finding('key-wrong-passphrase', 'signature', 'error', 'Wrong passphrase', 'the passphrase does not open server.pass.key', 'Check the passphrase …'),
      'The key cannot be opened: the passphrase does not open it',
      'Give the passphrase server.pass.key was encrypted with (it is case-sensitive; a JKS key password may differ from the store password) with --passphrase or SFJWT_KEY_PASSPHRASE, or the key file this passphrase belongs to.',
    ],
    [
      'a damaged file',
      finding(
        'key-unreadable',
        'signature',
        'error',
        'The key cannot be read',
        'server.key looks like … but cannot be read: it is damaged, cut short or edited (…)',
        'Copy the key file again, whole.',
      ),
      'The key cannot be opened: the file is damaged',
      'Copy the key file again, whole.',
    ],
    [
      'a certificate (the setup finding says it plainly)',
      finding('key-is-certificate', 'signature', 'error', 'The key file is a certificate, not the private key', 'server.crt is an X.509 certificate', 'Sign with the private key …'),
      'The key cannot be opened: the key file is a certificate, not the private key',
      'Sign with the private key …',
    ],
  ] as const)('%s', (_name, f, title, fix) => {
    expect(unopenableKey([f], 'server.pass.key')).toEqual({ check: 'signature', title, evidence: [f.saw, 'nothing was sent: without the key the assertion cannot be signed'], fix });
  });
});
