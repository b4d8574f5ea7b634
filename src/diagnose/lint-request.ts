/**
 * Reads a whole token request the way Salesforce will: scheme, host, path, method, Content-Type, where
 * the parameters are (form body, query string, HTTP headers, JSON), `grant_type`, and then the
 * assertion itself. Used by the doctor on a captured request and by `inspect`.
 */
import { JWT_BEARER_GRANT } from '../client/assertion.ts';
import type { DiagnosticFinding } from './finding.ts';
import { lintAssertion } from './lint-assertion.ts';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface RequestLint {
  findings: DiagnosticFinding[];
  assertion: string | undefined;
  host: string | undefined;
}

export function lintRequest(req: CapturedRequest, now: number): RequestLint {
  const findings: DiagnosticFinding[] = [];
  let url: URL | undefined;
  try {
    url = new URL(req.url);
  } catch {
    findings.push({
      id: 'url-invalid',
      check: 'host',
      severity: 'error',
      title: 'Not a URL',
      saw: req.url,
      fix: 'Post to https://login.salesforce.com/services/oauth2/token (or test, or your My Domain).',
    });
    return { findings, assertion: undefined, host: undefined };
  }
  const host = url.hostname.toLowerCase();
  if (host.endsWith('.lightning.force.com'))
    findings.push({
      id: 'host-lightning',
      check: 'host',
      severity: 'error',
      title: 'The Lightning UI host',
      saw: host,
      fix: 'Post to the My Domain host (https://<domain>.my.salesforce.com); the lightning host answers with a redirect.',
    });
  if (url.protocol === 'http:') findings.push({ id: 'plain-http', check: 'tls', severity: 'error', title: 'Plain http://', saw: req.url, fix: 'Use https://.' });
  if (!url.pathname.endsWith('/services/oauth2/token'))
    findings.push({ id: 'path-wrong', check: 'path', severity: 'error', title: 'Not the token endpoint', saw: url.pathname, fix: 'The path is /services/oauth2/token (no trailing slash).' });
  if (req.method.toUpperCase() !== 'POST')
    findings.push({ id: 'method-not-post', check: 'method', severity: 'error', title: `${req.method.toUpperCase()} instead of POST`, saw: req.method, fix: 'POST the parameters in a form body.' });

  const header = (name: string) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const contentType = header('content-type');
  const isForm = contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
  const params = new URLSearchParams(url.search);
  if (isForm) for (const [k, v] of new URLSearchParams(req.body ?? '')) params.append(k, v);
  if (header('grant_type') !== undefined || header('assertion') !== undefined) {
    findings.push({
      id: 'params-as-headers',
      check: 'grant-type',
      severity: 'error',
      title: 'Parameters sent as HTTP headers',
      saw: 'grant_type / assertion are request headers',
      fix: 'Send them in the body, form-encoded (Postman: Body > x-www-form-urlencoded).',
    });
  } else if (!isForm && (req.body ?? '').trim().startsWith('{')) {
    findings.push({
      id: 'json-body',
      check: 'grant-type',
      severity: 'error',
      title: 'A JSON body',
      saw: `Content-Type ${contentType ?? '(none)'}`,
      fix: 'Form-encode the body (grant_type=…&assertion=…) with Content-Type: application/x-www-form-urlencoded.',
    });
  } else if (!isForm && (req.body ?? '') !== '') {
    findings.push({
      id: 'content-type-not-form',
      check: 'grant-type',
      severity: 'error',
      title: 'The body is not read as a form',
      saw: `Content-Type ${contentType ?? '(none)'}`,
      fix: 'Set Content-Type: application/x-www-form-urlencoded.',
    });
  }
  const grantType = params.get('grant_type');
  const hasAny = params.has('grant_type') || params.has('assertion');
  if (grantType === null && hasAny) {
    const near = [...params.keys()].find((k) => /^gr[a-z]*_?type$/i.test(k) && k !== 'grant_type');
    findings.push({
      id: 'grant-type-missing',
      check: 'grant-type',
      severity: 'error',
      title: near === undefined ? 'No grant_type' : `"${near}" instead of "grant_type"`,
      saw: `parameters: ${[...params.keys()].join(', ')}`,
      fix: `Send grant_type=${JWT_BEARER_GRANT}.`,
    });
  } else if (grantType !== null && grantType !== JWT_BEARER_GRANT) {
    findings.push({
      id: 'grant-type-wrong',
      check: 'grant-type',
      severity: 'error',
      title: 'Wrong grant_type',
      saw: `grant_type ${JSON.stringify(grantType)}`,
      fix: `grant_type is exactly ${JWT_BEARER_GRANT}.`,
    });
  }
  const assertion = params.get('assertion') ?? header('assertion') ?? undefined;
  if (assertion === undefined || assertion === '') {
    if (!findings.some((f) => f.check === 'grant-type'))
      findings.push({
        id: 'assertion-missing',
        check: 'assertion',
        severity: 'error',
        title: 'No assertion',
        saw: 'the form has no assertion',
        fix: 'Send the signed JWT as the assertion parameter.',
      });
    return { findings, assertion: undefined, host };
  }
  findings.push(...lintAssertion(assertion, { now, host }).findings);
  return { findings, assertion, host };
}
