/**
 * The labs over the admin API, for `npx sfjwt lab` and anything else that drives a served mock:
 * GET /labs (the catalogue with the trainee's progress), GET /labs/current (the lab in hand, its
 * starting request on this mock's URLs, the hints shown), POST /labs/start {lab}, /labs/reset,
 * /labs/hint, /labs/check, and /labs/send {draft} (a draft sent as a client would, signed with the
 * training key). What a lab shows is its story and symptom; the causes come as hints, one at a time,
 * and what it teaches once it is solved. State changes pass the admin API's protection first.
 */
import { json, problem } from '../admin/answers.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import { LAB_CATALOGUE } from './catalogue.ts';
import { type Draft, DraftSchema } from './draft.ts';
import type { NumberedLab } from './lab.ts';
import { type LabRefusal, labsOf, NO_LABS } from './runtime.ts';

export const LAB_ENDPOINTS = ['GET /labs', 'GET /labs/current', 'POST /labs/start {lab}', 'POST /labs/reset', 'POST /labs/hint', 'POST /labs/check', 'POST /labs/send {draft}'];

interface LabRouteInput {
  body: unknown;
  sc: ServeContext;
}

type LabHandler = (org: MockOrg, input: LabRouteInput) => Response | Promise<Response>;

/** What a trainee may see of a lab before solving it: never the hints' text nor what it teaches. */
export function labView(lab: NumberedLab) {
  return { number: lab.number, id: lab.id, title: lab.title, story: lab.story, symptom: lab.symptom, as: lab.as, hints: lab.hints.length };
}

export type LabSummary = ReturnType<typeof labView>;
/** GET /labs/current, and what start and reset answer. */
export interface CurrentLab {
  lab: LabSummary;
  starter: Draft;
  hintsShown: string[];
  solved: string | null;
  teaches?: string;
}
/** GET /labs. */
export interface LabList {
  current: string | null;
  labs: { number: number; id: string; title: string; state: 'solved' | 'started' | 'not started'; hintsShown: number }[];
}
export interface LabHint {
  lab: string;
  hint: string;
  shown: number;
  of: number;
}

const refused = (r: LabRefusal) => problem(r.status, r.message, r.fix);

function current(org: MockOrg, sc: ServeContext): Response {
  const labs = labsOf(org);
  if (labs === undefined) return refused(NO_LABS);
  const lab = labs.current();
  if (lab === undefined) return refused(labs.noLab());
  const entry = labs.progress.read().labs[lab.id];
  return json(200, {
    lab: labView(lab),
    starter: labs.starter(lab, sc.urls),
    hintsShown: labs.shownHints(),
    solved: entry?.solved ?? null,
    ...(entry?.solved === undefined ? {} : { teaches: lab.teaches }),
  });
}

const HANDLERS = new Map<string, LabHandler>([
  [
    'GET /labs',
    (org) => {
      const labs = labsOf(org);
      if (labs === undefined) return refused(NO_LABS);
      const { progress } = labs.list();
      return json(200, {
        current: progress.current ?? null,
        labs: LAB_CATALOGUE.map((l) => {
          const entry = progress.labs[l.id];
          return { number: l.number, id: l.id, title: l.title, state: entry?.solved !== undefined ? 'solved' : entry !== undefined ? 'started' : 'not started', hintsShown: entry?.hints ?? 0 };
        }),
      });
    },
  ],
  ['GET /labs/current', (org, { sc }) => current(org, sc)],
  [
    'POST /labs/start',
    (org, { body, sc }) => {
      const labs = labsOf(org);
      if (labs === undefined) return refused(NO_LABS);
      const ref = (body as { lab?: unknown } | null)?.lab;
      if (typeof ref !== 'string' && typeof ref !== 'number') return problem(400, 'lab is missing', 'Send {"lab": 1} (a number) or {"lab": "iss-capitalised"} (an id).');
      const started = labs.start(String(ref));
      return started.ok ? current(org, sc) : refused(started);
    },
  ],
  [
    'POST /labs/reset',
    (org, { sc }) => {
      const labs = labsOf(org);
      if (labs === undefined) return refused(NO_LABS);
      const reset = labs.reset();
      return reset.ok ? current(org, sc) : refused(reset);
    },
  ],
  [
    'POST /labs/hint',
    (org) => {
      const hint = labsOf(org)?.hint() ?? NO_LABS;
      return hint.ok ? json(200, { lab: hint.value.lab.id, hint: hint.value.hint, shown: hint.value.shown, of: hint.value.of }) : refused(hint);
    },
  ],
  [
    'POST /labs/check',
    (org) => {
      const labs = labsOf(org);
      const checked = labs?.check() ?? NO_LABS;
      return checked.ok ? json(200, checked.value) : refused(checked);
    },
  ],
  [
    'POST /labs/send',
    async (org, { body, sc }) => {
      const labs = labsOf(org);
      if (labs === undefined) return refused(NO_LABS);
      const parsed = DraftSchema.safeParse((body as { draft?: unknown } | null)?.draft);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return problem(
          400,
          `the draft is not a request: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'draft'}: ${issue.message}`}`,
          'Send {"draft": …} with the shape of GET /__sfjwt/labs/current\'s starter.',
        );
      }
      const sent = await labs.send(parsed.data, sc);
      return sent.ok ? json(200, sent.value) : refused(sent);
    },
  ],
]);

/** The handler of a labs path, or undefined when the path is not one of the labs'. */
export function labRoute(method: string, sub: string): LabHandler | Response | undefined {
  if (sub !== '/labs' && !sub.startsWith('/labs/')) return undefined;
  return HANDLERS.get(`${method} ${sub}`) ?? problem(404, `no labs endpoint ${method} ${sub}`, `Endpoints: ${LAB_ENDPOINTS.join(', ')}.`);
}
