/**
 * The shape of a scenario file: one common mistake (or one accepted variation), the roles the request
 * is made with, what Salesforce answers, the check that decides it, why, how to fix it, how sure we
 * are, and whether it may be sent to a real org. Scenario files are JSON data validated here: they
 * cannot run code, and nothing in them can change a real org's budget or opt-in.
 */
import { z } from 'zod';
import { APP_ROLES, HOST_ROLES, USER_ROLES } from '../lib/roles.ts';
import { CHECK_IDS } from '../mock-server/core/check.ts';
import { ForcedSchema } from '../mock-server/core/forced.ts';
import { KnobsSchema } from '../mock-server/core/knobs.ts';
import { MistakeSchema } from './mistake-schema.ts';

export { APP_ROLES, HOST_ROLES, USER_ROLES };
export const TARGET_KINDS = ['mock-msw', 'mock-https', 'real'] as const;

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Stable forever: reports, baselines and training material refer to it. */
  id: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, { message: 'expected a lower-case id of words joined by "." or "-", such as "claims.iss-capitalised"' }),
  title: z.string().min(1),
  level: z.enum(['MUST', 'SHOULD', 'MAY']),
  tags: z.array(z.string().min(1)).default([]),
  /** Who makes the request, with which app, posted to which host, with which `aud` (a host role; the natural one by default). */
  as: z
    .strictObject({
      user: z.enum(USER_ROLES).default('default'),
      app: z.enum(APP_ROLES).default('default'),
      host: z.enum(HOST_ROLES).default('login'),
      audience: z.enum(HOST_ROLES).optional(),
    })
    .default({ user: 'default', app: 'default', host: 'login' }),
  mistakes: z.array(MistakeSchema).default([]),
  /** State the mock must be in first (mock targets only; a scenario with this cannot run on a real org). */
  mock: z
    .strictObject({
      knobs: KnobsSchema.partial().optional(),
      force: ForcedSchema.optional(),
      /** The app was changed just now. */
      touchApp: z.boolean().optional(),
      /** The app's certificates were cleared (as a deploy can). */
      clearCertificates: z.boolean().optional(),
      /** Successful logins the user already made this hour. */
      priorLogins: z.int().min(1).max(100_000).optional(),
    })
    .optional(),
  expect: z.strictObject({
    status: z.int().min(100).max(599),
    error: z.string().optional(),
    error_description: z.string().optional(),
    /** html for the not-found page, none for an empty body; JSON otherwise. */
    body: z.enum(['json', 'html', 'none']).default('json'),
    /** The mock check that must decide; null when every check passes. */
    decidedBy: z.union([z.enum([...CHECK_IDS, 'forced']), z.null()]),
  }),
  explanation: z.string().min(1),
  fix: z.string().min(1),
  references: z.array(z.string().min(1)).default([]),
  /** How sure we are of Salesforce's answer: DOC, OBS+, OBS1, INF or conflicting. */
  confidence: z.enum(['DOC', 'OBS+', 'OBS1', 'INF', 'conflicting']),
  /** The row of shared/reference/salesforce-token-endpoint.md or the guide mistake it reproduces. */
  reproduces: z.array(z.string().min(1)).default([]),
  /** Where it can run (all by default). */
  runsOn: z.array(z.enum(TARGET_KINDS)).default([...TARGET_KINDS]),
  realOrg: z
    .strictObject({
      /** Safe to send to a real org (no lockout risk beyond one failed login). */
      safe: z.boolean(),
      /** What a real org needs for it, in plain words ("a second, unapproved user"). */
      needs: z.array(z.string()).default([]),
    })
    .default({ safe: true, needs: [] }),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** A scenario whose expected answer is not a token: it counts as a failed login on a real org. */
export function isNegative(s: Scenario): boolean {
  return s.expect.status !== 200;
}
