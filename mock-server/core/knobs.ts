/**
 * Behaviour knobs: where the evidence about the real endpoint runs out, the mock's behaviour is a
 * documented, switchable default. Each knob carries its confidence (DOC, OBS+, OBS1, INF), the
 * reason for its default, and is settable from a world file, `startMockOrg({knobs})` or the admin API.
 */
import { z } from 'zod';

export const KnobsSchema = z.strictObject({
  expLeewaySeconds: z.int().min(0).max(86_400),
  expMaxFutureSeconds: z.int().min(1).nullable(),
  audienceLenient: z.boolean(),
  myDomainAudience: z.enum(['audience-invalid', 'not-approved', 'accept']),
  ecaRequiresMyDomainAudience: z.boolean(),
  honourFormat: z.boolean(),
  loginRatePerHour: z.int().min(1).nullable(),
  propagationDelaySeconds: z.int().min(0).max(86_400),
  requireTls: z.boolean(),
  sessionTimeoutSeconds: z.int().min(1).nullable(),
  maxBodyBytes: z
    .int()
    .min(1_024)
    .max(100 * 1024 * 1024),
  traceHeader: z.boolean(),
  journalSize: z.int().min(1).max(1_000_000),
  issuedAtAndSignature: z.boolean(),
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
}

export const KNOBS: readonly KnobInfo[] = [
  { name: 'expLeewaySeconds', default: 180, confidence: 'INF', description: 'Seconds past `exp` an assertion is still accepted (Salesforce documents 3 minutes for SAML assertions).' },
  {
    name: 'expMaxFutureSeconds',
    default: null,
    confidence: 'OBS+',
    description: "Upper bound on how far ahead `exp` may be; null for none, so the sf CLI's millisecond `exp` passes as it does on real orgs.",
  },
  { name: 'audienceLenient', default: true, confidence: 'INF', description: '`aud` matching ignores a trailing slash, letter case of the host and a missing https:// scheme.' },
  {
    name: 'myDomainAudience',
    default: 'audience-invalid',
    confidence: 'conflicting',
    description:
      "What a connected app answers to `aud` = the org's My Domain URL: `audience is invalid` (2022-23 reports), `user hasn't approved this consumer` (2024 reports) or accept. External Client Apps always accept it.",
  },
  { name: 'ecaRequiresMyDomainAudience', default: true, confidence: 'OBS+', description: "External Client Apps answer `app_not_found` to a login/test `aud` (Spring '26)." },
  { name: 'honourFormat', default: true, confidence: 'INF', description: 'The `format` parameter or `Accept` header chooses json, urlencoded or xml responses, as documented for other flows.' },
  { name: 'loginRatePerHour', default: 3_600, confidence: 'OBS+', description: 'Successful logins per user per rolling hour before `login rate exceeded`; null for no limit.' },
  {
    name: 'propagationDelaySeconds',
    default: 0,
    confidence: 'OBS+',
    description: 'Seconds after an app is created or changed during which its consumer key is still unknown (2-10 minutes on real orgs; 0 by default so worlds work at once).',
  },
  { name: 'requireTls', default: true, confidence: 'INF', description: 'Plain http:// gets `invalid_request` / `HTTPS required`. `serve --http` turns it off unless asked for.' },
  { name: 'sessionTimeoutSeconds', default: null, confidence: 'DOC', description: "Overrides every org's session timeout (how long an access token is valid); null uses each org's setting." },
  { name: 'maxBodyBytes', default: 1_048_576, confidence: 'INF', description: 'Larger request bodies get 413.' },
  { name: 'traceHeader', default: true, confidence: 'harness', description: "Adds `x-sfjwt-trace: <id>` to every response; strict mode turns it off so responses are byte-identical to Salesforce's." },
  { name: 'journalSize', default: 1_000, confidence: 'harness', description: 'How many requests the journal keeps (newest first); older ones are dropped.' },
  { name: 'issuedAtAndSignature', default: false, confidence: 'INF', description: 'Adds `issued_at` and `signature` to a token response, as other flows do.' },
];

export const DEFAULT_KNOBS: Knobs = Object.fromEntries(KNOBS.map((k) => [k.name, k.default])) as Knobs;

/** Merges partial knobs over the defaults, validating them. */
export function resolveKnobs(...layers: readonly (KnobChanges | undefined)[]): Knobs {
  const merged: Record<string, unknown> = { ...DEFAULT_KNOBS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  }
  return KnobsSchema.parse(merged);
}
