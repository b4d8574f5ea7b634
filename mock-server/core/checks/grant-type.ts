/**
 * The form and `grant_type`. Salesforce reads parameters from an application/x-www-form-urlencoded
 * body (and from the query string); a body it cannot read as a form, parameters sent as HTTP headers,
 * a misspelled key or a truncated value all end in `unsupported_grant_type`.
 */
import { type Check, fail, pass, show, type TokenContext } from '../check.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function isFormContentType(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Why the form lacks `grant_type`, in plain words, with the fix. */
function diagnoseMissing(ctx: TokenContext): { actual: string; fix: string } {
  const contentType = ctx.header('content-type');
  const body = ctx.body;
  if (ctx.header('grant_type') !== null || ctx.header('assertion') !== null) {
    return {
      actual: 'grant_type / assertion arrived as HTTP headers',
      fix: 'Send grant_type and assertion in the request body as form fields (Postman: Body > x-www-form-urlencoded), not as headers.',
    };
  }
  if (!isFormContentType(contentType)) {
    const trimmed = body.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      return {
        actual: `a JSON body with Content-Type ${show(contentType ?? '(none)')}`,
        fix: 'Send the parameters form-encoded (grant_type=...&assertion=...) with Content-Type: application/x-www-form-urlencoded, not as JSON.',
      };
    }
    return {
      actual: `Content-Type ${contentType === null ? '(none)' : show(contentType)}: the body is not read as a form`,
      fix: 'Set Content-Type: application/x-www-form-urlencoded and form-encode the body.',
    };
  }
  const keys = [...ctx.params.keys()];
  const nearMiss = keys.find((k) => k !== 'grant_type' && /^gr[a-z]*n?d?_?type$/i.test(k.replace(/[-\s]/g, '_')));
  if (nearMiss !== undefined) return { actual: `a parameter named ${show(nearMiss)}`, fix: `Rename the parameter ${show(nearMiss)} to grant_type.` };
  return { actual: `no grant_type parameter (parameters: ${keys.length === 0 ? 'none' : keys.map((k) => show(k, 30)).join(', ')})`, fix: `Add grant_type=${JWT_BEARER} to the form body.` };
}

export const grantTypeCheck: Check = {
  id: 'grant-type',
  title: 'Form body with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer',
  level: 'MUST',
  confidence: 'OBS+',
  description: 'Parameters come form-encoded (Content-Type: application/x-www-form-urlencoded) in the body or the query string, and grant_type is exactly urn:ietf:params:oauth:grant-type:jwt-bearer.',
  outcomes: ['unsupportedGrantType'],
  knobs: ['maxBodyBytes'],
  rootCause: { title: 'The form or grant_type is wrong', fix: `POST grant_type=${JWT_BEARER}&assertion=<JWT> with Content-Type: application/x-www-form-urlencoded.` },
  confirm:
    'look at the raw request: the Content-Type (application/x-www-form-urlencoded), where the parameters travel (body, not headers or JSON) and the exact grant_type key and value; npx sfjwt doctor --request FILE lints a captured request.',
  run(ctx) {
    const grantType = ctx.params.get('grant_type');
    if (grantType === JWT_BEARER) {
      const fromQuery = ctx.url.searchParams.get('grant_type') === JWT_BEARER && !isFormContentType(ctx.header('content-type'));
      return pass(JWT_BEARER, JWT_BEARER, fromQuery ? 'parameters were read from the query string, which Salesforce accepts on a POST' : undefined);
    }
    if (grantType === null) {
      const { actual, fix } = diagnoseMissing(ctx);
      return fail('unsupportedGrantType', `grant_type=${JWT_BEARER} in a form body`, actual, fix);
    }
    let fix = `Set grant_type to exactly ${JWT_BEARER}.`;
    if (JWT_BEARER.startsWith(grantType) && grantType.length > 0) fix = `The value is cut short: it must end in ":jwt-bearer" (${JWT_BEARER}).`;
    else if (grantType.trim() === JWT_BEARER) fix = 'Remove the white space around the grant_type value.';
    else if (grantType.toLowerCase() === JWT_BEARER) fix = `grant_type is case-sensitive: use ${JWT_BEARER}.`;
    return fail('unsupportedGrantType', JWT_BEARER, show(grantType), fix);
  },
};
