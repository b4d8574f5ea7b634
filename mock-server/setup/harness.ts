/**
 * The mock's own controls, which Salesforce Setup does not have: back to the world it started with,
 * a clock offset (a client whose clock is wrong), forced outcomes (a transient error, a slow or
 * dropped answer) and knobs. Validated and answered as the Setup actions are, and for the same
 * reason: the admin API and the runner's in-process control call these functions, so they cannot
 * change the mock in two ways.
 */
import { z } from 'zod';
import { type ForcedQueue, ForcedSchema } from '../core/forced.ts';
import { type KnobChanges, type Knobs, KnobsSchema } from '../core/knobs.ts';
import type { MockOrg } from '../core/mock-org.ts';
import { defineSetup, done, type SetupResult } from './result.ts';

/** What the controls read and change of a MockOrg. */
export type HarnessOrg = Pick<MockOrg, 'knobs' | 'forced' | 'clockOffsetMs' | 'now' | 'reset' | 'setKnobs'>;

const ClockInput = z.strictObject({ offsetSeconds: z.number().min(-1e9).max(1e9) });
export type ClockInput = z.input<typeof ClockInput>;
export type ForceInput = z.input<typeof ForcedSchema>;
export interface ClockState {
  offsetSeconds: number;
  /** The org's now, ISO 8601. */
  now: string;
}
export interface ForcedState {
  pending: ReturnType<ForcedQueue['pending']>;
}

/** The controls that take input, by the admin route that serves them, each taking input of any shape. */
export const HARNESS_CONTROLS = {
  clock: defineSetup(ClockInput, (org: HarnessOrg, input): SetupResult<ClockState> => {
    org.clockOffsetMs = input.offsetSeconds * 1000;
    return done({ offsetSeconds: input.offsetSeconds, now: new Date(org.now()).toISOString() });
  }),
  force: defineSetup(ForcedSchema, (org: HarnessOrg, forced): SetupResult<ForcedState> => {
    org.forced.push(forced);
    return done({ pending: org.forced.pending() });
  }),
  knobs: defineSetup(KnobsSchema.partial(), (org: HarnessOrg, changes): SetupResult<Knobs> => {
    org.setKnobs(changes);
    return done(org.knobs);
  }),
} as const;

export const setClockOffset: (org: HarnessOrg, input: ClockInput) => SetupResult<ClockState> = HARNESS_CONTROLS.clock;
export const forceOutcome: (org: HarnessOrg, input: ForceInput) => SetupResult<ForcedState> = HARNESS_CONTROLS.force;
export const setKnobs: (org: HarnessOrg, changes: KnobChanges) => SetupResult<Knobs> = HARNESS_CONTROLS.knobs;

/** Back to the world and knobs the org started with; journal, sessions, Login History, forced outcomes and clock offset cleared. */
export function resetMock(org: HarnessOrg): SetupResult {
  org.reset();
  return done({});
}

export function clearForcedOutcomes(org: HarnessOrg): SetupResult<ForcedState> {
  org.forced.clear();
  return done({ pending: [] });
}
