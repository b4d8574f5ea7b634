/**
 * `explain` for a request that got no answer: every code and message Node's fetch reports (any case,
 * "self-signed" or "self signed", inside a pasted log line), a cause id, and the CLI's output for
 * ECONNREFUSED; the causes are the doctor's own (no-answer.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { main } from '../cli/main.ts';
import { explain, explainable, explainSuggestions, lookUp, type NetworkAnswerExplanation } from './explain.ts';
import { NETWORK_ANSWERS } from './explain-network-answers.ts';
import { renderExplanation } from './explain-render.ts';
import { NO_ANSWER_CAUSES, NO_ANSWER_IDS } from './no-answer.ts';

const network = (query: string): NetworkAnswerExplanation => {
  const e = lookUp(query)?.explanation;
  if (e?.kind !== 'network-answer') throw new Error(`"${query}" explained as ${e?.kind ?? 'nothing'}`);
  return e;
};

describe('explain: what a request that got no answer reports', () => {
  it.each([
    ['ECONNREFUSED', 'ECONNREFUSED', ['connection-refused', 'proxy']],
    ['econnrefused', 'ECONNREFUSED', ['connection-refused', 'proxy']],
    ['connect ECONNREFUSED 127.0.0.1:8443', 'ECONNREFUSED', ['connection-refused', 'proxy']],
    ['ENOTFOUND', 'ENOTFOUND', ['dns', 'proxy']],
    ['getaddrinfo ENOTFOUND', 'ENOTFOUND', ['dns', 'proxy']],
    ['Error: getaddrinfo ENOTFOUND acme.my.salesforce.com', 'ENOTFOUND', ['dns', 'proxy']],
    ['eai_again', 'EAI_AGAIN', ['dns', 'proxy']],
    ['ETIMEDOUT', 'ETIMEDOUT', ['timeout', 'proxy']],
    ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', ['timeout', 'proxy']],
    ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', ['timeout']],
    ['TimeoutError', 'TimeoutError', ['timeout']],
    ['The operation was aborted due to timeout', 'TimeoutError', ['timeout']],
    ['AbortError', 'AbortError', ['timeout']],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', ['tls-untrusted-ca', 'tls-interception']],
    ['unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', ['tls-untrusted-ca', 'tls-interception']],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'SELF_SIGNED_CERT_IN_CHAIN', ['tls-interception', 'tls-untrusted-ca']],
    ['self signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN', ['tls-interception', 'tls-untrusted-ca']],
    ['Error: self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN', ['tls-interception', 'tls-untrusted-ca']],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'DEPTH_ZERO_SELF_SIGNED_CERT', ['tls-untrusted-ca', 'tls-interception']],
    ['self signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', ['tls-untrusted-ca', 'tls-interception']],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', ['tls-interception', 'tls-untrusted-ca']],
    ['unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', ['tls-interception', 'tls-untrusted-ca']],
    ['CERT_HAS_EXPIRED', 'CERT_HAS_EXPIRED', ['tls-cert-expired']],
    ['certificate has expired', 'CERT_HAS_EXPIRED', ['tls-cert-expired']],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_INVALID', ['tls-name-mismatch']],
    ["Hostname/IP does not match certificate's altnames: Host: acme.example. is not in the cert's altnames: DNS:*.my.salesforce.com", 'ERR_TLS_CERT_ALTNAME_INVALID', ['tls-name-mismatch']],
    ['EPROTO', 'EPROTO', ['https-to-http-port']],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_WRONG_VERSION_NUMBER', ['https-to-http-port']],
    ['wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER', ['https-to-http-port']],
    ['UND_ERR_SOCKET', 'UND_ERR_SOCKET', ['http-to-https-port', 'connection-closed', 'proxy']],
    ['other side closed', 'UND_ERR_SOCKET', ['http-to-https-port', 'connection-closed', 'proxy']],
    ['ECONNRESET', 'ECONNRESET', ['http-to-https-port', 'connection-closed', 'proxy']],
    ['socket hang up', 'ECONNRESET', ['http-to-https-port', 'connection-closed', 'proxy']],
    ['400 The plain HTTP request was sent to HTTPS port', 'The plain HTTP request was sent to HTTPS port', ['http-to-https-port']],
    ['ERR_INVALID_URL', 'ERR_INVALID_URL', ['login-url-invalid']],
    ['TypeError: Failed to parse URL from notaurl/services/oauth2/token', 'ERR_INVALID_URL', ['login-url-invalid']],
    ['unknown scheme', 'unknown scheme', ['login-url-not-http']],
    ['bad port', 'bad port', ['login-url-bad-port']],
    ['407', '407', ['proxy']],
    ['Proxy Authentication Required', '407', ['proxy']],
    ['fetch failed', 'fetch failed', ['connection-refused', 'dns', 'tls-untrusted-ca', 'tls-interception', 'timeout', 'proxy', 'https-to-http-port', 'http-to-https-port']],
    // A pasted log line: the code in the cause wins over "fetch failed".
    [
      "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13510:13 {\n  [cause]: Error: connect ECONNREFUSED 127.0.0.1:8443 { code: 'ECONNREFUSED' } }",
      'ECONNREFUSED',
      ['connection-refused', 'proxy'],
    ],
    ['tls-interception', 'tls-interception', ['tls-interception']],
    ['dns', 'dns', ['dns']],
  ])('%j → %s', (query, code, causes) => {
    const e = network(query);
    expect([e.code, e.causes.map((c) => c.id)]).toEqual([code, causes]);
    for (const c of e.causes) expect(c).toEqual({ id: c.id, ...NO_ANSWER_CAUSES[c.id] });
  });

  it('every code and message is explained as itself, and every cause id too', () => {
    for (const a of NETWORK_ANSWERS) for (const q of [a.code, ...a.also]) expect(network(q).code).toBe(a.code);
    for (const id of NO_ANSWER_IDS) expect(network(id).causes.map((c) => c.id)).toEqual([id]);
  });

  it('explainable() lists the codes, and a typo gets them as close matches', () => {
    expect(explainable().networkAnswers).toEqual(NETWORK_ANSWERS.map((a) => a.code));
    expect(explainable().networkAnswers.slice(0, 3)).toEqual(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
    expect(explain('ECONREFUSED')).toBeUndefined();
    expect(explainSuggestions('ECONREFUSED')).toEqual(['ECONNREFUSED']);
  });

  it('what Salesforce answers is still explained as before', () => {
    expect(explain('invalid_grant')?.kind).toBe('answer');
    expect(explain('INVALID_SESSION_ID')?.kind).toBe('api-answer');
    expect(explain('tls')?.kind).toBe('check');
  });

  it('renders the meaning, the causes with their fix, and how to tell them apart', () => {
    const text = renderExplanation(network('UNABLE_TO_VERIFY_LEAF_SIGNATURE'));
    expect(text.split('\n').slice(0, 5)).toEqual([
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE  (no HTTP answer: what the request reported)',
      '',
      'What it means',
      "  The CA that issued the server's certificate is not one this machine trusts (and the server did not",
      '  send it).',
    ]);
    expect(text).toContain("\nCauses (2)\n  1. tls-untrusted-ca: The server's certificate comes from a CA this machine does not trust\n");
    expect(text).toContain('\n  2. tls-interception: A TLS-inspecting proxy answers in place of the server\n');
    expect(text).toContain('\n     fix: Trust the CA that issued the certificate: its PEM with --ca FILE (doctor, token; caFile in\n');
    expect(text).toContain('\nHow to tell them apart\n  - tls-untrusted-ca: Read the issuer of the certificate presented: openssl s_client -connect');
    expect(text).toContain('\n  - tls-interception: openssl s_client -connect login.salesforce.com:443');
    expect(renderExplanation(network('CERT_HAS_EXPIRED'))).toContain('\nHow to confirm it\n  - tls-cert-expired: Compare date -u with the real time');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('npx sfjwt explain, for no answer', () => {
  const env = { SFJWT_HOME: mkdtempSync(join(tmpdir(), 'sfjwt-explain-network-')), NO_COLOR: '1' };
  const run = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      stdout: { write: (chunk) => ((stdout += chunk), true) },
      stderr: { write: (chunk) => ((stderr += chunk), true) },
      stdin: Readable.from([]),
      env,
      now: () => NOW,
    });
    return { code, stdout, stderr };
  };

  it.each([
    [['ECONNREFUSED'], 'ECONNREFUSED  (no HTTP answer: what the request reported)'],
    [['unable', 'to', 'verify', 'the', 'first', 'certificate'], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE  (no HTTP answer: what the request reported)'],
    [['getaddrinfo ENOTFOUND login.salesforce.co'], 'ENOTFOUND  (no HTTP answer: what the request reported)'],
    [['socket hang up'], 'ECONNRESET  (no HTTP answer: what the request reported)'],
  ])('%j exits 0', async (args, first) => {
    const r = await run(['explain', ...args]);
    expect([r.code, r.stdout.split('\n')[0], r.stderr]).toEqual([0, first, '']);
  });

  it('--json prints the causes with how to confirm each and the fix', async () => {
    const r = await run(['explain', '--json', 'ECONNREFUSED']);
    const e = JSON.parse(r.stdout) as NetworkAnswerExplanation;
    expect([e.kind, e.code, e.causes.map((c) => [c.id, c.fix])]).toEqual([
      'network-answer',
      'ECONNREFUSED',
      [
        ['connection-refused', NO_ANSWER_CAUSES['connection-refused'].fix],
        ['proxy', NO_ANSWER_CAUSES.proxy.fix],
      ],
    ]);
  });

  it('an unknown query lists the codes among what explain knows', async () => {
    const r = await run(['explain', 'hello world']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('what a request that got no answer reports (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ETIMEDOUT,');
  });
});
