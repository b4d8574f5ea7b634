/**
 * What a lab is: a broken setup on the training ground (the default world) that a trainee repairs.
 * The break is on the request side (the integration's starter request, a draft with one mistake), on
 * the org's side (Setup changes applied when the lab starts), or both. A lab tells the trainee only
 * the story and the symptom, the answer the integration gets; hints come one at a time; the check
 * reads the mock's journal. Ids are stable (progress files and trainers' notes name them); the
 * number is the position in the catalogue, easiest first.
 */
import type { SetupActionName } from '../setup/actions.ts';
import type { Draft } from './draft.ts';

/** Where the integration posts (and names as aud): login, test, or the My Domain of the user's org. */
export type LabHost = 'login' | 'test' | 'my-domain';

/** A change to the world made when the lab starts: a Setup action, or the app's certificate swapped for one of another key. */
export type LabBreak = { action: SetupActionName; input: Record<string, unknown> } | { replaceCertificate: string };

export interface Lab {
  id: string;
  /** What the trainee sees in the list: the situation, never the cause. */
  title: string;
  /** The story `start` tells. */
  story: string;
  /** The answer the broken setup gets, byte for byte. */
  symptom: { status: number; body: string };
  /** Who the integration logs in as, with which app, posted where. */
  as: { username: string; app: string; host: LabHost };
  /** The mistake in the integration's request, applied to the correct starter draft. */
  starter?: (draft: Draft) => void;
  breaks?: readonly LabBreak[];
  /** Where the fix goes: the integration's request, or the org's setup. */
  fixedIn: 'request' | 'org';
  hints: readonly string[];
  /** The scenario of the catalogue whose answer is the lab's symptom (the field guide links the two). */
  scenario: string;
  /** What it teaches, for the trainer's page and after the lab is solved. */
  teaches: string;
}

/** A lab with its place in the catalogue (1 is the first). */
export interface NumberedLab extends Lab {
  number: number;
}
