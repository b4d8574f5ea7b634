/**
 * Whether a lab is solved, from the journal alone: the trainee's newest JWT Bearer request since the
 * lab started must get a token, as the lab's user with the lab's app (a login as somebody else, or
 * with another app, goes round the problem instead of solving it). Otherwise the verdict says what
 * the request got, whether that is still the symptom the lab started with, the check that failed
 * with what it expected and found, and which checks it already passes, but not the fix: the hints
 * give that, one at a time.
 */
import type { Trace } from '../core/trace.ts';
import type { NumberedLab } from './lab.ts';

export interface LabCheck {
  lab: { number: number; id: string; title: string };
  solved: boolean;
  /** One line: solved, not yet and why, or no request yet. */
  headline: string;
  details: string[];
  /** JWT Bearer requests since the lab started. */
  attempts: number;
  newest?: { id: string; time: string; status: number; error?: string; errorDescription?: string; decidedBy: string | null; username?: string; app?: string };
}

function answerOf(t: Trace): string {
  const r = t.response;
  return r.error === undefined ? `HTTP ${r.status}` : `HTTP ${r.status} ${r.error}: ${r.errorDescription ?? ''}`;
}

function isSymptom(lab: NumberedLab, t: Trace): boolean {
  let body: { error?: string; error_description?: string };
  try {
    body = JSON.parse(lab.symptom.body) as typeof body;
  } catch {
    return false;
  }
  return t.response.status === lab.symptom.status && t.response.error === body.error && t.response.errorDescription === body.error_description;
}

export function judge(lab: NumberedLab, attempts: readonly Trace[]): LabCheck {
  const head = { lab: { number: lab.number, id: lab.id, title: lab.title }, attempts: attempts.length };
  const newest = attempts[0];
  if (newest === undefined) {
    return {
      ...head,
      solved: false,
      headline: 'No request yet: no JWT Bearer request has reached the mock since the lab started.',
      details: ['Run the integration (node login.mjs in the lab folder, or your own client against the mock), then check again.'],
    };
  }
  const summary = {
    id: newest.id,
    time: newest.time,
    status: newest.response.status,
    ...(newest.response.error === undefined ? {} : { error: newest.response.error }),
    ...(newest.response.errorDescription === undefined ? {} : { errorDescription: newest.response.errorDescription }),
    decidedBy: newest.decidedBy,
    ...(newest.username === undefined ? {} : { username: newest.username }),
    ...(newest.app === undefined ? {} : { app: newest.app }),
  };
  const base = { ...head, newest: summary };
  if (newest.outcome === 'success') {
    const asLab = newest.username?.toLowerCase() === lab.as.username.toLowerCase() && newest.app === lab.as.app;
    if (asLab) {
      return { ...base, solved: true, headline: `Solved: ${lab.as.username} logged in with ${lab.as.app}.`, details: [`What it teaches: ${lab.teaches}`] };
    }
    return {
      ...base,
      solved: false,
      headline: `Not yet: that login worked, but as ${newest.username ?? 'another user'} with ${newest.app ?? 'another app'}.`,
      details: [`The lab is about ${lab.as.username} logging in with ${lab.as.app}: make that login work rather than another one.`],
    };
  }
  const failed = newest.checks.find((c) => c.verdict === 'fail');
  const passed = newest.checks.filter((c) => c.verdict === 'pass').map((c) => c.check);
  const details = [
    `The newest request got ${answerOf(newest)}${isSymptom(lab, newest) ? ' (still the symptom the lab started with)' : ' (no longer the symptom the lab started with: something changed)'}.`,
  ];
  if (failed !== undefined) details.push(`The first check it fails: ${failed.title} (${failed.check}): expected ${failed.expected ?? '?'}; found ${failed.actual ?? '?'}.`);
  if (passed.length > 0) details.push(`Checks it passes: ${passed.join(', ')}.`);
  details.push('npx sfjwt lab hint gives a hint.');
  return { ...base, solved: false, headline: `Not yet: ${answerOf(newest)}.`, details };
}
