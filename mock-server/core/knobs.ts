/**
 * Behaviour knobs: where the evidence about the real endpoint runs out, the mock's behaviour is a
 * documented, switchable default. Each knob carries its confidence (DOC, OBS+, OBS1, INF), the
 * reason for its default, and is settable from a world file, `startMockOrg({knobs})` or the admin API.
 * Every number knob has a range (RANGES) that keeps the mock's promises: bodies stay small, the
 * journal and the login-rate counters stay bounded, times stay within what Salesforce offers (or a
 * little below, for tests). A value outside it is refused wherever it comes from, with one message
 * that names the knob, the value and the range.
 */
import { z } from 'zod';
import { SfjwtError } from '../../lib/errors.ts';

/** The values a number knob takes: integers from `min` to `max`, and null too where `nullable`. */
export interface KnobRange {
  readonly min: number;
  readonly max: number;
  readonly nullable?: true;
}

const HOUR = 3_600;
const DAY = 86_400;
const MIB = 1_048_576;

/**
 * Why each bound is where it is, next to it. The bounds are also docs/knobs.md's; changing one is a
 * change of what the mock promises.
 */
export const RANGES = {
  // Up to a day: any leeway beyond that no longer tests expiry at all.
  expLeewaySeconds: { min: 0, max: DAY },
  // Up to a year ahead; null (no bound) is the default, for the sf CLI's millisecond exp.
  expMaxFutureSeconds: { min: 1, max: 365 * DAY, nullable: true },
  // The counter keeps up to this many login times per user (8 bytes each): at most ~800 KB a user.
  loginRatePerHour: { min: 1, max: 100_000, nullable: true },
  // Real orgs take 2-10 minutes; an hour is room enough to rehearse a slow one.
  propagationDelaySeconds: { min: 0, max: HOUR },
  // Salesforce's Session Settings offer 15 minutes to 24 hours; below 900 s is for tests (tokens that expire at once).
  sessionTimeoutSeconds: { min: 1, max: DAY, nullable: true },
  // 1 MiB by default (a real token request is a few KB); up to 4 MiB for a test of large bodies.
  // A body is held whole while it is read, on each of up to 10,000 connections per listener: a
  // limit of 100 MiB would let a handful of clients hold gigabytes.
  maxBodyBytes: { min: 1_024, max: 4 * MIB },
  // Tomcat's maxParameterCount is 10,000 before Tomcat 11 and 1,000 from it (Jetty's maxFormKeys: 1,000);
  // past 10,000 a flood of parameters costs tens of milliseconds again.
  maxFormParameters: { min: 1, max: 10_000 },
  // A usual trace is ~3.5 KB of JSON (~40 KB at most, and the journal keeps 64 MiB of them at
  // most): 10,000 usual ones fit; a million only made the ring itself (and GET /journal) huge.
  journalSize: { min: 1, max: 10_000 },
  // Developer Edition has 15,000 a day; Enterprise 100,000 plus 1,000 a licence: ten million covers
  // any edition. One request is one number in the counter, so the range costs nothing.
  dailyApiRequests: { min: 1, max: 10_000_000 },
  // 0: nothing retired; 67: only the latest version left. Summer '25 retired 21.0-30.0 (7.0-20.0 in Summer '22).
  retiredApiVersionsUpTo: { min: 0, max: 67 },
  // Down to a second for tests of expiry; up to the two days a help article gives.
  queryLocatorIdleSeconds: { min: 1, max: 2 * DAY },
} as const satisfies Record<string, KnobRange>;

/** What a number knob must be, in words: `an integer from 0 to 86400` (`null or …` where null is allowed). */
export function rangeText(range: KnobRange): string {
  return `${range.nullable === true ? 'null or ' : ''}an integer from ${range.min} to ${range.max}`;
}

/** An integer knob whose every refusal (wrong type, not whole, too small, too big) says the range. */
function intKnob(range: KnobRange) {
  const error = `must be ${rangeText(range)}`;
  return z.int({ error }).min(range.min, { error }).max(range.max, { error });
}

const nullableIntKnob = (range: KnobRange & { nullable: true }) => intKnob(range).nullable();
const booleanKnob = () => z.boolean({ error: 'must be true or false' });

export const KnobsSchema = z.strictObject({
  expLeewaySeconds: intKnob(RANGES.expLeewaySeconds),
  expMaxFutureSeconds: nullableIntKnob(RANGES.expMaxFutureSeconds),
  audienceLenient: booleanKnob(),
  myDomainAudience: z.enum(['audience-invalid', 'not-approved', 'accept'], { error: 'must be "audience-invalid", "not-approved" or "accept"' }),
  ecaRequiresMyDomainAudience: booleanKnob(),
  honourFormat: booleanKnob(),
  loginRatePerHour: nullableIntKnob(RANGES.loginRatePerHour),
  propagationDelaySeconds: intKnob(RANGES.propagationDelaySeconds),
  requireTls: booleanKnob(),
  sessionTimeoutSeconds: nullableIntKnob(RANGES.sessionTimeoutSeconds),
  maxBodyBytes: intKnob(RANGES.maxBodyBytes),
  maxFormParameters: intKnob(RANGES.maxFormParameters),
  traceHeader: booleanKnob(),
  journalSize: intKnob(RANGES.journalSize),
  issuedAtAndSignature: booleanKnob(),
  canonicalBase64url: booleanKnob(),
  revokeUnknownToken: z.enum(['unsupported_token_type', 'invalid_token'], { error: 'must be "unsupported_token_type" or "invalid_token"' }),
  deactivationEndsSessions: booleanKnob(),
  freezeEndsSessions: booleanKnob(),
  collapseLeadingSlashes: booleanKnob(),
  dailyApiRequests: intKnob(RANGES.dailyApiRequests),
  retiredApiVersionsUpTo: intKnob(RANGES.retiredApiVersionsUpTo),
  queryLocatorIdleSeconds: intKnob(RANGES.queryLocatorIdleSeconds),
});

export type Knobs = z.infer<typeof KnobsSchema>;
/** Some knobs to change; unset (or undefined) ones keep their value. */
export type KnobChanges = { [K in keyof Knobs]?: Knobs[K] | undefined };
export type Confidence = 'DOC' | 'OBS+' | 'OBS1' | 'INF' | 'conflicting';

export interface KnobInfo {
  name: keyof Knobs;
  default: Knobs[keyof Knobs];
  /** How sure we are of Salesforce's behaviour; `harness` for settings of sfjwt itself. */
  confidence: Confidence | 'harness';
  description: string;
  /** For a number knob, the values it takes (RANGES); the other knobs take what their type says. */
  range?: KnobRange;
}

export const KNOBS: readonly KnobInfo[] = [
  {
    name: 'expLeewaySeconds',
    default: 180,
    confidence: 'INF',
    description: 'Seconds past `exp` an assertion is still accepted (Salesforce documents 3 minutes for SAML assertions).',
    range: RANGES.expLeewaySeconds,
  },
  {
    name: 'expMaxFutureSeconds',
    default: null,
    confidence: 'OBS+',
    description: "Upper bound on how far ahead `exp` may be; null for none, so the sf CLI's millisecond `exp` passes as it does on real orgs.",
    range: RANGES.expMaxFutureSeconds,
  },
  {
    name: 'audienceLenient',
    default: true,
    confidence: 'INF',
    description:
      '`aud` matching ignores one trailing slash, the letter case of the scheme and host, and a missing https:// scheme, and nothing else (no URL parsing: userinfo, a query, `:443`, dot segments or look-alike characters are `audience is invalid`); off, only the exact URL matches.',
  },
  {
    name: 'myDomainAudience',
    default: 'audience-invalid',
    confidence: 'conflicting',
    description:
      "What a connected app answers to `aud` = the org's My Domain URL: `audience is invalid` (2022-23 reports), `user hasn't approved this consumer` (2024 reports) or accept. External Client Apps always accept it.",
  },
  { name: 'ecaRequiresMyDomainAudience', default: true, confidence: 'OBS+', description: "External Client Apps answer `app_not_found` to a login/test `aud` (Spring '26)." },
  { name: 'honourFormat', default: true, confidence: 'INF', description: 'The `format` parameter or `Accept` header chooses json, urlencoded or xml responses, as documented for other flows.' },
  {
    name: 'loginRatePerHour',
    default: 3_600,
    confidence: 'OBS+',
    description: 'Successful logins per user per rolling hour before `login rate exceeded`; null for no limit.',
    range: RANGES.loginRatePerHour,
  },
  {
    name: 'propagationDelaySeconds',
    default: 0,
    confidence: 'OBS+',
    description: 'Seconds after an app is created or changed during which its consumer key is still unknown (2-10 minutes on real orgs; 0 by default so worlds work at once).',
    range: RANGES.propagationDelaySeconds,
  },
  { name: 'requireTls', default: true, confidence: 'INF', description: 'Plain http:// gets `invalid_request` / `HTTPS required`. `serve --http` turns it off unless asked for.' },
  {
    name: 'sessionTimeoutSeconds',
    default: null,
    confidence: 'DOC',
    description:
      "Overrides every org's session timeout (how long an access token stays valid unused: use refreshes it once half the timeout has passed); null uses each org's setting. Salesforce offers 15 minutes to 24 hours; shorter ones are for tests.",
    range: RANGES.sessionTimeoutSeconds,
  },
  { name: 'maxBodyBytes', default: 1_048_576, confidence: 'INF', description: 'Larger request bodies get 413.', range: RANGES.maxBodyBytes },
  {
    name: 'maxFormParameters',
    default: 1_000,
    confidence: 'INF',
    description:
      "Form parameters read (query string and body together, in order); the rest are ignored, as a Java servlet container does past its limit (Tomcat 11's maxParameterCount and Jetty's maxFormKeys are 1,000), so a flood of parameters costs no more than a usual request.",
    range: RANGES.maxFormParameters,
  },
  { name: 'traceHeader', default: true, confidence: 'harness', description: "Adds `x-sfjwt-trace: <id>` to every response; strict mode turns it off so responses are byte-identical to Salesforce's." },
  { name: 'journalSize', default: 1_000, confidence: 'harness', description: 'How many requests the journal keeps (newest first); older ones are dropped.', range: RANGES.journalSize },
  { name: 'issuedAtAndSignature', default: false, confidence: 'INF', description: 'Adds `issued_at` and `signature` to a token response, as other flows do.' },
  {
    name: 'canonicalBase64url',
    default: false,
    confidence: 'INF',
    description:
      'Refuses with `invalid assertion` a header, payload or signature whose base64url is not the one spelling an encoder writes for its bytes: unused bits set in the last character, or a length of 4n+1 (RFC 4648 §3.5 lets a decoder refuse them). Off, as the Java decoders Salesforce runs on ignore those bits: a re-spelt signature is presumably accepted there too.',
  },
  {
    name: 'revokeUnknownToken',
    default: 'unsupported_token_type',
    confidence: 'OBS1',
    description:
      'The 400 error of `/services/oauth2/revoke` for a token that is no live session (unknown, expired, already revoked, or none sent): `unsupported_token_type` / `this token type is not supported`, as reported, or `invalid_token` / `the token is invalid` (the other documented code; its description is inferred).',
  },
  {
    name: 'deactivationEndsSessions',
    default: true,
    confidence: 'INF',
    description: "Deactivating a user (Setup `user-state` with `active: false`) ends the user's live sessions at once: their access tokens answer INVALID_SESSION_ID.",
  },
  {
    name: 'freezeEndsSessions',
    default: true,
    confidence: 'INF',
    description:
      "Freezing a user ends the user's live sessions at once, as deactivating does; off, a frozen user's tokens keep working until they time out (freezing is documented only to prevent logins).",
  },
  {
    name: 'collapseLeadingSlashes',
    default: true,
    confidence: 'INF',
    description:
      'A REST or identity path that starts with more than one slash (`//services/data/…`, as @salesforce/core sends right after a login) is served as the path with one, as the sf CLI working against real orgs suggests; off, it is an unknown path (404).',
  },
  {
    name: 'dailyApiRequests',
    default: 15_000,
    confidence: 'DOC',
    description:
      "The org's DailyApiRequests allocation (Developer Edition: 15,000 a day). Every REST call with a live session spends one; once all are spent, REST calls get 403 `REQUEST_LIMIT_EXCEEDED`. `Sforce-Limit-Info: api-usage=N/M` and `/limits` show the count; reset clears it.",
    range: RANGES.dailyApiRequests,
  },
  {
    name: 'retiredApiVersionsUpTo',
    default: 30,
    confidence: 'DOC',
    description:
      "REST API versions up to this one are retired (7.0-30.0 since Summer '25): `/services/data/vNN.0/…` answers 410 GONE for them and the version list starts after it. The 410 body is inferred.",
    range: RANGES.retiredApiVersionsUpTo,
  },
  {
    name: 'queryLocatorIdleSeconds',
    default: 900,
    confidence: 'conflicting',
    description:
      "Seconds a query cursor (a `nextRecordsUrl`) lives without use before it answers INVALID_QUERY_LOCATOR: 15 minutes of inactivity in the SOAP API's QueryLocator page; a help article says two days after the query.",
    range: RANGES.queryLocatorIdleSeconds,
  },
];

export const DEFAULT_KNOBS: Knobs = Object.fromEntries(KNOBS.map((k) => [k.name, k.default])) as Knobs;

/** Knobs given in code (`new MockOrg({knobs})`, `startMockOrg({knobs})`) that are unknown or out of range. */
export class KnobError extends SfjwtError {
  override readonly code = 'ERR_KNOB';
}

/** The first knob of some changes that cannot be taken: which, what was sent, what it takes, in one message. */
export interface KnobProblem {
  /** The knob's name as sent (an unknown one too); absent when the changes are not an object at all. */
  knob?: string;
  /** The value as sent; its JSON cut short when that is longer than 60 characters. */
  value?: unknown;
  range?: KnobRange;
  /** `maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600`. */
  message: string;
  fix: string;
}

const FIX = 'docs/knobs.md (in the sfjwt package) lists every knob with its range.';

/** A value as a message shows it: JSON, cut short, so an admin body of 1 MiB is not echoed whole. */
function shown(value: unknown): string {
  const json = value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value);
  return json.length > 60 ? `${json.slice(0, 40)}… (${json.length} characters)` : json;
}

/**
 * Why some knob changes cannot be taken, or undefined when they can. The schema decides (so a world
 * file, the CLI, the admin API and code refuse the same values); this names the first bad knob.
 */
export function knobProblem(changes: unknown): KnobProblem | undefined {
  const parsed = KnobsSchema.partial().safeParse(changes);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const unknownKnob = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const knob = unknownKnob ?? issue?.path[0];
  if (typeof knob !== 'string' || typeof changes !== 'object' || changes === null) {
    return { message: `knobs must be an object of knob names and values, got ${shown(changes)}`, fix: FIX };
  }
  // Own keys only: "constructor" is an unknown knob, not a property of a prototype.
  const sent = Object.hasOwn(changes, knob) ? (changes as Record<string, unknown>)[knob] : undefined;
  const text = shown(sent);
  const value = text === JSON.stringify(sent) ? sent : text;
  if (unknownKnob !== undefined) return { knob, value, message: `unknown knob ${shown(knob)}`, fix: `Knobs: ${KNOBS.map((k) => k.name).join(', ')}.` };
  const range = KNOBS.find((k) => k.name === knob)?.range;
  return { knob, value, ...(range === undefined ? {} : { range }), message: `${knob}: ${issue?.message ?? 'not accepted'}, got ${text}`, fix: FIX };
}

/** Merges partial knobs over the defaults; a layer with an unknown or out-of-range knob is a KnobError. */
export function resolveKnobs(...layers: readonly (KnobChanges | undefined)[]): Knobs {
  const merged: Record<string, unknown> = { ...DEFAULT_KNOBS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    const problem = knobProblem(layer);
    if (problem !== undefined) throw new KnobError(problem.message, { actions: [problem.fix] });
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  }
  return KnobsSchema.parse(merged);
}
