/**
 * Runs scenarios against targets and records, for each pair, what was expected, what arrived, the
 * check that decided (on the mock) and a verdict: pass, fail (the mock answered otherwise, or a real
 * org refused the baseline: its setup is broken), divergence (a real org answered otherwise: a
 * finding about Salesforce, not a crash), inconclusive (a real org whose baseline failed: its answers
 * are not judged) or skip (with the reason). Results never hold an access token, a key or a whole
 * assertion, nor any secret a target knows (a consumer secret sent as `iss` comes back in the mock's
 * trace): each result is redacted once, as it is made.
 */

import type { CheckId } from '../../mock-server/core/check.ts';
import type { Trace } from '../../mock-server/core/trace.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { buildRequest, UnresolvedValueError } from '../client/build-request.ts';
import { sendRequest, type TokenAnswer } from '../client/send.ts';
import type { Answer } from './answer.ts';
import { judgeBaselines, type RunFinding } from './baseline.ts';
import { secretRedactor } from './redact-secrets.ts';
import type { Target, TargetKind } from './target.ts';

export type { Answer };

export type Verdict = 'pass' | 'fail' | 'divergence' | 'inconclusive' | 'skip';

export interface ScenarioResult {
  scenario: string;
  title: string;
  level: Scenario['level'];
  tags: string[];
  target: string;
  targetKind: TargetKind;
  verdict: Verdict;
  /** Why it failed, diverged, was not judged or was skipped, in plain words. */
  reason?: string;
  expected: Scenario['expect'];
  actual?: Answer;
  /** The mock check that decided (mock targets). */
  decidedBy?: CheckId | null;
  /** The mock's whole trace (already redacted by the mock). */
  trace?: Trace;
  durationMs: number;
  /**
   * Copied from the scenario so a report explains itself without the catalogue at hand (but for a
   * real org's failed baseline, whose fix is to repair the setup: see baseline.ts).
   */
  explanation: string;
  fix: string;
  references: string[];
  confidence: Scenario['confidence'];
}

function toAnswer(a: TokenAnswer): Answer {
  const out: Answer = { status: a.status, body: a.bodyKind };
  if (a.error !== undefined) out.error = a.error;
  if (a.errorDescription !== undefined) out.error_description = a.errorDescription;
  if (a.networkError !== undefined) out.networkError = a.networkError;
  if (a.status === 200) out.hasToken = a.accessToken !== undefined;
  return out;
}

/** Differences between the expected and the actual answer, in words; empty when they agree. */
export function compare(expected: Scenario['expect'], actual: Answer, decidedBy: CheckId | null | undefined, checkDecider: boolean): string[] {
  const out: string[] = [];
  if (actual.networkError !== undefined) out.push(`no answer: ${actual.networkError}`);
  else if (actual.status !== expected.status) out.push(`status ${actual.status}, expected ${expected.status}`);
  if (expected.error !== undefined && actual.error !== expected.error) out.push(`error ${JSON.stringify(actual.error ?? null)}, expected ${JSON.stringify(expected.error)}`);
  if (expected.error_description !== undefined && actual.error_description !== expected.error_description)
    out.push(`error_description ${JSON.stringify(actual.error_description ?? null)}, expected ${JSON.stringify(expected.error_description)}`);
  if (expected.status === 200 && actual.status === 200 && actual.hasToken !== true) out.push('a 200 without an access_token');
  if (expected.status !== 200 && expected.body !== 'json' && actual.body !== expected.body && actual.networkError === undefined) out.push(`a ${actual.body} body, expected ${expected.body}`);
  if (checkDecider && decidedBy !== expected.decidedBy) out.push(`decided by ${decidedBy === undefined ? 'no trace' : String(decidedBy)}, expected ${String(expected.decidedBy)}`);
  return out;
}

/** One scenario against one target, its result redacted of the secrets the target knows. */
export async function runScenario(scenario: Scenario, target: Target): Promise<ScenarioResult> {
  return secretRedactor(target.knownSecrets())(await resultOf(scenario, target));
}

/** The result as it arrived, before redaction: never returned as it is. */
async function resultOf(scenario: Scenario, target: Target): Promise<ScenarioResult> {
  const started = performance.now();
  const base = {
    scenario: scenario.id,
    title: scenario.title,
    level: scenario.level,
    tags: scenario.tags,
    target: target.name,
    targetKind: target.kind,
    expected: scenario.expect,
    explanation: scenario.explanation,
    fix: scenario.fix,
    references: scenario.references,
    confidence: scenario.confidence,
  };
  const skip = (reason: string): ScenarioResult => ({ ...base, verdict: 'skip', reason, durationMs: performance.now() - started });
  if (!scenario.runsOn.includes(target.kind)) return skip(`does not run on a ${target.kind} target`);
  const prepared = await target.prepare(scenario);
  if (prepared !== undefined) return skip(prepared);
  const ctx = target.context(scenario);
  if ('skip' in ctx) return skip(ctx.skip);
  let request: ReturnType<typeof buildRequest>;
  try {
    request = buildRequest(ctx, scenario.mistakes);
  } catch (error) {
    if (error instanceof UnresolvedValueError) return skip(error.message);
    throw error;
  }
  // Only a request that will really be sent counts against a real org's budget.
  const refused = await target.admit?.(scenario, request);
  if (refused !== undefined) return skip(refused);
  const answer = await sendRequest(request, target.fetch);
  await target.after?.(scenario, answer, request);
  const trace = await target.trace(answer);
  const actual = toAnswer(answer);
  const isMock = target.kind !== 'real';
  const differences = compare(scenario.expect, actual, trace?.decidedBy, isMock);
  const result: ScenarioResult = {
    ...base,
    verdict: differences.length === 0 ? 'pass' : isMock ? 'fail' : 'divergence',
    actual,
    durationMs: performance.now() - started,
  };
  if (differences.length > 0) result.reason = differences.join('; ');
  if (trace !== undefined) {
    result.decidedBy = trace.decidedBy;
    result.trace = trace;
  }
  return result;
}

export interface RunReport {
  kind: 'sfjwt-run';
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  seed: number | null;
  targets: { name: string; kind: TargetKind }[];
  summary: Record<Verdict, number> & { total: number };
  /** What the run found beyond single results: a real org whose baseline failed (its setup is broken). */
  findings: RunFinding[];
  results: ScenarioResult[];
}

export interface RunOptions {
  seed?: number | null;
  onResult?: ((result: ScenarioResult, done: number, total: number) => void) | undefined;
  now?: () => Date;
}

/** Every scenario against every target, targets one after another (a real org's budget applies in order). */
export async function runCatalogue(scenarios: readonly Scenario[], targets: readonly Target[], options: RunOptions = {}): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const results: ScenarioResult[] = [];
  const total = scenarios.length * targets.length;
  // Every target's secrets from every result: the run knows them all, whichever target answered.
  const redact = secretRedactor(targets.flatMap((t) => t.knownSecrets()));
  for (const target of targets) {
    for (const scenario of scenarios) {
      const result = redact(await resultOf(scenario, target));
      results.push(result);
      options.onResult?.(result, results.length, total);
    }
  }
  // Judged once every answer is in: a baseline that fails after other scenarios ran still voids them.
  const findings = judgeBaselines(results);
  const summary = { total: results.length, pass: 0, fail: 0, divergence: 0, inconclusive: 0, skip: 0 };
  for (const r of results) summary[r.verdict] += 1;
  return {
    kind: 'sfjwt-run',
    schemaVersion: 1,
    runId: startedAt.toISOString().replace(/[:.]/g, '-'),
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    seed: options.seed ?? null,
    targets: targets.map((t) => ({ name: t.name, kind: t.kind })),
    summary,
    findings,
    results,
  };
}
