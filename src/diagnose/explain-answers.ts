/**
 * Salesforce's answers as `explain` tells them: the outcomes grouped by what goes over the wire
 * (several outcomes share the words `invalid assertion`), and for each answer every known cause —
 * the checks that give it, in the order Salesforce runs them, each with the catalogue scenarios it
 * decides, the knobs where the evidence conflicts, and how to tell the causes apart, down to the
 * doctor probe and the Login History status that separate them. Every word about a check comes
 * from the check itself (see explain-knowledge.ts).
 */

import type { Level } from '../../mock-server/core/check.ts';
import { CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { type Confidence, KNOBS } from '../../mock-server/core/knobs.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { checksForAnswer } from './doctor.ts';
import { type CauseId, causeInfo, decidedOutsideChecks } from './explain-knowledge.ts';

/** One answer as a client sees it: status, error, error_description (null for 302, 404, 413). */
export interface WireAnswer {
  status: number;
  error: string | null;
  description: string | null;
  outcomes: OutcomeName[];
}

export interface ScenarioRef {
  id: string;
  title: string;
  explanation: string;
  fix: string;
  confidence: Confidence;
}
export interface KnobRef {
  name: string;
  default: unknown;
  confidence: string;
  description: string;
}

export interface Cause {
  check: CauseId;
  title: string;
  description: string;
  /** The check's level and confidence; null for a failure on Salesforce's side. */
  level: Level | null;
  confidence: Confidence | null;
  /** The outcomes of this answer this cause gives. */
  outcomes: OutcomeName[];
  /** A knob this cause gives the answer only under (the evidence conflicts), or null. */
  onlyWithKnob: string | null;
  knobs: KnobRef[];
  scenarios: ScenarioRef[];
  /** How to confirm or rule out this cause. */
  evidence: string;
}

export interface AnswerInfo extends Omit<WireAnswer, 'outcomes'> {
  meaning: string;
  outcomes: { name: OutcomeName; confidence: Confidence; loginHistory: string | null; causes: CauseId[] }[];
  causes: Cause[];
  tellApart: string[];
}

const ORDER = new Map<string, number>([...CHECKS.map((c, i) => [c.id, i] as const), ['forced', CHECKS.length]]);

/** Every distinct answer of the token endpoint, in the order of OUTCOMES. */
export function wireAnswers(): WireAnswer[] {
  const byKey = new Map<string, WireAnswer>();
  for (const [name, o] of Object.entries(OUTCOMES) as [OutcomeName, (typeof OUTCOMES)[OutcomeName]][]) {
    const error = o.kind === 'oauth-error' ? o.error : null;
    const description = o.kind === 'oauth-error' ? o.description : null;
    const key = `${o.status}|${error ?? o.kind}|${description ?? ''}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { status: o.status, error, description, outcomes: [name] });
    else found.outcomes.push(name);
  }
  return [...byKey.values()];
}

export function scenarioMatches(s: Scenario, a: Pick<WireAnswer, 'status' | 'error' | 'description'>): boolean {
  return s.expect.status === a.status && (s.expect.error ?? null) === a.error && (s.expect.error_description ?? null) === a.description;
}

function causesOf(outcome: OutcomeName): CauseId[] {
  const ids: CauseId[] = CHECKS.filter((c) => c.outcomes.includes(outcome)).map((c) => c.id as CauseId);
  const outside = decidedOutsideChecks(outcome);
  return outside === undefined || ids.includes(outside) ? ids : [...ids, outside];
}

export const scenarioRef = (s: Scenario): ScenarioRef => ({ id: s.id, title: s.title, explanation: s.explanation, fix: s.fix, confidence: s.confidence });

/** Knobs that change what a check answers, named with this answer's words in their description. */
export function knobsFor(check: string, answer: Pick<WireAnswer, 'error' | 'description'>): KnobRef[] {
  const words = [answer.description, answer.error].filter((w): w is string => w !== null).map((w) => `\`${w}\``);
  const knobs = CHECKS.find((c) => c.id === check)?.knobs ?? [];
  return KNOBS.filter((k) => knobs.includes(k.name) && words.some((w) => k.description.includes(w))).map((k) => ({
    name: k.name,
    default: k.default,
    confidence: k.confidence,
    description: k.description,
  }));
}

export function explainAnswer(answer: WireAnswer): AnswerInfo {
  const scenarios = catalogue().filter((s) => scenarioMatches(s, answer));
  const ids = new Set<CauseId>(answer.outcomes.flatMap(causesOf));
  for (const s of scenarios) if (s.expect.decidedBy !== null) ids.add(s.expect.decidedBy);
  const causes: Cause[] = [...ids]
    .sort((a, b) => (ORDER.get(a) ?? 99) - (ORDER.get(b) ?? 99))
    .map((id) => {
      const info = causeInfo(id);
      const decided = scenarios.filter((s) => s.expect.decidedBy === id);
      const knobs = knobsFor(id, answer);
      return {
        check: id,
        title: info.title,
        description: info.description,
        level: info.level,
        confidence: info.confidence,
        outcomes: answer.outcomes.filter((o) => causesOf(o).includes(id)),
        onlyWithKnob: decided.length === 0 && knobs[0] !== undefined ? knobs[0].name : null,
        knobs,
        scenarios: decided.map(scenarioRef),
        evidence: info.confirm,
      };
    });
  const outcomes = answer.outcomes.map((name) => {
    const o: { confidence: Confidence; loginHistory?: string } = OUTCOMES[name];
    return { name, confidence: o.confidence, loginHistory: o.loginHistory ?? null, causes: causes.filter((c) => c.outcomes.includes(name)).map((c) => c.check) };
  });
  const meaning = [...new Set(answer.outcomes.map((o) => OUTCOMES[o].meaning))].join(' ');
  return { status: answer.status, error: answer.error, description: answer.description, meaning, outcomes, causes, tellApart: tellApart(answer, causes, outcomes) };
}

const DOCTOR = 'npx sfjwt doctor --login URL --client-id ID --username U --key FILE';
const INSPECTED = new Set<string>(['assertion', 'alg', 'issuer', 'signature', 'audience', 'expiry', 'user']);

/** What the doctor does for this answer: the probe (or local comparison) that separates its causes. */
function doctorLine(answer: WireAnswer): string {
  const candidates: string[] = checksForAnswer({
    status: answer.status,
    ok: false,
    bodyKind: answer.error === null ? 'html' : 'json',
    ...(answer.error === null ? {} : { error: answer.error }),
    ...(answer.description === null ? {} : { errorDescription: answer.description }),
  });
  if (candidates.length === 1 && candidates[0] === 'audience') return `Run ${DOCTOR}: it retries with the other audiences (login, test, the login URL) and names the aud that gets a token.`;
  if (candidates.includes('user') && candidates.includes('app-access')) {
    return `Run ${DOCTOR}: it tries the same user at the other environment (test for production, login for sandboxes; --other-login URL). Another answer there: the user belongs to that environment (user). The same answer: the username is unknown everywhere (check its spelling) or the user never approved the app (app-access).`;
  }
  if (candidates.includes('signature')) return `Run ${DOCTOR} --cert server.crt: it lints the assertion and compares the key with the certificate; if they match, the app holds another certificate.`;
  if (candidates.includes('expiry')) return `Run ${DOCTOR}: it compares Salesforce's Date header with the local clock (finding clock-skew).`;
  if (candidates.includes('transient')) return `Run ${DOCTOR}: it retries once; a transient failure passes on a later attempt.`;
  return `Run ${DOCTOR} (or --request FILE with a captured request): it names the check that fails and the fix.`;
}

/** How often a knob-only cause gives the answer, in words. */
export const onlySometimes = (c: Pick<Cause, 'knobs'>) => (c.knobs[0]?.confidence === 'conflicting' ? 'only in some reports' : 'only with a knob off its default');

function tellApart(answer: WireAnswer, causes: Cause[], outcomes: AnswerInfo['outcomes']): string[] {
  const lines: string[] = [];
  const checks = causes.filter((c) => c.check !== 'forced');
  if (checks.length > 1)
    lines.push(
      `Salesforce runs ${checks.map((c) => c.check).join(' → ')} in this order and the first that fails answers: when several apply, the earliest one is the answer, and fixing it may reveal the next.`,
    );
  const histories = new Set(outcomes.map((o) => o.loginHistory));
  for (const c of causes) {
    const knob = c.onlyWithKnob === null ? '' : ` (${onlySometimes(c)}: knob ${c.onlyWithKnob})`;
    const mine = outcomes.filter((o) => c.outcomes.includes(o.name));
    const shown = (h: string | null) => (h === null ? 'no status recorded' : `"${h}"`);
    const recorded = new Set(mine.map((o) => o.loginHistory)).size === 1 ? shown(mine[0]?.loginHistory ?? null) : mine.map((o) => `${shown(o.loginHistory)} (${o.name})`).join(' or ');
    const history = histories.size > 1 ? ` Login History: ${recorded}.` : '';
    lines.push(`${c.check}${knob}: ${c.evidence}${history}`);
  }
  if (causes.some((c) => INSPECTED.has(c.check))) lines.push('Run npx sfjwt inspect <JWT> [--host HOST] [--cert FILE]: it decodes the assertion and names the check each problem fails.');
  if (answer.error !== null || answer.status === 302 || answer.status === 404) lines.push(doctorLine(answer));
  return lines;
}
