/**
 * What every human-readable report shows, decided once: the order results are read in (divergences,
 * then failures, then the rest), each verdict's one word and mark, the one line of counts, answers and
 * expectations as one line, counts per target, and the scenario × target grid. Renderers (and the
 * CLI's summary) only format these facts, so the terminal, Markdown, HTML and JUnit never disagree
 * about what happened, nor name it differently.
 *
 * The vocabulary: a result *passed* (the catalogue's answer, from the expected check), *failed* (the
 * mock answered otherwise, or a real org refused the baseline: something to fix on this side),
 * *diverged* (a real org answered otherwise than the catalogue: a finding about Salesforce, counted
 * apart from failures), was *not judged* (a real org whose baseline failed) or was *skipped*.
 */
import { answerLine } from '../runner/answer.ts';
import type { RunReport, ScenarioResult, Verdict } from '../runner/run.ts';

export { answerLine };

/** Reading order: what a real org does otherwise first (a finding about the world), then what broke. */
export const VERDICT_ORDER: readonly Verdict[] = ['divergence', 'fail', 'inconclusive', 'pass', 'skip'];

/** The order counts are told in, everywhere. */
const COUNT_ORDER: readonly Verdict[] = ['pass', 'fail', 'divergence', 'inconclusive', 'skip'];

/** Each verdict's one word, in every report and in the terminal. */
export const VERDICT_WORD: Record<Verdict, string> = { pass: 'passed', fail: 'failed', divergence: 'diverged', inconclusive: 'not judged', skip: 'skipped' };

export const VERDICT_MARK: Record<Verdict, string> = { pass: '✅', fail: '❌', divergence: '⚠️', inconclusive: '❔', skip: '⏭' };

/** The verdicts a run's counts are told for: every one but "not judged", which only a broken setup brings, and then it too. */
export function countedVerdicts(counts: Record<Verdict, number>): Verdict[] {
  return COUNT_ORDER.filter((v) => v !== 'inconclusive' || counts[v] > 0);
}

/** `5 passed, 1 failed, 1 diverged, 1 skipped`: the counts as every report and the terminal tell them. */
export function countsLine(counts: Record<Verdict, number>, verdicts: readonly Verdict[] = countedVerdicts(counts)): string {
  return verdicts.map((v) => `${counts[v]} ${VERDICT_WORD[v]}`).join(', ');
}

export const CONFIDENCE_WORDS: Record<ScenarioResult['confidence'], string> = {
  DOC: 'documented by Salesforce',
  'OBS+': 'observed repeatedly',
  OBS1: 'observed once',
  INF: 'inferred',
  conflicting: 'sources conflict',
};

/** Results in reading order; within a verdict, in the run's own order (catalogue order per target). */
export function inReadingOrder(results: readonly ScenarioResult[]): ScenarioResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => VERDICT_ORDER.indexOf(a.result.verdict) - VERDICT_ORDER.indexOf(b.result.verdict) || a.index - b.index)
    .map((x) => x.result);
}

export function expectedLine(expected: ScenarioResult['expected']): string {
  const error = [expected.error, expected.error_description].filter((x) => x !== undefined).join(': ');
  const body = expected.body === 'json' ? '' : ` (${expected.body === 'none' ? 'empty' : expected.body} body)`;
  return `${expected.status}${error === '' ? '' : ` ${error}`}${body}`;
}

/** A check id as people read it: `null` means every check passed. */
export function checkName(check: string | null | undefined): string {
  if (check === undefined) return 'no trace';
  return check === null ? 'none (every check passed)' : check;
}

/**
 * One phrase on the deciding check: what the mock's trace says against what the scenario expects, or,
 * on a real org (no trace), the check that decides on the mock. `format` styles a check's name.
 */
export function decidingCheck(result: ScenarioResult, format: (name: string) => string = (name) => name): string {
  const expected = format(checkName(result.expected.decidedBy));
  if (result.decidedBy === undefined) return `on the mock: ${expected}`;
  return result.decidedBy === result.expected.decidedBy ? `${expected}, as expected` : `${format(checkName(result.decidedBy))}, expected ${expected}`;
}

export type Counts = Record<Verdict, number> & { total: number };

export function countsByTarget(report: RunReport): { name: string; kind: string; counts: Counts }[] {
  return report.targets.map((t) => {
    const counts: Counts = { total: 0, pass: 0, fail: 0, divergence: 0, inconclusive: 0, skip: 0 };
    for (const r of report.results) {
      if (r.target !== t.name) continue;
      counts.total += 1;
      counts[r.verdict] += 1;
    }
    return { name: t.name, kind: t.kind, counts };
  });
}

export interface GridRow {
  scenario: string;
  title: string;
  tags: string[];
  /** One cell per target of the report, in the report's target order. */
  cells: (ScenarioResult | undefined)[];
}

/** Scenario × target: one row per scenario (in the order first seen), one cell per target. */
export function resultGrid(report: RunReport): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const r of report.results) {
    let row = rows.get(r.scenario);
    if (row === undefined) {
      row = { scenario: r.scenario, title: r.title, tags: r.tags, cells: report.targets.map(() => undefined) };
      rows.set(r.scenario, row);
    }
    const column = report.targets.findIndex((t) => t.name === r.target);
    if (column >= 0) row.cells[column] = r;
  }
  return [...rows.values()];
}

/** What the mock answered for the same scenario, to set beside a real org's divergent answer. */
export function mockCounterpart(report: RunReport, result: ScenarioResult): ScenarioResult | undefined {
  return report.results.find((r) => r.scenario === result.scenario && r.targetKind !== 'real' && r.verdict !== 'skip');
}

/** Whole seconds and milliseconds, the one duration format of the reports. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A stable anchor for one result (scenario ids are already [a-z0-9.-]; the target index keeps it unique). */
export function resultAnchor(report: RunReport, result: ScenarioResult): string {
  return `r-${result.scenario}-${report.targets.findIndex((t) => t.name === result.target)}`;
}
