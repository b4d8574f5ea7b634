/**
 * What a request that got no HTTP answer reports, as `explain` tells it: the codes and messages of
 * Node's fetch (undici) and of Node's sockets and TLS — ECONNREFUSED, ENOTFOUND, the certificate
 * errors, "wrong version number", "other side closed", the timeouts — and a proxy's 407, each with
 * what it means and its causes, how to confirm each and the fix. The causes are the doctor's
 * (no-answer.ts), so `explain` and `doctor` say the same; a cause id (`tls-interception`) is
 * explained too. A query matches a code or message as typed (any case, "self-signed" or "self
 * signed"), or the most specific one inside a pasted log line.
 */
import { normalise } from './explain-match.ts';
import { NO_ANSWER_CAUSES, NO_ANSWER_IDS, type NoAnswerCauseInfo, type NoAnswerId } from './no-answer.ts';

export interface NetworkAnswer {
  /** The code (or, where there is none, the words) fetch reports. */
  code: string;
  /** The messages that come with it, and other ways it is written. */
  also: readonly string[];
  meaning: string;
  /** Its causes, the most likely first. */
  causes: readonly NoAnswerId[];
}

export interface NetworkCause extends NoAnswerCauseInfo {
  id: NoAnswerId;
}

const UNTRUSTED: readonly NoAnswerId[] = ['tls-untrusted-ca', 'tls-interception'];
const INSPECTED: readonly NoAnswerId[] = ['tls-interception', 'tls-untrusted-ca'];
const CLOSED: readonly NoAnswerId[] = ['http-to-https-port', 'connection-closed', 'proxy'];

export const NETWORK_ANSWERS: readonly NetworkAnswer[] = [
  {
    code: 'ECONNREFUSED',
    also: ['connect ECONNREFUSED', 'connection refused'],
    meaning: 'The connection was refused: the host is reachable, but nothing accepts connections on that port.',
    causes: ['connection-refused', 'proxy'],
  },
  { code: 'ENOTFOUND', also: ['getaddrinfo ENOTFOUND'], meaning: 'The host name does not resolve to an address.', causes: ['dns', 'proxy'] },
  { code: 'EAI_AGAIN', also: ['getaddrinfo EAI_AGAIN'], meaning: 'The DNS server did not answer for the host name (a temporary failure).', causes: ['dns', 'proxy'] },
  { code: 'ETIMEDOUT', also: ['connect ETIMEDOUT'], meaning: 'No connection was made in time: nothing answered at that address.', causes: ['timeout', 'proxy'] },
  { code: 'UND_ERR_CONNECT_TIMEOUT', also: ['Connect Timeout Error', 'ConnectTimeoutError'], meaning: 'No connection was made in time (undici waits 10 s by default).', causes: ['timeout', 'proxy'] },
  {
    code: 'UND_ERR_HEADERS_TIMEOUT',
    also: ['Headers Timeout Error', 'HeadersTimeoutError'],
    meaning: 'A connection was made, but the headers of the answer did not arrive in time.',
    causes: ['timeout'],
  },
  { code: 'TimeoutError', also: ['The operation was aborted due to timeout'], meaning: "The caller's timeout (AbortSignal.timeout) ended the request before an answer came.", causes: ['timeout'] },
  { code: 'AbortError', also: ['This operation was aborted'], meaning: 'The request was aborted before an answer came, most often by a timeout of the caller.', causes: ['timeout'] },
  {
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    also: ['unable to verify the first certificate'],
    meaning: "The CA that issued the server's certificate is not one this machine trusts (and the server did not send it).",
    causes: UNTRUSTED,
  },
  {
    code: 'SELF_SIGNED_CERT_IN_CHAIN',
    also: ['self-signed certificate in certificate chain'],
    meaning: 'The server sent a chain of certificates that ends at a self-signed root this machine does not trust.',
    causes: INSPECTED,
  },
  { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', also: ['self-signed certificate'], meaning: "The server's certificate is self-signed: no CA vouches for it.", causes: UNTRUSTED },
  {
    code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    also: ['unable to get local issuer certificate'],
    meaning: "The CA that issued the server's certificate is not among those this machine trusts.",
    causes: INSPECTED,
  },
  { code: 'UNABLE_TO_GET_ISSUER_CERT', also: ['unable to get issuer certificate'], meaning: "The issuer of a certificate in the server's chain cannot be found.", causes: UNTRUSTED },
  { code: 'CERT_HAS_EXPIRED', also: ['certificate has expired'], meaning: "The server's certificate is past its end date, by this machine's clock.", causes: ['tls-cert-expired'] },
  { code: 'CERT_NOT_YET_VALID', also: ['certificate is not yet valid'], meaning: "The server's certificate is before its start date, by this machine's clock.", causes: ['tls-cert-expired'] },
  {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    also: ["Hostname/IP does not match certificate's altnames"],
    meaning: 'The certificate is trusted, but made for other names than the host of the URL.',
    causes: ['tls-name-mismatch'],
  },
  {
    code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    also: ['wrong version number', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'packet length too long'],
    meaning: 'TLS read something that is not TLS: the server answered in plain HTTP.',
    causes: ['https-to-http-port'],
  },
  { code: 'EPROTO', also: [], meaning: 'A TLS protocol error; with "wrong version number" in the message, the server answered the handshake in plain HTTP.', causes: ['https-to-http-port'] },
  { code: 'UND_ERR_SOCKET', also: ['other side closed', 'SocketError'], meaning: 'The server closed the connection before it answered.', causes: CLOSED },
  { code: 'ECONNRESET', also: ['socket hang up', 'read ECONNRESET'], meaning: 'The connection was reset (hung up) before an answer came.', causes: CLOSED },
  {
    code: 'The plain HTTP request was sent to HTTPS port',
    also: ['400 The plain HTTP request was sent to HTTPS port'],
    meaning: 'nginx (or a load balancer) on a TLS port got a plain HTTP request: its 400 page, not an answer of Salesforce.',
    causes: ['http-to-https-port'],
  },
  { code: 'ERR_INVALID_URL', also: ['Invalid URL', 'Failed to parse URL'], meaning: 'fetch could not parse the URL, so nothing was sent.', causes: ['login-url-invalid'] },
  { code: 'unknown scheme', also: [], meaning: 'fetch sends only to http: and https: URLs; the URL has another scheme, so nothing was sent.', causes: ['login-url-not-http'] },
  { code: 'bad port', also: [], meaning: 'fetch refuses the port of the URL, one the fetch standard blocks, so nothing was sent.', causes: ['login-url-bad-port'] },
  {
    code: '407',
    also: ['Proxy Authentication Required', '407 Proxy Authentication Required'],
    meaning:
      'A proxy between this machine and the host wants credentials: the answer is the proxy\'s, and the request did not reach Salesforce. Node\'s fetch does not return it as an answer: it fails with "fetch failed" and a cause with no message and no code.',
    causes: ['proxy'],
  },
  {
    code: 'fetch failed',
    also: ['TypeError: fetch failed'],
    meaning:
      "Node's fetch got no answer; the reason is in the error's cause (err.cause.code), which this message leaves out. Print it (console.error(err.cause)), or run npx sfjwt doctor, which reads it, then npx sfjwt explain <that code>. A cause with no message and no code is a proxy's 407.",
    causes: ['connection-refused', 'dns', 'tls-untrusted-ca', 'tls-interception', 'timeout', 'proxy', 'https-to-http-port', 'http-to-https-port'],
  },
];

/** "fetch failed" names no cause: inside a log line, any other code or message there wins. */
const GENERIC = 'fetch failed';

/** Lower case, apostrophes and end punctuation off (as explain-match.ts), and "self-signed" as "self signed". */
const key = (text: string) => normalise(text).replace(/-/g, ' ');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const inside = (q: string, k: string) => new RegExp(`(^|[^a-z0-9_])${escapeRegExp(k)}($|[^a-z0-9_])`).test(q);

/** A cause id as a query: its cause alone. */
const byCauseId = (id: NoAnswerId): NetworkAnswer => ({ code: id, also: [], meaning: NO_ANSWER_CAUSES[id].description, causes: [id] });

/** The network answers a query names: a code or message as typed, or the most specific one inside the text. */
export function matchNetworkAnswers(query: string): NetworkAnswer[] {
  const q = key(query);
  if (q === '') return [];
  const id = NO_ANSWER_IDS.find((i) => i === normalise(query) || i.replaceAll('-', '_') === normalise(query));
  if (id !== undefined) return [byCauseId(id)];
  const exact = NETWORK_ANSWERS.filter((a) => [a.code, ...a.also].some((t) => key(t) === q));
  if (exact.length > 0) return exact;
  let best: { length: number; answer: NetworkAnswer } | undefined;
  for (const a of NETWORK_ANSWERS) {
    for (const t of [a.code, ...a.also]) {
      const k = key(t);
      const length = a.code === GENERIC ? 0 : k.length;
      if (inside(q, k) && (best === undefined || length > best.length)) best = { length, answer: a };
    }
  }
  return best === undefined ? [] : [best.answer];
}

/** The causes of a network answer, in full. */
export function networkCauses(answer: NetworkAnswer): NetworkCause[] {
  return answer.causes.map((id) => ({ id, ...NO_ANSWER_CAUSES[id] }));
}
