/**
 * Why a token request got no answer from Salesforce at all: nothing listens on the port, a
 * certificate this machine does not trust (the mock's CA, a company's, a TLS-inspecting proxy's), an
 * expired one or one for other names, http:// sent to an HTTPS port or the reverse, a host name that
 * does not resolve, a proxy in the way, a timeout, or a login URL that is no http(s) URL. Decided from
 * what Node's fetch (undici) reports — the codes and messages no-answer.test.ts reproduces on loopback
 * — the URL, the proxy variables of the environment and, after a refused certificate, the certificate
 * the server presented (src/client/https-fetch.ts reads it). Each cause has a stable id, a title, a
 * description, how to confirm it and the fix; `explain` tells the same causes by error code
 * (explain-network-answers.ts), the doctor names one with the evidence of the failed request.
 */
import { isSalesforceHost } from '../../lib/salesforce-hosts.ts';
import type { PresentedCertificate } from '../client/https-fetch.ts';
import type { TokenAnswer } from '../client/send.ts';

export const NO_ANSWER_IDS = [
  'login-url-invalid',
  'login-url-not-http',
  'login-url-bad-port',
  'connection-refused',
  'dns',
  'proxy',
  'timeout',
  'tls-untrusted-ca',
  'tls-interception',
  'tls-cert-expired',
  'tls-name-mismatch',
  'https-to-http-port',
  'http-to-https-port',
  'connection-closed',
  'no-answer',
] as const;

export type NoAnswerId = (typeof NO_ANSWER_IDS)[number];

export interface NoAnswerCauseInfo {
  title: string;
  description: string;
  /** How to confirm (or rule out) this cause from the machine that sent the request. */
  confirm: string;
  fix: string;
}

/** The root cause of a request that got no answer, in the shape of the doctor's root causes. */
export interface NoAnswerRootCause {
  check: NoAnswerId;
  title: string;
  evidence: string[];
  fix: string;
  alternatives: NoAnswerId[];
}

const NEVER_OFF = 'Never turn verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): that accepts any server, and the assertion with it.';

export const NO_ANSWER_CAUSES: Record<NoAnswerId, NoAnswerCauseInfo> = {
  'login-url-invalid': {
    title: 'The login URL is not a URL',
    description: 'The login URL cannot be parsed, so no request left this machine: a host name without https://, a stray quote or space, a port out of range, or an empty value.',
    confirm: 'fetch reports ERR_INVALID_URL ("Invalid URL", "Failed to parse URL from …") and names the text it was given.',
    fix: 'Give the login URL in full: https://login.salesforce.com, https://test.salesforce.com or https://<domain>.my.salesforce.com (for the mock, the login URL npx sfjwt serve prints).',
  },
  'login-url-not-http': {
    title: 'The login URL is not http(s)',
    description:
      'The login URL has another scheme than https: or http: (ftp:, file:, or a bare "localhost:8443", which reads as the scheme "localhost:"), and fetch sends nothing to it ("unknown scheme").',
    confirm: 'The URL does not start with https:// (or http:// for a mock on this machine).',
    fix: 'Give an https:// URL: https://login.salesforce.com, https://test.salesforce.com or https://<domain>.my.salesforce.com (http:// only for a mock on this machine started with --http).',
  },
  'login-url-bad-port': {
    title: 'The login URL names a port fetch refuses',
    description: 'fetch never connects to the ports the fetch standard blocks (1, 7, 9, 25, 6000, 6665–6669, 10080 and others) and fails with "bad port" before anything is sent.',
    confirm: 'fetch reports "bad port", and the port of the URL is on the fetch standard\'s list of bad ports (https://fetch.spec.whatwg.org/#port-blocking).',
    fix: 'Use another port: the one the server listens on, or start the mock on another one (npx sfjwt serve --port N).',
  },
  'connection-refused': {
    title: 'Nothing listens on that port (connection refused)',
    description:
      'The host refused the connection: it is reachable, but no server listens on that port (a mock that is not running or was started on another port, a port typed wrong), or a firewall rejects the port.',
    confirm: 'The error names the address and port tried (connect ECONNREFUSED 127.0.0.1:8443). Salesforce listens on 443 (https:// with no port); the mock listens where npx sfjwt serve says.',
    fix: 'Point the login URL at a port a server listens on: for the mock, start it (npx sfjwt serve) and use the login URL it prints; for Salesforce, https://login.salesforce.com, https://test.salesforce.com or https://<domain>.my.salesforce.com, with no port.',
  },
  dns: {
    title: 'The host name does not resolve',
    description:
      'The host of the login URL has no address: a typo, a My Domain renamed or never made (ENOTFOUND), or a DNS server that did not answer (EAI_AGAIN): no network, a VPN or container without DNS, or a network that resolves outside names only through its proxy.',
    confirm:
      "ENOTFOUND: the name does not exist (nslookup <host> answers NXDOMAIN); EAI_AGAIN: the DNS server did not answer, and a retry may pass. Setup > My Domain shows your My Domain's exact name.",
    fix: 'Correct the host of the login URL: https://login.salesforce.com, https://test.salesforce.com, or your My Domain as Setup > My Domain shows it (https://<domain>.my.salesforce.com; a sandbox: https://<domain>--<sandbox>.sandbox.my.salesforce.com). For EAI_AGAIN, check the network and DNS of this machine, then retry.',
  },
  proxy: {
    title: 'A proxy is in the way',
    description:
      "The network reaches outside hosts only through an HTTP proxy. Node 20's fetch, which sfjwt uses, connects directly and does not read HTTPS_PROXY, HTTP_PROXY or NO_PROXY, so where direct connections are blocked the request fails (a name that does not resolve, a timeout, a refused or closed connection); a proxy in the path that wants credentials answers 407 Proxy Authentication Required in place of Salesforce.",
    confirm:
      'env | grep -i _proxy shows the proxy variables. curl reads them: curl -sS -o /dev/null -w "%{http_code}\\n" https://login.salesforce.com printing a status while sfjwt gets no answer means direct connections are blocked. A 407 comes from the proxy, never from Salesforce.',
    fix: 'Run sfjwt where the host is reachable directly, or ask for direct HTTPS to *.salesforce.com and *.force.com on port 443 (an exemption from the proxy); sfjwt sends no proxy credentials, so a 407 needs the same exemption.',
  },
  timeout: {
    title: 'No answer in time (timeout)',
    description:
      'The request waited and nothing came. UND_ERR_CONNECT_TIMEOUT and ETIMEDOUT: no connection could be made (a firewall that drops packets, a wrong address, a network that needs a proxy). UND_ERR_HEADERS_TIMEOUT, TimeoutError and AbortError: the answer did not arrive in time (a server that hangs, or a timeout shorter than the server takes).',
    confirm:
      'curl -v https://<host>/services/oauth2/token from the same machine: stuck at "Trying …" means nothing answers the connection; connected and then silent means the server does not answer.',
    fix: 'Check that the host is reachable from this machine (curl -v https://<host>/services/oauth2/token prints an HTTP status when it is); on a company network, see whether a proxy is the only way out; a server that is slow rather than unreachable needs a longer timeout.',
  },
  'tls-untrusted-ca': {
    title: "The server's certificate comes from a CA this machine does not trust",
    description:
      "TLS reached a server, but its certificate does not chain to a CA Node trusts (its built-in roots, NODE_EXTRA_CA_CERTS or --ca): the sfjwt mock's local CA, a company's own CA, a self-signed certificate, or a server that does not send its intermediate certificate.",
    confirm:
      'Read the issuer of the certificate presented: openssl s_client -connect <host>:<port> -servername <host> </dev/null | openssl x509 -noout -subject -issuer. "sfjwt local CA (mock Salesforce org)" is the mock\'s CA; an issuer equal to the subject is a self-signed certificate; another CA than DigiCert for a Salesforce host, often named after a company or a security product, is a TLS-inspecting proxy (tls-interception).',
    fix: `Trust the CA that issued the certificate: its PEM with --ca FILE (doctor, token; caFile in sfjwt.config.json), or NODE_EXTRA_CA_CERTS=FILE for any Node client. The sfjwt mock's CA is .sfjwt/tls/ca.crt ($SFJWT_HOME/tls/ca.crt when SFJWT_HOME is set). ${NEVER_OFF}`,
  },
  'tls-interception': {
    title: 'A TLS-inspecting proxy answers in place of the server',
    description:
      "Something between this machine and the host ends the TLS connection itself and presents a certificate made by its own CA: a company proxy or firewall that inspects HTTPS (Zscaler, Netskope, a Palo Alto or Fortinet firewall, …), an antivirus's web shield, or a debugging proxy (mitmproxy, Fiddler, Charles). Salesforce's own certificates are issued by DigiCert.",
    confirm:
      'openssl s_client -connect login.salesforce.com:443 -servername login.salesforce.com </dev/null | openssl x509 -noout -issuer names another issuer than DigiCert, often the company or the product; from a network without the proxy the same command names DigiCert.',
    fix: `Get the inspecting proxy's CA certificate (PEM) from your IT department or the tool, and trust it: --ca FILE (doctor, token; caFile in sfjwt.config.json), or NODE_EXTRA_CA_CERTS=FILE for any Node client; or ask for *.salesforce.com and *.force.com to be exempt from inspection. ${NEVER_OFF}`,
  },
  'tls-cert-expired': {
    title: "The server's certificate has expired, or this machine's clock is wrong",
    description:
      "The certificate presented is outside its dates as this machine's clock sees them (CERT_HAS_EXPIRED, CERT_NOT_YET_VALID): the server did not renew it, or the local clock is off, which makes every certificate look expired or not yet valid.",
    confirm: 'Compare date -u with the real time, then the dates of the certificate: openssl s_client -connect <host>:<port> -servername <host> </dev/null | openssl x509 -noout -dates.',
    fix: "Set this machine's clock right (NTP) if it is off; otherwise the server must renew its certificate. The sfjwt mock renews its own when it starts with less than a day left: restart it (or delete .sfjwt/tls/server.crt).",
  },
  'tls-name-mismatch': {
    title: 'The certificate does not name the host',
    description:
      'The certificate is trusted but made for other names than the host of the URL (ERR_TLS_CERT_ALTNAME_INVALID): an IP address or a name of your own (a hosts-file entry, a CNAME) in place of the Salesforce host name, or the mock reached by a name its certificate does not cover.',
    confirm: 'The error lists the names the certificate holds ("is not in the cert\'s altnames: DNS:…"): compare them with the host of the URL.',
    fix: "Use a host name the certificate names: Salesforce's own (login.salesforce.com, test.salesforce.com, <domain>.my.salesforce.com), never an IP address; for the mock, 127.0.0.1, localhost or a Salesforce host name it serves, as npx sfjwt serve prints.",
  },
  'https-to-http-port': {
    title: 'https:// was sent to a plain-HTTP port',
    description:
      'The client began TLS and the server answered in plain HTTP, which TLS reads as a record of the wrong version (ERR_SSL_WRONG_VERSION_NUMBER, EPROTO "wrong version number"): a mock started with --http, a proxy port (3128, 8080) given as the login URL, or port 80.',
    confirm: 'curl -sS http://<host>:<port>/ gets an HTTP answer where https:// fails.',
    fix: 'Use the HTTPS port (for Salesforce, https:// with no port), or http:// for a mock on this machine started with --http.',
  },
  'http-to-https-port': {
    title: 'http:// was sent to an HTTPS port',
    description:
      'The server on that port speaks TLS and cannot read a plain HTTP request: it closes the connection (UND_ERR_SOCKET "other side closed", ECONNRESET), sends bytes that are not HTTP, or, like nginx and some load balancers, answers 400 "The plain HTTP request was sent to HTTPS port".',
    confirm: 'The URL starts with http://, and the same host and port answer over https:// (curl -sk https://<host>:<port>/ prints an HTTP answer).',
    fix: 'Use https://: Salesforce answers HTTPS only, and the mock serves HTTPS unless started with --http.',
  },
  'connection-closed': {
    title: 'The connection closed before an answer',
    description:
      'A connection was made, then closed or reset before any HTTP answer (UND_ERR_SOCKET "other side closed", ECONNRESET, "socket hang up"): a server that crashed or restarted, a load balancer or firewall that cuts the connection (some filter HTTPS by host name), or a proxy-only network resetting direct connections.',
    confirm: 'Retry once: a restart passes on a later attempt. curl -v against the same URL shows where the connection ends; from another network, or through the company proxy, it may pass.',
    fix: 'Retry; if it keeps closing, run curl -v against the same URL from this machine and from another network: where only this network fails, the firewall or proxy between cuts it; where both fail, the server is down.',
  },
  'no-answer': {
    title: 'The request got no answer',
    description: 'fetch failed with an error sfjwt has no specific cause for; the code it reports names what happened.',
    confirm:
      "curl -v -X POST <URL> from the same machine shows the step where it stops (name, connection, TLS handshake, answer); Node's errors documentation (https://nodejs.org/api/errors.html) lists the codes.",
    fix: "Run curl -v -X POST <URL> from this machine to see where it stops (name, connection, TLS handshake or answer), and look the code up in Node's errors documentation (https://nodejs.org/api/errors.html).",
  },
};

const MOCK_CA = /sfjwt local CA/i;
/** Issuers named after a TLS-inspecting product: company proxies and firewalls, antivirus web shields, debugging proxies. */
const INSPECTING =
  /zscaler|netskope|fortigate|fortinet|palo ?alto|blue ?coat|umbrella|sophos|check ?point|forcepoint|websense|mcafee|skyhigh|kaspersky|avast|\bavg\b|\beset\b|bitdefender|trend ?micro|barracuda|sonicwall|watchguard|iboss|menlo|mitmproxy|charles proxy|fiddler|portswigger|burp|proxyman|tls inspection|ssl inspection|https inspection/i;
const PUBLIC_CA = /digicert|sectigo|comodo|usertrust|globalsign|let'?s encrypt|\bisrg\b|entrust|google trust services|amazon|microsoft|godaddy|starfield|identrust|geotrust|thawte|rapidssl|quovadis/i;

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** An answer that did not come from Salesforce: none at all, a proxy's 407, or the page of a TLS port hit with plain HTTP. */
export function isNoAnswer(answer: Pick<TokenAnswer, 'status' | 'pageTitle'>): boolean {
  return answer.status === 0 || answer.status === 407 || (answer.status === 400 && PLAIN_TO_TLS_PAGE.test(answer.pageTitle ?? ''));
}

const PLAIN_TO_TLS_PAGE = /plain HTTP request was sent to HTTPS port/i;

const isLoopback = (host: string) => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
};

/** The proxy variables set for a request to `url`, credentials hidden; none for loopback or a host NO_PROXY names. */
function proxiesFor(url: URL, env: Readonly<Record<string, string | undefined>>): string[] {
  const host = url.hostname.toLowerCase();
  if (isLoopback(host)) return [];
  const bypass = (env['NO_PROXY'] ?? env['no_proxy'] ?? '')
    .split(',')
    .map((e) =>
      e
        .trim()
        .toLowerCase()
        .replace(/^\*?\./, ''),
    )
    .filter((e) => e !== '');
  if (bypass.some((e) => e === '*' || host === e || host.endsWith(`.${e}`))) return [];
  return PROXY_VARIABLES.flatMap((name) => {
    const value = env[name];
    return value === undefined || value === '' ? [] : [`${name}=${value.replace(/\/\/[^/@]*@/, '//***@')}`];
  });
}

const BY_CODE: readonly [RegExp, NoAnswerId][] = [
  [/^ERR_INVALID_URL$/, 'login-url-invalid'],
  [/^ECONNREFUSED$/, 'connection-refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME|EAI_NODATA)$/, 'dns'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|TimeoutError|AbortError)$/, 'timeout'],
  [/^(CERT_HAS_EXPIRED|CERT_NOT_YET_VALID)$/, 'tls-cert-expired'],
  [/^ERR_TLS_CERT_ALTNAME_INVALID$/, 'tls-name-mismatch'],
  [/^(UNABLE_TO_|SELF_SIGNED_CERT_IN_CHAIN$|DEPTH_ZERO_SELF_SIGNED_CERT$|CERT_|INVALID_CA$)/, 'tls-untrusted-ca'],
  [/^(ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG)$/, 'https-to-http-port'],
  [/^(UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNRESET|EPIPE|HPE_)/, 'connection-closed'],
];
const BY_WORDS: readonly [RegExp, NoAnswerId][] = [
  [/invalid url|failed to parse url/i, 'login-url-invalid'],
  [/unknown scheme/i, 'login-url-not-http'],
  [/\bbad port\b/i, 'login-url-bad-port'],
  [/wrong version number|packet length too long/i, 'https-to-http-port'],
  [/other side closed|socket hang up|does not match the HTTP\/1\.1 protocol/i, 'connection-closed'],
  [/getaddrinfo/i, 'dns'],
  [/timed? ?out|aborted/i, 'timeout'],
];
/** Failures a network that allows only its proxy gives to a direct connection. */
const PROXY_SHAPED: ReadonlySet<NoAnswerId> = new Set(['dns', 'timeout', 'connection-refused', 'connection-closed']);

/** OpenSSL's long message cut to its reason ("wrong version number"); other messages on one line. */
function readable(message: string): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  return (reason ?? message).replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The login URL the request URL was made from (the text before the token path). */
const loginOf = (url: string) => url.replace(/\/services\/oauth2\/token.*$/s, '');

/**
 * The root cause of an answer `isNoAnswer` holds, sent to `url`: the cause, evidence that quotes what
 * fetch reported and the URL, the fix, and the causes the evidence does not rule out. `env` is read
 * for proxy variables only.
 */
export function diagnoseNoAnswer(
  answer: Pick<TokenAnswer, 'status' | 'networkError' | 'failure' | 'pageTitle'>,
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): NoAnswerRootCause {
  const f = answer.failure;
  const code = f?.code ?? (f?.name === 'TimeoutError' || f?.name === 'AbortError' ? f.name : undefined) ?? (answer.networkError || undefined);
  const said = readable(f?.causeMessage || f?.message || '');
  // The fetch standard makes a proxy's 407 a network error: Node's fetch fails with "fetch failed" and a cause with no message and no code.
  const silent = answer.status === 0 && f !== undefined && f.code === undefined && f.causeMessage === '';
  const reported = silent
    ? `fetch reported "${f.message}" with a cause that says nothing: how Node's fetch reports a 407 Proxy Authentication Required`
    : answer.status !== 0
      ? `the answer was HTTP ${answer.status}${answer.pageTitle === undefined ? '' : ` "${answer.pageTitle}"`}`
      : code === undefined
        ? `fetch reported ${said === '' ? 'nothing' : said}`
        : `fetch reported ${code}${said === '' || said === code ? '' : `: ${said}`}`;
  const cause = (id: NoAnswerId, lines: string[], over: { fix?: string; alternatives?: NoAnswerId[] } = {}): NoAnswerRootCause => ({
    check: id,
    title: NO_ANSWER_CAUSES[id].title,
    evidence: [reported, ...lines],
    fix: over.fix ?? NO_ANSWER_CAUSES[id].fix,
    alternatives: over.alternatives ?? [],
  });
  const login = loginOf(url);
  // A host name (with a port or path) typed without its scheme.
  const schemeless = /^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?(\/.*)?$/i.test(login) && (login.includes('.') || /:\d+/.test(login));
  const withScheme = schemeless ? { fix: `Give the login URL with its scheme: https://${login}.` } : {};

  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below as the login URL that is not a URL.
  }
  if (parsed === undefined || code === 'ERR_INVALID_URL') return cause('login-url-invalid', [`"${url}" is not a URL: nothing was sent`], withScheme);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return cause('login-url-not-http', [`the request went to ${url}`, `its scheme is "${parsed.protocol}", not https: or http:, so nothing was sent`], withScheme);

  const sent = `the request went to ${url}`;
  const host = parsed.hostname;
  const hostPort = `${host}:${parsed.port === '' ? (parsed.protocol === 'https:' ? '443' : '80') : parsed.port}`;
  if (answer.status === 407) return cause('proxy', [sent, 'a proxy answered 407 Proxy Authentication Required: the request never reached Salesforce']);
  if (silent) return cause('proxy', [sent, 'a proxy in the path wants credentials: the request never reached Salesforce']);
  if (answer.status !== 0) return cause('http-to-https-port', [sent, `${hostPort} answered with the page of a TLS port that was sent plain HTTP`]);

  const text = `${code ?? ''} ${said}`;
  const found = (code === undefined ? undefined : BY_CODE.find(([re]) => re.test(code))?.[1]) ?? BY_WORDS.find(([re]) => re.test(text))?.[1];
  const id: NoAnswerId = found ?? 'no-answer';
  if (id === 'login-url-invalid') return cause(id, [`"${url}" is not a URL: nothing was sent`], withScheme);
  if (id === 'login-url-not-http') return cause(id, [sent, `its scheme is "${parsed.protocol}", not https: or http:, so nothing was sent`], withScheme);
  if (id === 'login-url-bad-port') return cause(id, [sent, `fetch does not connect to port ${parsed.port}, so nothing was sent`]);
  if (id === 'connection-closed' && parsed.protocol === 'http:') {
    const tlsPort = parsed.port === '443' ? ' (443 is the HTTPS port)' : '';
    return cause('http-to-https-port', [sent, `${hostPort} closed the connection on a plain HTTP request${tlsPort}`], { alternatives: ['connection-closed'] });
  }

  const proxies = proxiesFor(parsed, env);
  if (proxies.length > 0 && PROXY_SHAPED.has(id))
    return cause(
      'proxy',
      [
        sent,
        `${proxies.join(' and ')} ${proxies.length > 1 ? 'are' : 'is'} set, but sfjwt (Node 20's fetch) connects directly: it does not use a proxy`,
        `the direct connection failed: ${NO_ANSWER_CAUSES[id].title}`,
      ],
      { alternatives: [id] },
    );

  const cert = f?.certificate;
  switch (id) {
    case 'connection-refused':
      return cause(id, [sent, `nothing accepted a connection on ${hostPort}`]);
    case 'dns':
      return cause(id, [sent, code === 'EAI_AGAIN' ? `the DNS server did not answer for ${host} (a temporary failure)` : `the name ${host} has no address`]);
    case 'timeout': {
      const what =
        code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT'
          ? `no connection to ${hostPort} was made in time: nothing answered at that address`
          : code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
            ? `${hostPort} accepted the connection but sent no answer in time`
            : `the request to ${hostPort} was given up before an answer came (a timeout of the caller's)`;
      return cause(id, [sent, what]);
    }
    case 'tls-cert-expired':
      return cause(id, [
        sent,
        cert === undefined ? `the certificate of ${hostPort} is outside its dates by this machine's clock` : `the certificate "${cert.subject}" is valid from ${cert.validFrom} to ${cert.validTo}`,
      ]);
    case 'tls-name-mismatch':
      return cause(id, [sent, `the certificate names ${cert?.altNames ?? (cert === undefined ? 'other hosts' : `only "${cert.subject}"`)}, not ${host}`]);
    case 'tls-untrusted-ca':
      return certificateCause(cert, host, sent, cause);
    case 'https-to-http-port':
      return cause(id, [sent, `${hostPort} answered the TLS handshake in plain HTTP`]);
    case 'connection-closed':
      return cause(id, [sent, `${hostPort} closed the connection before any answer`]);
    default:
      return cause('no-answer', [sent], {
        fix: `Run curl -v -X POST ${url} from this machine to see where it stops (name, connection, TLS handshake or answer), and look ${code ?? 'the error'} up in Node's errors documentation (https://nodejs.org/api/errors.html).`,
      });
  }
}

/** A refused certificate: the mock's CA, a TLS-inspecting proxy's, or another CA, told by its issuer. */
function certificateCause(
  cert: PresentedCertificate | undefined,
  host: string,
  sent: string,
  cause: (id: NoAnswerId, lines: string[], over?: { fix?: string; alternatives?: NoAnswerId[] }) => NoAnswerRootCause,
): NoAnswerRootCause {
  const tellApart = `to tell a CA of your own from a TLS-inspecting proxy: ${NO_ANSWER_CAUSES['tls-untrusted-ca'].confirm}`;
  if (cert === undefined) return cause('tls-untrusted-ca', [sent, 'the certificate the server presents could not be read', tellApart], { alternatives: ['tls-interception'] });
  const names = [cert.issuer, ...cert.chain].join(' | ');
  const issued = `the certificate for ${host} ("${cert.subject}") is issued by "${cert.issuer}"`;
  if (MOCK_CA.test(names))
    return cause('tls-untrusted-ca', [sent, `${issued}: the sfjwt mock's local CA`], {
      fix: "Trust the sfjwt mock's local CA: --ca .sfjwt/tls/ca.crt (the ca path npx sfjwt serve --json prints; $SFJWT_HOME/tls/ca.crt when SFJWT_HOME is set), or NODE_EXTRA_CA_CERTS=.sfjwt/tls/ca.crt for any Node client.",
    });
  if (INSPECTING.test(names)) return cause('tls-interception', [sent, `${issued}, a TLS-inspecting product, not a public CA`]);
  if (isSalesforceHost(host) && !/digicert/i.test(names))
    return cause('tls-interception', [sent, `${issued}, not by DigiCert, the CA of Salesforce's certificates: something between this machine and Salesforce answered in its place`]);
  if (cert.selfSigned) return cause('tls-untrusted-ca', [sent, `the server presents a self-signed certificate ("${cert.subject}"): no CA vouches for it`]);
  if (PUBLIC_CA.test(names)) return cause('tls-untrusted-ca', [sent, `${issued}, a public CA missing from this machine's trust store (an old CA bundle, or a container without ca-certificates)`]);
  return cause('tls-untrusted-ca', [sent, `${issued}: a private CA, a company's own or a TLS-inspecting proxy's`, tellApart], { alternatives: ['tls-interception'] });
}
