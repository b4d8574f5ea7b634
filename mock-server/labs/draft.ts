/**
 * A lab's request as data the trainee edits: the URL, method, Content-Type and form fields of the
 * token request, and the JWT's header and claims before signing (`request.json` in a lab folder, the
 * editor of the console's Labs page). `{{now}}`, `{{now + 180}}` and `{{now - 60}}` stand for seconds
 * on the sender's clock (`clockOffsetSeconds` makes that clock wrong on purpose, as a skewed machine
 * is); `{{assertion}}` in a form value stands for the signed JWT. The alg of the header chooses the
 * signer: RS256/RS384/RS512 with the private key, HS256 keyed with the key file's text (the common
 * mistake), none unsigned. The lab folder's login.mjs does the same in plain Node, so the trainee sees
 * each step; a test proves the two send the same bytes.
 */
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { isJwsAlg, signCompact } from '../../lib/jws.ts';

export const DraftSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'expected the token URL, such as https://127.0.0.1:8443/services/oauth2/token' }),
  method: z
    .string()
    .regex(/^[A-Za-z]{1,10}$/, { message: 'expected an HTTP method such as POST' })
    .default('POST'),
  contentType: z.string().max(200).default('application/x-www-form-urlencoded'),
  form: z.record(z.string().max(200), z.string().max(20_000)),
  jwt: z.strictObject({ header: z.record(z.string().max(200), z.unknown()), claims: z.record(z.string().max(200), z.unknown()) }),
  clockOffsetSeconds: z
    .int()
    .min(-10 * 365 * 86_400)
    .max(10 * 365 * 86_400)
    .default(0),
  /** The private key file, for login.mjs (relative to the lab folder); the mock signs with the training key. */
  key: z.string().max(1000).optional(),
});

export type Draft = z.output<typeof DraftSchema>;

/** The request a draft makes, as fetch takes it. */
export interface DraftRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const NOW = /^\{\{\s*now\s*(?:([+-])\s*(\d{1,12})\s*)?\}\}$/;

/** A claim value with `{{now ± N}}` replaced by seconds on the sender's clock. */
function claimValue(value: unknown, nowSeconds: number): unknown {
  if (typeof value !== 'string') return value;
  const m = NOW.exec(value);
  if (m === null) return value;
  const n = Number(m[2] ?? 0);
  return m[1] === '-' ? nowSeconds - n : nowSeconds + n;
}

/** Why a draft cannot be signed, in words for the trainee; undefined when it can. */
export function draftProblem(draft: Draft): string | undefined {
  const alg = draft.jwt.header['alg'];
  if (!isJwsAlg(alg) || alg === 'ES256') return `the header's alg ${JSON.stringify(alg)} is not one this lab signs with: RS256, RS384, RS512, HS256 or none`;
  return undefined;
}

/** The signed assertion of a draft at `nowMs` (the real time; the draft's clock offset is added). */
export function draftAssertion(draft: Draft, privateKeyPem: string, nowMs: number): string {
  const nowSeconds = Math.floor(nowMs / 1000) + draft.clockOffsetSeconds;
  const claims = Object.fromEntries(Object.entries(draft.jwt.claims).map(([k, v]) => [k, claimValue(v, nowSeconds)]));
  const alg = draft.jwt.header['alg'];
  if (!isJwsAlg(alg) || alg === 'ES256') throw new RangeError(draftProblem(draft));
  const key = alg === 'HS256' ? Buffer.from(privateKeyPem) : alg === 'none' ? undefined : createPrivateKey(privateKeyPem);
  return signCompact({ header: draft.jwt.header, payload: claims, alg, key });
}

/** The HTTP request of a draft: the form with `{{assertion}}` filled in, encoded as its Content-Type says. */
export function draftRequest(draft: Draft, assertion: string): DraftRequest {
  const fields = Object.entries(draft.form).map(([k, v]) => [k, v.replaceAll('{{assertion}}', assertion)] as [string, string]);
  const method = draft.method.toUpperCase();
  const json = draft.contentType.toLowerCase().startsWith('application/json');
  const body = json ? JSON.stringify(Object.fromEntries(fields)) : new URLSearchParams(fields).toString();
  if (method === 'GET' || method === 'HEAD') {
    const url = new URL(draft.url);
    for (const [k, v] of fields) url.searchParams.append(k, v);
    return { url: url.toString(), method, headers: {}, body: undefined };
  }
  return { url: draft.url, method, headers: draft.contentType === '' ? {} : { 'Content-Type': draft.contentType }, body };
}
