/**
 * A token request that gets no answer at all, reproduced for real on loopback and diagnosed by the
 * doctor: a closed port, certificates nobody here trusts (self-signed, a private CA, a TLS-inspecting
 * proxy's, the mock's own CA), an expired certificate and one for another name, http:// to an HTTPS
 * port and the reverse, a server that never answers, an nginx-style 400 page and a proxy's 407, and
 * login URLs that are no URL. DNS failures, connect timeouts and proxies come from an injected fetch
 * that throws what undici throws (no lookup is ever made). Then the pure classifier, case by case.
 */
import { createPublicKey } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { issueCertificate, type KeyPairPem, type SubjectField } from '../../lib/pki/generate.ts';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, otherPrivateKey, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { type FetchLike, fetchTrusting, type PresentedCertificate } from '../client/https-fetch.ts';
import { type DoctorInput, type RootCause, runDoctor } from './doctor.ts';
import { diagnoseNoAnswer, isNoAnswer, NO_ANSWER_CAUSES, NO_ANSWER_IDS, type NoAnswerId } from './no-answer.ts';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
// The doctor reads the proxy variables of the process: none unless a test sets them.
beforeEach(() => {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The key pairs of the certificates below: the run's test key for servers, RFC 7515's example key for CAs (nothing generated). */
const serverKeys = (): KeyPairPem => ({ privateKeyPem: testKeys().privateKeyPem, publicKeyPem: createPublicKey(testKeys().key).export({ type: 'spki', format: 'pem' }).toString() });
const caKeys = (): KeyPairPem => {
  const key = otherPrivateKey();
  return { privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString() };
};
const LOOPBACK: SubjectField[] = [{ shortName: 'CN', value: '127.0.0.1' }];
const ACME_CA: SubjectField[] = [
  { shortName: 'O', value: 'Acme Corp' },
  { shortName: 'CN', value: 'Acme Corp Root CA' },
];
const INSPECTING_CA: SubjectField[] = [{ shortName: 'CN', value: 'Zscaler Root CA' }];
const ca = (subject: SubjectField[]) => issueCertificate(caKeys(), { subject, isCa: true });
const leaf = (issuer: SubjectField[] | null, over: { dnsNames?: string[]; notBefore?: Date; days?: number } = {}) =>
  issueCertificate(serverKeys(), {
    subject: LOOPBACK,
    ...(over.dnsNames === undefined ? { ipAddresses: ['127.0.0.1'] } : { dnsNames: over.dnsNames }),
    ...(issuer === null ? {} : { issuer: { certificatePem: ca(issuer), privateKeyPem: caKeys().privateKeyPem } }),
    ...(over.notBefore === undefined ? {} : { notBefore: over.notBefore }),
    ...(over.days === undefined ? {} : { days: over.days }),
  });

interface Listening {
  port: number;
  close(): Promise<void>;
}
/** A server on 127.0.0.1:0, closed with every connection it holds. */
async function listen(server: HttpServer | NetServer): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
const tlsServer = (cert: string) => listen(createHttpsServer({ key: testKeys().privateKeyPem, cert }, (_req, res) => res.end('{}')));
const answering = (status: number, headers: Record<string, string>, body: string) =>
  listen(
    createHttpServer((_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    }),
  );

const input = (loginUrl: string, fetch: FetchLike = fetchTrusting(null)): DoctorInput => ({
  loginUrl,
  consumerKey: '3MVG9noAnswerTest',
  username: 'integration@acme.com',
  key: { data: Buffer.from(testKeys().privateKeyPem), source: 'server.key' },
  fetch,
  now: () => NOW,
});

const cause = (check: NoAnswerId, evidence: string[], over: { fix?: string; alternatives?: NoAnswerId[] } = {}): RootCause => ({
  check,
  title: NO_ANSWER_CAUSES[check].title,
  evidence,
  fix: over.fix ?? NO_ANSWER_CAUSES[check].fix,
  alternatives: over.alternatives ?? [],
});

describe('the causes', () => {
  it.each([
    ['login-url-invalid', 'The login URL is not a URL'],
    ['login-url-not-http', 'The login URL is not http(s)'],
    ['login-url-bad-port', 'The login URL names a port fetch refuses'],
    ['connection-refused', 'Nothing listens on that port (connection refused)'],
    ['dns', 'The host name does not resolve'],
    ['proxy', 'A proxy is in the way'],
    ['timeout', 'No answer in time (timeout)'],
    ['tls-untrusted-ca', "The server's certificate comes from a CA this machine does not trust"],
    ['tls-interception', 'A TLS-inspecting proxy answers in place of the server'],
    ['tls-cert-expired', "The server's certificate has expired, or this machine's clock is wrong"],
    ['tls-name-mismatch', 'The certificate does not name the host'],
    ['https-to-http-port', 'https:// was sent to a plain-HTTP port'],
    ['http-to-https-port', 'http:// was sent to an HTTPS port'],
    ['connection-closed', 'The connection closed before an answer'],
    ['no-answer', 'The request got no answer'],
  ] as const)('%s: "%s"', (id, title) => {
    expect(NO_ANSWER_CAUSES[id].title).toBe(title);
  });

  it('every id has a title, a description, how to confirm it and a fix; none is the old fallback', () => {
    expect(Object.keys(NO_ANSWER_CAUSES)).toEqual([...NO_ANSWER_IDS]);
    for (const c of Object.values(NO_ANSWER_CAUSES)) {
      for (const part of [c.description, c.confirm, c.fix]) expect(part.length).toBeGreaterThan(40);
      expect(c.title).not.toBe('An answer sfjwt does not know');
    }
  });

  it.each([
    ['tls-untrusted-ca', ['--ca FILE', 'NODE_EXTRA_CA_CERTS=FILE', '.sfjwt/tls/ca.crt', 'NODE_TLS_REJECT_UNAUTHORIZED=0']],
    ['tls-interception', ['--ca FILE', 'NODE_EXTRA_CA_CERTS=FILE', '*.salesforce.com']],
    ['tls-cert-expired', ['clock', '.sfjwt/tls/server.crt']],
    ['proxy', ['directly', '407']],
    ['http-to-https-port', ['https://', '--http']],
    ['https-to-http-port', ['HTTPS port', '--http']],
  ] as const)('the fix of %s says %j', (id, words) => {
    for (const w of words) expect(NO_ANSWER_CAUSES[id].fix).toContain(w);
  });
});

describe('the doctor when no answer comes, reproduced on loopback', () => {
  let mock: StartedMockOrg;
  const servers: Listening[] = [];
  const keep = async (l: Promise<Listening>) => {
    const s = await l;
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    mock = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), strict: true, stateDir: testStateDir('sfjwt-no-answer-') });
  });
  afterAll(async () => {
    await mock.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  const acmeCa = ca(ACME_CA);
  const token = (scheme: string, port: number) => `${scheme}://127.0.0.1:${port}/services/oauth2/token`;
  const sent = (scheme: string, port: number) => `the request went to ${token(scheme, port)}`;

  // Each row: the failing setup (a login URL, and the fetch when not the default one), and the root cause the doctor must give.
  it.each<[string, () => Promise<{ url: string; fetch?: FetchLike; port: number }>, (port: number) => { answer: string; rootCause: RootCause }]>([
    [
      'a port nothing listens on',
      async () => {
        const s = await listen(createNetServer());
        await s.close();
        return { url: `https://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (ECONNREFUSED)',
        rootCause: cause('connection-refused', [`fetch reported ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${p}`, sent('https', p), `nothing accepted a connection on 127.0.0.1:${p}`]),
      }),
    ],
    [
      'a self-signed certificate',
      async () => {
        const s = await keep(tlsServer(leaf(null)));
        return { url: `https://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (DEPTH_ZERO_SELF_SIGNED_CERT)',
        rootCause: cause('tls-untrusted-ca', [
          'fetch reported DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate',
          sent('https', p),
          'the server presents a self-signed certificate ("CN=127.0.0.1"): no CA vouches for it',
        ]),
      }),
    ],
    [
      'a private CA, not sent by the server',
      async () => {
        const s = await keep(tlsServer(leaf(ACME_CA)));
        return { url: `https://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
        rootCause: cause(
          'tls-untrusted-ca',
          [
            'fetch reported UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate',
            sent('https', p),
            `the certificate for 127.0.0.1 ("CN=127.0.0.1") is issued by "O=Acme Corp, CN=Acme Corp Root CA": a private CA, a company's own or a TLS-inspecting proxy's`,
            `to tell a CA of your own from a TLS-inspecting proxy: ${NO_ANSWER_CAUSES['tls-untrusted-ca'].confirm}`,
          ],
          { alternatives: ['tls-interception'] },
        ),
      }),
    ],
    [
      "a TLS-inspecting proxy's chain, its root sent",
      async () => {
        const s = await keep(tlsServer(leaf(INSPECTING_CA) + ca(INSPECTING_CA)));
        return { url: `https://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (SELF_SIGNED_CERT_IN_CHAIN)',
        rootCause: cause('tls-interception', [
          'fetch reported SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain',
          sent('https', p),
          'the certificate for 127.0.0.1 ("CN=127.0.0.1") is issued by "CN=Zscaler Root CA", a TLS-inspecting product, not a public CA',
        ]),
      }),
    ],
    [
      'the sfjwt mock, its CA not given',
      async () => ({ url: mock.login, port: Number(new URL(mock.login).port) }),
      (p) => ({
        answer: 'no answer (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
        rootCause: cause(
          'tls-untrusted-ca',
          [
            'fetch reported UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate',
            sent('https', p),
            `the certificate for 127.0.0.1 ("O=sfjwt, CN=sfjwt mock org") is issued by "O=sfjwt, CN=sfjwt local CA (mock Salesforce org)": the sfjwt mock's local CA`,
          ],
          {
            fix: "Trust the sfjwt mock's local CA: --ca .sfjwt/tls/ca.crt (the ca path npx sfjwt serve --json prints; $SFJWT_HOME/tls/ca.crt when SFJWT_HOME is set), or NODE_EXTRA_CA_CERTS=.sfjwt/tls/ca.crt for any Node client.",
          },
        ),
      }),
    ],
    [
      'an expired certificate of a trusted CA',
      async () => {
        const s = await keep(tlsServer(leaf(ACME_CA, { notBefore: new Date('2020-01-01T00:00:00Z'), days: 1 })));
        return { url: `https://127.0.0.1:${s.port}`, fetch: fetchTrusting(acmeCa), port: s.port };
      },
      (p) => ({
        answer: 'no answer (CERT_HAS_EXPIRED)',
        rootCause: cause('tls-cert-expired', [
          'fetch reported CERT_HAS_EXPIRED: certificate has expired',
          sent('https', p),
          'the certificate "CN=127.0.0.1" is valid from Jan  1 00:00:00 2020 GMT to Jan  2 00:00:00 2020 GMT',
        ]),
      }),
    ],
    [
      'a trusted certificate for another name',
      async () => {
        const s = await keep(tlsServer(leaf(ACME_CA, { dnsNames: ['example.com'] })));
        return { url: `https://127.0.0.1:${s.port}`, fetch: fetchTrusting(acmeCa), port: s.port };
      },
      (p) => ({
        answer: 'no answer (ERR_TLS_CERT_ALTNAME_INVALID)',
        rootCause: cause('tls-name-mismatch', [
          "fetch reported ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list:",
          sent('https', p),
          'the certificate names DNS:example.com, not 127.0.0.1',
        ]),
      }),
    ],
    [
      'http:// to an HTTPS port',
      async () => {
        const s = await keep(tlsServer(leaf(null)));
        return { url: `http://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (UND_ERR_SOCKET)',
        rootCause: cause('http-to-https-port', ['fetch reported UND_ERR_SOCKET: other side closed', sent('http', p), `127.0.0.1:${p} closed the connection on a plain HTTP request`], {
          alternatives: ['connection-closed'],
        }),
      }),
    ],
    [
      'https:// to a plain-HTTP port',
      async () => {
        const s = await keep(answering(200, {}, '{}'));
        return { url: `https://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (ERR_SSL_WRONG_VERSION_NUMBER)',
        rootCause: cause('https-to-http-port', ['fetch reported ERR_SSL_WRONG_VERSION_NUMBER: wrong version number', sent('https', p), `127.0.0.1:${p} answered the TLS handshake in plain HTTP`]),
      }),
    ],
    [
      "nginx's page for plain HTTP on its TLS port",
      async () => {
        const page = '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body><center><h1>400 Bad Request</h1></center></body>\r\n</html>';
        const s = await keep(answering(400, { 'Content-Type': 'text/html' }, page));
        return { url: `http://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: '400',
        rootCause: cause('http-to-https-port', [
          'the answer was HTTP 400 "400 The plain HTTP request was sent to HTTPS port"',
          sent('http', p),
          `127.0.0.1:${p} answered with the page of a TLS port that was sent plain HTTP`,
        ]),
      }),
    ],
    [
      "a proxy's 407",
      async () => {
        const s = await keep(answering(407, { 'Proxy-Authenticate': 'Basic realm="proxy"', 'Content-Type': 'text/html' }, '<html><title>Proxy Authentication Required</title></html>'));
        return { url: `http://127.0.0.1:${s.port}`, port: s.port };
      },
      (p) => ({
        answer: 'no answer (fetch failed)',
        rootCause: cause('proxy', [
          `fetch reported "fetch failed" with a cause that says nothing: how Node's fetch reports a 407 Proxy Authentication Required`,
          sent('http', p),
          'a proxy in the path wants credentials: the request never reached Salesforce',
        ]),
      }),
    ],
    [
      'a server that never answers, with the caller giving up after 200 ms',
      async () => {
        const s = await keep(listen(createNetServer()));
        const base = fetchTrusting(null);
        return { url: `http://127.0.0.1:${s.port}`, fetch: (i, init) => base(i, { ...init, signal: AbortSignal.timeout(200) }), port: s.port };
      },
      (p) => ({
        answer: 'no answer (The operation was aborted due to timeout)',
        rootCause: cause('timeout', [
          'fetch reported TimeoutError: The operation was aborted due to timeout',
          sent('http', p),
          `the request to 127.0.0.1:${p} was given up before an answer came (a timeout of the caller's)`,
        ]),
      }),
    ],
    [
      'a server that never answers, with a 200 ms timeout (undici times out to the second)',
      async () => {
        const s = await keep(listen(createNetServer()));
        return { url: `http://127.0.0.1:${s.port}`, fetch: fetchTrusting(null, { timeoutMs: 200 }), port: s.port };
      },
      (p) => ({
        answer: 'no answer (UND_ERR_HEADERS_TIMEOUT)',
        rootCause: cause('timeout', ['fetch reported UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error', sent('http', p), `127.0.0.1:${p} accepted the connection but sent no answer in time`]),
      }),
    ],
  ])('%s', async (_name, setup, expected) => {
    const s = await setup();
    const report = await runDoctor(input(s.url, s.fetch));
    expect({ answer: report.answer, rootCause: report.rootCause }).toEqual(expected(s.port));
    expect(report.ok).toBe(false);
    expect(report.probes).toEqual([]);
  });

  it.each([
    ['notaurl', cause('login-url-invalid', ['fetch reported ERR_INVALID_URL: Invalid URL', '"notaurl/services/oauth2/token" is not a URL: nothing was sent'])],
    [
      'login.salesforce.com',
      cause('login-url-invalid', ['fetch reported ERR_INVALID_URL: Invalid URL', '"login.salesforce.com/services/oauth2/token" is not a URL: nothing was sent'], {
        fix: 'Give the login URL with its scheme: https://login.salesforce.com.',
      }),
    ],
    [
      'localhost:8443',
      cause(
        'login-url-not-http',
        ['fetch reported unknown scheme', 'the request went to localhost:8443/services/oauth2/token', 'its scheme is "localhost:", not https: or http:, so nothing was sent'],
        {
          fix: 'Give the login URL with its scheme: https://localhost:8443.',
        },
      ),
    ],
    [
      'https://127.0.0.1:1',
      cause('login-url-bad-port', ['fetch reported bad port', 'the request went to https://127.0.0.1:1/services/oauth2/token', 'fetch does not connect to port 1, so nothing was sent']),
    ],
    [
      'ftp://127.0.0.1:21',
      cause('login-url-not-http', ['fetch reported unknown scheme', 'the request went to ftp://127.0.0.1:21/services/oauth2/token', 'its scheme is "ftp:", not https: or http:, so nothing was sent']),
    ],
  ])('--login %s: the URL is named as the cause, and nothing was sent', async (loginUrl, rootCause) => {
    const report = await runDoctor(input(loginUrl));
    expect(report.rootCause).toEqual(rootCause);
  });

  it('--login notaurl: the finding stays, next to the root cause', async () => {
    const report = await runDoctor(input('notaurl'));
    expect(report.findings.find((f) => f.id === 'login-url-invalid')).toMatchObject({ check: 'host', severity: 'error', saw: 'notaurl' });
  });
});

/** A fetch that throws what undici throws: TypeError("fetch failed") with the socket's error as its cause. */
const failing =
  (cause: Record<string, unknown> & { message: string }): FetchLike =>
  async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(cause.message), cause) });
  };

describe('the doctor when no answer comes, from an injected fetch', () => {
  const MY_DOMAIN = 'https://acme.my.salesforce.com';
  const SENT = `the request went to ${MY_DOMAIN}/services/oauth2/token`;
  const zscaler: PresentedCertificate = {
    subject: 'CN=login.salesforce.com',
    issuer: 'O=Acme Corp, CN=Acme Corp Web Gateway',
    chain: ['O=Acme Corp, CN=Acme Corp Web Gateway'],
    selfSigned: false,
    validFrom: 'Mar  1 00:00:00 2026 GMT',
    validTo: 'Mar  1 00:00:00 2027 GMT',
  };

  it.each<[string, Record<string, string>, string, FetchLike, RootCause]>([
    [
      'ENOTFOUND',
      {},
      MY_DOMAIN,
      failing({ message: 'getaddrinfo ENOTFOUND acme.my.salesforce.com', code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: 'acme.my.salesforce.com' }),
      cause('dns', ['fetch reported ENOTFOUND: getaddrinfo ENOTFOUND acme.my.salesforce.com', SENT, 'the name acme.my.salesforce.com has no address']),
    ],
    [
      'EAI_AGAIN',
      {},
      MY_DOMAIN,
      failing({ message: 'getaddrinfo EAI_AGAIN acme.my.salesforce.com', code: 'EAI_AGAIN', errno: -3001, syscall: 'getaddrinfo', hostname: 'acme.my.salesforce.com' }),
      cause('dns', ['fetch reported EAI_AGAIN: getaddrinfo EAI_AGAIN acme.my.salesforce.com', SENT, 'the DNS server did not answer for acme.my.salesforce.com (a temporary failure)']),
    ],
    [
      'ENOTFOUND with HTTPS_PROXY set (its password hidden)',
      { HTTPS_PROXY: 'http://svc:s3cret@proxy.acme.com:3128' },
      MY_DOMAIN,
      failing({ message: 'getaddrinfo ENOTFOUND acme.my.salesforce.com', code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'acme.my.salesforce.com' }),
      cause(
        'proxy',
        [
          'fetch reported ENOTFOUND: getaddrinfo ENOTFOUND acme.my.salesforce.com',
          SENT,
          "HTTPS_PROXY=http://***@proxy.acme.com:3128 is set, but sfjwt (Node 20's fetch) connects directly: it does not use a proxy",
          'the direct connection failed: The host name does not resolve',
        ],
        { alternatives: ['dns'] },
      ),
    ],
    [
      'UND_ERR_CONNECT_TIMEOUT with https_proxy and HTTP_PROXY set',
      { https_proxy: 'http://proxy.acme.com:3128', HTTP_PROXY: 'http://proxy.acme.com:3128' },
      MY_DOMAIN,
      failing({ message: 'Connect Timeout Error (attempted address: acme.my.salesforce.com:443, timeout: 10000ms)', code: 'UND_ERR_CONNECT_TIMEOUT', name: 'ConnectTimeoutError' }),
      cause(
        'proxy',
        [
          'fetch reported UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error (attempted address: acme.my.salesforce.com:443, timeout: 10000ms)',
          SENT,
          "https_proxy=http://proxy.acme.com:3128 and HTTP_PROXY=http://proxy.acme.com:3128 are set, but sfjwt (Node 20's fetch) connects directly: it does not use a proxy",
          'the direct connection failed: No answer in time (timeout)',
        ],
        { alternatives: ['timeout'] },
      ),
    ],
    [
      'UND_ERR_CONNECT_TIMEOUT with HTTPS_PROXY set, the host in NO_PROXY',
      { HTTPS_PROXY: 'http://proxy.acme.com:3128', NO_PROXY: 'localhost,.salesforce.com' },
      MY_DOMAIN,
      failing({ message: 'Connect Timeout Error (attempted address: acme.my.salesforce.com:443, timeout: 10000ms)', code: 'UND_ERR_CONNECT_TIMEOUT' }),
      cause('timeout', [
        'fetch reported UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error (attempted address: acme.my.salesforce.com:443, timeout: 10000ms)',
        SENT,
        'no connection to acme.my.salesforce.com:443 was made in time: nothing answered at that address',
      ]),
    ],
    [
      'ECONNREFUSED on loopback with HTTPS_PROXY set: no proxy is ever used there',
      { HTTPS_PROXY: 'http://proxy.acme.com:3128' },
      'https://127.0.0.1:8443',
      failing({ message: 'connect ECONNREFUSED 127.0.0.1:8443', code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 8443 }),
      cause('connection-refused', [
        'fetch reported ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8443',
        'the request went to https://127.0.0.1:8443/services/oauth2/token',
        'nothing accepted a connection on 127.0.0.1:8443',
      ]),
    ],
    [
      "a company gateway's certificate for login.salesforce.com (as fetchTrusting reports it)",
      {},
      'https://login.salesforce.com',
      failing({ message: 'unable to get local issuer certificate', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', presentedCertificate: zscaler }),
      cause('tls-interception', [
        'fetch reported UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate',
        'the request went to https://login.salesforce.com/services/oauth2/token',
        `the certificate for login.salesforce.com ("CN=login.salesforce.com") is issued by "O=Acme Corp, CN=Acme Corp Web Gateway", not by DigiCert, the CA of Salesforce's certificates: something between this machine and Salesforce answered in its place`,
      ]),
    ],
    [
      'a code sfjwt has no cause for',
      {},
      MY_DOMAIN,
      failing({ message: 'connect EHOSTUNREACH 10.1.2.3:443', code: 'EHOSTUNREACH', syscall: 'connect' }),
      cause('no-answer', ['fetch reported EHOSTUNREACH: connect EHOSTUNREACH 10.1.2.3:443', SENT], {
        fix: `Run curl -v -X POST ${MY_DOMAIN}/services/oauth2/token from this machine to see where it stops (name, connection, TLS handshake or answer), and look EHOSTUNREACH up in Node's errors documentation (https://nodejs.org/api/errors.html).`,
      }),
    ],
    [
      'a 407 returned as an answer (a fetch that does not follow the fetch standard there)',
      {},
      MY_DOMAIN,
      async () => new Response('<html><head><title>Proxy Authentication Required</title></head></html>', { status: 407, headers: { 'Content-Type': 'text/html' } }),
      cause('proxy', ['the answer was HTTP 407 "Proxy Authentication Required"', SENT, 'a proxy answered 407 Proxy Authentication Required: the request never reached Salesforce']),
    ],
  ])('%s', async (_name, env, loginUrl, fetch, rootCause) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const report = await runDoctor(input(loginUrl, fetch));
    expect(report.rootCause).toEqual(rootCause);
    expect(report.probes).toEqual([]);
  });
});

describe('diagnoseNoAnswer', () => {
  const cert = (issuer: string, over: Partial<PresentedCertificate> = {}): PresentedCertificate => ({
    subject: 'CN=login.salesforce.com',
    issuer,
    chain: [],
    selfSigned: false,
    validFrom: 'Mar  1 00:00:00 2026 GMT',
    validTo: 'Mar  1 00:00:00 2027 GMT',
    ...over,
  });
  const failed = (code: string | undefined, causeMessage: string, extra: { certificate?: PresentedCertificate; name?: string; message?: string } = {}) => ({
    status: 0,
    networkError: code ?? causeMessage,
    failure: {
      name: extra.name ?? 'TypeError',
      message: extra.message ?? 'fetch failed',
      ...(code === undefined ? {} : { code }),
      causeMessage,
      ...(extra.certificate === undefined ? {} : { certificate: extra.certificate }),
    },
  });
  const LOGIN = 'https://login.salesforce.com/services/oauth2/token';

  it.each<[string, NoAnswerId, NoAnswerId[], Parameters<typeof diagnoseNoAnswer>[0], string]>([
    ['EPROTO with "wrong version number"', 'https-to-http-port', [], failed('EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), 'https://127.0.0.1:8080'],
    ['ERR_SSL_PACKET_LENGTH_TOO_LONG', 'https-to-http-port', [], failed('ERR_SSL_PACKET_LENGTH_TOO_LONG', 'packet length too long'), 'https://127.0.0.1:8080'],
    ['ECONNRESET over https', 'connection-closed', [], failed('ECONNRESET', 'read ECONNRESET'), LOGIN],
    ['ECONNRESET over http', 'http-to-https-port', ['connection-closed'], failed('ECONNRESET', 'read ECONNRESET'), 'http://127.0.0.1:8443'],
    [
      'bytes that are not HTTP, over http',
      'http-to-https-port',
      ['connection-closed'],
      failed(undefined, 'Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)'),
      'http://127.0.0.1:8443',
    ],
    ['"socket hang up" without a code', 'connection-closed', [], failed(undefined, 'socket hang up'), LOGIN],
    ['ETIMEDOUT', 'timeout', [], failed('ETIMEDOUT', 'connect ETIMEDOUT 10.1.2.3:443'), LOGIN],
    ['AbortError', 'timeout', [], { status: 0, networkError: 'This operation was aborted', failure: { name: 'AbortError', message: 'This operation was aborted' } }, LOGIN],
    ['CERT_NOT_YET_VALID', 'tls-cert-expired', [], failed('CERT_NOT_YET_VALID', 'certificate is not yet valid'), LOGIN],
    ['a certificate that could not be read', 'tls-untrusted-ca', ['tls-interception'], failed('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), LOGIN],
    [
      'DigiCert for a Salesforce host: the trust store lacks it',
      'tls-untrusted-ca',
      [],
      failed('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', { certificate: cert('C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1') }),
      LOGIN,
    ],
    [
      'a Netskope chain for a host of your own',
      'tls-interception',
      [],
      failed('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', {
        certificate: cert('CN=ca.acme.goskope.com', { subject: 'CN=api.acme.com', chain: ['O=Netskope Inc, CN=Netskope Root CA'] }),
      }),
      'https://api.acme.com',
    ],
    ['ERR_INVALID_URL', 'login-url-invalid', [], failed('ERR_INVALID_URL', 'Invalid URL'), 'https://login.salesforce.com:99999/services/oauth2/token'],
    ['no code and no message', 'no-answer', [], { status: 0, failure: { name: 'Error', message: '' } }, LOGIN],
  ])('%s → %s', (_name, check, alternatives, answer, url) => {
    const rootCause = diagnoseNoAnswer(answer, url, {});
    expect([rootCause.check, rootCause.alternatives]).toEqual([check, alternatives]);
    expect(rootCause.title).toBe(NO_ANSWER_CAUSES[check].title);
    expect(rootCause.evidence.length).toBeGreaterThan(0);
  });

  it('quotes OpenSSL by its reason, and a certificate of a public CA missing here by name', () => {
    expect(
      diagnoseNoAnswer(
        failed('EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:354:\n'),
        'https://127.0.0.1:8080',
        {},
      ).evidence[0],
    ).toBe('fetch reported EPROTO: wrong version number');
    expect(
      diagnoseNoAnswer(
        failed('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', { certificate: cert("C=US, O=Let's Encrypt, CN=R11", { subject: 'CN=api.acme.com' }) }),
        'https://api.acme.com',
        {},
      ).evidence[2],
    ).toBe(
      `the certificate for api.acme.com ("CN=api.acme.com") is issued by "C=US, O=Let's Encrypt, CN=R11", a public CA missing from this machine's trust store (an old CA bundle, or a container without ca-certificates)`,
    );
  });

  it.each([
    [{ status: 0 }, true],
    [{ status: 407 }, true],
    [{ status: 400, pageTitle: '400 The plain HTTP request was sent to HTTPS port' }, true],
    [{ status: 400 }, false],
    [{ status: 400, pageTitle: 'Bad Request' }, false],
    [{ status: 302 }, false],
    [{ status: 200 }, false],
  ])('isNoAnswer(%j) is %s', (answer, expected) => {
    expect(isNoAnswer(answer)).toBe(expected);
  });
});

describe('fetchTrusting', () => {
  it('reads the certificate presented only after a refused one, and sends nothing to that server', async () => {
    let requests = 0;
    const server = await listen(
      createHttpsServer({ key: testKeys().privateKeyPem, cert: leaf(ACME_CA) }, (_req, res) => {
        requests += 1;
        res.end('{}');
      }),
    );
    try {
      const error = await fetchTrusting(null)(`https://127.0.0.1:${server.port}/services/oauth2/token`, { method: 'POST', body: 'grant_type=x' }).catch((e: unknown) => e);
      expect((error as { cause: { code: string; presentedCertificate: PresentedCertificate } }).cause).toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        presentedCertificate: { subject: 'CN=127.0.0.1', issuer: 'O=Acme Corp, CN=Acme Corp Root CA', chain: [], selfSigned: false, altNames: 'IP Address:127.0.0.1' },
      });
      // Trusted, the same server answers.
      expect((await fetchTrusting(ca(ACME_CA))(`https://127.0.0.1:${server.port}/`)).status).toBe(200);
      expect(requests).toBe(1);
    } finally {
      await server.close();
    }
  });
});
