/**
 * The field guide as a read-only model, built from what sfjwt knows and nothing else: the ordered
 * checks (mock-server/core/check-catalogue.ts), Salesforce's answers and every cause of each as
 * `explain` tells them (src/diagnose/explain-answers.ts), the scenario catalogue with a reproduction
 * for each (guide-reproduction.ts), the flow's steps (guide-flow.ts) and the confidence words. The
 * renderers (guide-markdown.ts, guide-html.ts) are pure functions of this model, so the two formats
 * say the same things, and a test proves every check, outcome and scenario is in both.
 */

import { rfc7515ExampleKey } from '../../lib/pki/example-key.ts';
import type { Check } from '../../mock-server/core/check.ts';
import { CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { type Confidence, KNOBS } from '../../mock-server/core/knobs.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import { LAB_CATALOGUE } from '../../mock-server/labs/catalogue.ts';
import { WorldIndex } from '../../mock-server/world/world-index.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { type AnswerInfo, explainAnswer, wireAnswers } from '../diagnose/explain-answers.ts';
import { API_ANSWERS, type ApiAnswer } from '../diagnose/explain-api-answers.ts';
import { CONFIDENCE_WORDS } from '../diagnose/explain-knowledge.ts';
import type { SequenceDiagram } from './guide-diagram.ts';
import { FLOW_DIAGRAM, FLOW_STEPS, type FlowStep } from './guide-flow.ts';
import { HELPERS, type Reproduction, reproduction, START, STOP } from './guide-reproduction.ts';
import { scenarioContext, servedWorld } from './scenario-request.ts';

export interface GuideScenario {
  scenario: Scenario;
  /** The check that decides it (title), or null for an accepted request. */
  decidedBy: { id: string; title: string } | null;
  reproduction: Reproduction;
  /** The lab that practises it, if one does. */
  lab?: { number: number; title: string };
}

export interface GuideAnswer extends AnswerInfo {
  /** Anchor of the answer in both formats. */
  anchor: string;
  /** The least sure of its outcomes' confidences: how sure we are of this answer. */
  confidence: Confidence;
}

export interface GuideModel {
  title: string;
  confidenceWords: readonly { level: Confidence; words: string }[];
  steps: readonly (FlowStep & { knobText: readonly { name: string; description: string }[] })[];
  diagram: SequenceDiagram;
  checks: readonly Check[];
  answers: readonly GuideAnswer[];
  /** What the REST API and identity service answer a token that is not (or no longer) a session. */
  apiAnswers: readonly ApiAnswer[];
  scenarios: readonly GuideScenario[];
  reproduce: { start: string; helpers: readonly string[]; stop: string };
  outcomeNames: readonly OutcomeName[];
}

const SURENESS: readonly Confidence[] = ['DOC', 'OBS+', 'OBS1', 'INF', 'conflicting'];

/** An anchor from any text: lower case, runs of other characters as one dash. */
export function anchorOf(prefix: string, text: string): string {
  return `${prefix}-${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

export function answerAnchor(a: Pick<AnswerInfo, 'status' | 'error' | 'description'>): string {
  return anchorOf('answer', [a.status, a.error ?? '', a.description ?? ''].join(' '));
}

/** Each scenario's context with every host as its real name (`https://login.salesforce.com`): the snippet maps them to the mock's. */
function guideScenarios(scenarios: readonly Scenario[]): GuideScenario[] {
  const world = servedWorld();
  const hosts = Object.fromEntries(new WorldIndex(world).hosts.map((host) => [host.name, `https://${host.name}`]));
  const consumerKey = world.apps[0]?.consumerKey ?? '';
  // No key of the mock's is needed to write a snippet: the snippet signs with it, through `sign --scenario`.
  const keyPem = rfc7515ExampleKey().export({ type: 'pkcs8', format: 'pem' }).toString();
  return scenarios.map((s) => {
    const ctx = scenarioContext(s, { hosts, admin: 'https://login.salesforce.com/__sfjwt', consumerKey }, world, keyPem, 0);
    const check = CHECKS.find((c) => c.id === s.expect.decidedBy);
    const decidedBy = s.expect.decidedBy === null ? null : { id: s.expect.decidedBy, title: check?.title ?? 'A failure forced on the mock' };
    const lab = LAB_CATALOGUE.find((l) => l.scenario === s.id);
    const entry = { scenario: s, decidedBy, reproduction: reproduction(s, ctx) };
    return lab === undefined ? entry : { ...entry, lab: { number: lab.number, title: lab.title } };
  });
}

export function buildGuideModel(): GuideModel {
  const scenarios = catalogue();
  const known = new Set(scenarios.map((s) => s.id));
  for (const step of FLOW_STEPS) {
    // A bug guard: a step naming a scenario that was renamed would send readers nowhere.
    for (const id of [...step.scenarios, ...(step.ways ?? []).flatMap((w) => w.scenarios)]) if (!known.has(id)) throw new Error(`the guide's step ${step.id} names no scenario ${id}`);
  }
  const answers = wireAnswers().map((wire) => {
    const info = explainAnswer(wire);
    const confidence = SURENESS[Math.max(...info.outcomes.map((o) => SURENESS.indexOf(o.confidence)))] ?? 'INF';
    return { ...info, anchor: answerAnchor(info), confidence };
  });
  return {
    title: 'The Salesforce JWT Bearer flow: a field guide',
    confidenceWords: SURENESS.map((level) => ({ level, words: CONFIDENCE_WORDS[level] })),
    steps: FLOW_STEPS.map((step) => ({ ...step, knobText: KNOBS.filter((k) => step.knobs?.includes(k.name) === true).map((k) => ({ name: k.name, description: k.description })) })),
    diagram: FLOW_DIAGRAM,
    checks: CHECKS,
    answers,
    apiAnswers: API_ANSWERS,
    scenarios: guideScenarios(scenarios),
    reproduce: { start: START, helpers: HELPERS, stop: STOP },
    outcomeNames: Object.keys(OUTCOMES) as OutcomeName[],
  };
}
