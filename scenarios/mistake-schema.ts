/**
 * Mistakes as data. A mistake is a named change applied at exactly one step of building a JWT Bearer
 * request: the claims, the payload text, the JOSE header, the signature, the form, or how it is sent.
 * Values may be symbolic (`{"$": "consumerSecret"}`, `{"$": "now", "seconds": -3600}`) so one
 * scenario file works against any target. Scenario files can only describe requests: nothing in a
 * mistake runs code, reaches a host other than the target's, or changes a budget.
 */
import { z } from 'zod';
import { HOST_ROLES, USER_ROLES } from '../lib/roles.ts';

// Roles are enums, never free text: a target looks them up in its tables, and a name such as
// "constructor" must be refused here, naming the field, not found on some object's prototype there.
const HostRole = z.enum(HOST_ROLES);

/** Values resolved against the target at build time. */
export const SymbolSchema = z.discriminatedUnion('$', [
  /** Seconds since the epoch, now plus `seconds`. */
  z.strictObject({ $: z.literal('now'), seconds: z.int().default(0) }),
  /** Milliseconds since the epoch, now plus `ms` (the sf CLI's `exp`). */
  z.strictObject({ $: z.literal('nowMs'), ms: z.int().default(0) }),
  z.strictObject({ $: z.literal('consumerSecret') }),
  z.strictObject({ $: z.literal('appName') }),
  z.strictObject({ $: z.literal('userEmail') }),
  z.strictObject({ $: z.literal('userId') }),
  z.strictObject({ $: z.literal('username'), role: z.enum(USER_ROLES) }),
  /** The base URL of a host role as the client sees it (`login`, `test`, `my-domain`, …). */
  z.strictObject({ $: z.literal('url'), host: HostRole, suffix: z.string().default('') }),
  /** The real Salesforce URL of a host role (`https://login.salesforce.com`, the org's My Domain). */
  z.strictObject({ $: z.literal('realUrl'), host: HostRole, prefix: z.string().default(''), suffix: z.string().default('') }),
  /** A value turned into a JSON string (exp as "1700000000"). */
  z.strictObject({ $: z.literal('string'), seconds: z.int() }),
]);

const PlainValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** An object with its own "$" key, which the client resolves as a symbol (src/client/build-request.ts `resolveValue`). */
const isSymbolic = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, '$');

/**
 * A claim, header or form value: plain JSON, or a symbol. An object with a "$" key must be a valid
 * symbol, with the wrong field named: were it taken as a plain object, the client would still resolve
 * it as a symbol, with a role no schema had checked.
 */
const ValueSchema: z.ZodType<unknown> = z.unknown().transform((value, ctx) => {
  const parsed = (isSymbolic(value) ? SymbolSchema : PlainValueSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  // Each issue whole (its code, the values it allows), so that it can be worded for a user.
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

export const MistakeSchema = z.discriminatedUnion('at', [
  z.strictObject({
    at: z.literal('claims'),
    rename: z.record(z.string(), z.string()).optional(),
    set: z.record(z.string(), ValueSchema).optional(),
    remove: z.array(z.string()).optional(),
  }),
  /** Text edits of the serialised payload, before base64url: a missing quote, a trailing comma. */
  z.strictObject({ at: z.literal('payload'), replace: z.strictObject({ find: z.string().min(1), with: z.string() }) }),
  z.strictObject({ at: z.literal('header'), set: z.record(z.string(), ValueSchema).optional(), remove: z.array(z.string()).optional() }),
  z.strictObject({
    at: z.literal('sign'),
    /** hmac-private-key-text: HS256 keyed with the PEM text (the "HMACSHA256" step of some guides). */
    with: z.enum(['rs256', 'hmac-private-key-text', 'none', 'other-key', 'ec-key']).optional(),
    tamper: z.enum(['payload-after-signing', 'strip-signature', 'truncate-signature', 'two-parts']).optional(),
  }),
  z.strictObject({
    at: z.literal('form'),
    rename: z.record(z.string(), z.string()).optional(),
    set: z.record(z.string(), z.string()).optional(),
    remove: z.array(z.string()).optional(),
    /** How the parameters travel: json body, HTTP headers, query string, no or a wrong Content-Type. */
    encoding: z.enum(['form', 'json', 'headers', 'query', 'no-content-type', 'text-plain', 'multipart']).optional(),
  }),
  z.strictObject({
    at: z.literal('send'),
    method: z.enum(['GET', 'PUT', 'PATCH', 'DELETE']).optional(),
    scheme: z.literal('http').optional(),
    /** Post to another host role than the scenario's. */
    host: HostRole.optional(),
    path: z.string().startsWith('/').optional(),
  }),
]);

export type Mistake = z.infer<typeof MistakeSchema>;
export type SymbolicValue = z.infer<typeof SymbolSchema>;
