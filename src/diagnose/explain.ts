/**
 * `explain`: one question, one structured answer, from the sources of truth and nothing else — the
 * mock's outcomes and ordered checks, the scenario catalogue and the doctor's probes, and for what
 * comes after the token, the REST and identity answers of explain-api-answers.ts, and for a request
 * that got no answer at all, what fetch reports (explain-network-answers.ts). A query is a
 * Salesforce answer (error code, error_description, a pasted body or page; see explain-match.ts), a
 * scenario id or a check id; `lookUp` also tries words typed apart as one name (`invalid grant` →
 * invalid_grant). Pure: no I/O beyond the catalogue the loader reads once; undefined when the query
 * names nothing known, and `explainSuggestions` then offers what is close.
 */

import type { Level } from '../../mock-server/core/check.ts';
import { CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { FORCED_CAUSE } from '../../mock-server/core/forced.ts';
import type { Confidence } from '../../mock-server/core/knobs.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { type AnswerInfo, explainAnswer, type KnobRef, knobsFor, type ScenarioRef, scenarioMatches, wireAnswers } from './explain-answers.ts';
import { API_ANSWERS, type ApiAnswer, matchApiAnswers } from './explain-api-answers.ts';
import { matchAnswers, normalise, suggest } from './explain-match.ts';
import { matchNetworkAnswers, NETWORK_ANSWERS, type NetworkAnswer, type NetworkCause, networkCauses } from './explain-network-answers.ts';

export interface AnswerExplanation {
  kind: 'answer';
  query: string;
  answers: AnswerInfo[];
}

export interface ScenarioExplanation {
  kind: 'scenario';
  id: string;
  title: string;
  level: Level;
  tags: string[];
  as: Scenario['as'];
  mistakes: Scenario['mistakes'];
  expect: { status: number; error: string | null; description: string | null };
  decidedBy: { check: string; title: string; description: string } | null;
  explanation: string;
  fix: string;
  references: string[];
  confidence: Confidence;
}

export interface CheckOutcome {
  name: OutcomeName;
  status: number;
  error: string | null;
  description: string | null;
  loginHistory: string | null;
  confidence: Confidence;
  knobs: KnobRef[];
}

export interface CheckExplanation {
  kind: 'check';
  id: string;
  title: string;
  description: string;
  level: Level;
  confidence: Confidence;
  /** 1-based place in the order Salesforce checks, and how many checks there are. */
  position: { index: number; of: number };
  outcomes: CheckOutcome[];
  scenarios: (ScenarioRef & { expect: ScenarioExplanation['expect'] })[];
}

/** An answer of the REST API or the identity service, after the token. */
export interface ApiAnswerExplanation extends ApiAnswer {
  kind: 'api-answer';
  query: string;
}

/** What fetch reports when no HTTP answer came (ECONNREFUSED, a certificate error, a timeout, …): explain-network-answers.ts. */
export interface NetworkAnswerExplanation extends Omit<NetworkAnswer, 'causes'> {
  kind: 'network-answer';
  query: string;
  causes: NetworkCause[];
}

export type Explanation = AnswerExplanation | ScenarioExplanation | CheckExplanation | ApiAnswerExplanation | NetworkAnswerExplanation;

const expectOf = (s: Scenario) => ({ status: s.expect.status, error: s.expect.error ?? null, description: s.expect.error_description ?? null });

function explainScenario(s: Scenario): ScenarioExplanation {
  const id = s.expect.decidedBy;
  const check = id === null ? undefined : CHECKS.find((c) => c.id === id);
  const decidedBy = id === null ? null : { check: id, title: check?.title ?? FORCED_CAUSE.title, description: check?.description ?? FORCED_CAUSE.description };
  return {
    kind: 'scenario',
    id: s.id,
    title: s.title,
    level: s.level,
    tags: s.tags,
    as: s.as,
    mistakes: s.mistakes,
    expect: expectOf(s),
    decidedBy,
    explanation: s.explanation,
    fix: s.fix,
    references: s.references,
    confidence: s.confidence,
  };
}

function explainCheck(index: number): CheckExplanation {
  const check = CHECKS[index];
  if (check === undefined) throw new RangeError(`no check at ${index}`);
  const outcomes = check.outcomes.map((name): CheckOutcome => {
    const o: { status: number; confidence: Confidence; loginHistory?: string; error?: string; description?: string } = OUTCOMES[name];
    const wire = { error: o.error ?? null, description: o.description ?? null };
    return { name, status: o.status, ...wire, loginHistory: o.loginHistory ?? null, confidence: o.confidence, knobs: knobsFor(check.id, wire) };
  });
  const scenarios = catalogue()
    .filter((s) => s.expect.decidedBy === check.id)
    .map((s) => ({ id: s.id, title: s.title, explanation: s.explanation, fix: s.fix, confidence: s.confidence, expect: expectOf(s) }));
  return {
    kind: 'check',
    id: check.id,
    title: check.title,
    description: check.description,
    level: check.level,
    confidence: check.confidence,
    position: { index: index + 1, of: CHECKS.length },
    outcomes,
    scenarios,
  };
}

export function explain(query: string): Explanation | undefined {
  const q = normalise(query);
  if (q === '') return undefined;
  const scenario = catalogue().find((s) => s.id === q);
  if (scenario !== undefined) return explainScenario(scenario);
  const index = CHECKS.findIndex((c) => c.id === q);
  if (index >= 0) return explainCheck(index);
  const answers = matchAnswers(query, wireAnswers());
  if (answers.length > 0) return { kind: 'answer', query: query.trim(), answers: answers.map(explainAnswer) };
  const [api] = matchApiAnswers(query);
  if (api !== undefined) return { kind: 'api-answer', query: query.trim(), ...api };
  const [network] = matchNetworkAnswers(query);
  return network === undefined ? undefined : { kind: 'network-answer', query: query.trim(), ...network, causes: networkCauses(network) };
}

/**
 * The forms a query is looked up in: as typed, and when it is plain words, those words joined as
 * one name, the way error codes (`invalid_grant`) and check ids (`user-state`) are written.
 */
export function lookUpForms(query: string): string[] {
  const typed = query.trim().replace(/\s+/g, ' ');
  if (!typed.includes(' ') || !/^[A-Za-z0-9_.-]+( [A-Za-z0-9_.-]+)+$/.test(typed)) return [typed];
  return [typed, typed.replaceAll(' ', '_'), typed.replaceAll(' ', '-')];
}

/** The first form of the query that explain knows, and its explanation; undefined when none is. */
export function lookUp(query: string): { lookedUp: string; explanation: Explanation } | undefined {
  for (const form of lookUpForms(query)) {
    const explanation = explain(form);
    if (explanation !== undefined) return { lookedUp: form, explanation };
  }
  return undefined;
}

/** Everything explain knows by name: error codes, descriptions, scenario ids, check ids, what the API and fetch report. */
export function explainable(): { errors: string[]; descriptions: string[]; scenarios: string[]; checks: string[]; apiAnswers: string[]; networkAnswers: string[] } {
  const answers = wireAnswers();
  return {
    errors: [...new Set(answers.flatMap((a) => (a.error === null ? [] : [a.error])))],
    descriptions: answers.flatMap((a) => (a.description === null ? [] : [a.description])),
    scenarios: catalogue().map((s) => s.id),
    checks: CHECKS.map((c) => c.id),
    apiAnswers: API_ANSWERS.map((a) => a.code),
    networkAnswers: NETWORK_ANSWERS.map((a) => a.code),
  };
}

/** What is close to a query explain does not know. */
export function explainSuggestions(query: string): string[] {
  const known = explainable();
  return suggest(query, [...known.errors, ...known.descriptions, ...known.checks, ...known.scenarios, ...known.apiAnswers, ...known.networkAnswers]);
}

/**
 * What one answer of the token endpoint means, in a line, and the explain command that tells every
 * cause of it: what `sfjwt token` prints under an error. Undefined for an answer explain does not know.
 */
export function answerHint(answer: { status: number; error?: string | undefined; description?: string | undefined }): { meaning: string; explain: string } | undefined {
  const wire = wireAnswers();
  const known =
    answer.error === undefined
      ? wire.filter((a) => a.error === null && a.status === answer.status)
      : matchAnswers(JSON.stringify(answer.description === undefined ? { error: answer.error } : { error: answer.error, error_description: answer.description }), wire);
  const [first] = known;
  if (first === undefined) return undefined;
  const meaning = [...new Set(first.outcomes.map((o) => OUTCOMES[o].meaning))].join(' ');
  const query = first.description ?? first.error;
  return { meaning, explain: `npx sfjwt explain ${query === null ? String(first.status) : JSON.stringify(query)}` };
}

/** The scenarios that expect an answer (exported for tests and reports). */
export function scenariosExpecting(answer: Pick<AnswerInfo, 'status' | 'error' | 'description'>): string[] {
  return catalogue()
    .filter((s) => scenarioMatches(s, answer))
    .map((s) => s.id);
}
