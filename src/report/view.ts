/**
 * What every human-readable report shows, decided once: the order results are read in (divergences,
 * then failures, then the rest), each verdict's mark and words, answers and expectations as one line,
 * counts per target, and the scenario × target grid. Renderers only format these facts, so the
 * Markdown, HTML and JUnit reports never disagree about what happened.
 */
import type { Answer, RunReport, ScenarioResult, Verdict } from '../runner/run.ts';

/** Reading order: what a real org does otherwise first (a finding about the world), then what broke. */
export const VERDICT_ORDER: readonly Verdict[] = ['divergence', 'fail', 'pass', 'skip'];

export const VERDICT_MARK: Record<Verdict, string> = { pass: '✅', fail: '❌', divergence: '⚠️', skip: '⏭' };

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

/** `400 invalid_grant: audience is invalid`, `200 with a token`, or `no answer: ECONNREFUSED`. */
export function answerLine(answer: Answer | undefined): string {
  if (answer === undefined) return 'not sent';
  if (answer.networkError !== undefined) return `no answer: ${answer.networkError}`;
  const error = [answer.error, answer.error_description].filter((x) => x !== undefined).join(': ');
  const body = answer.body === 'json' || answer.body === 'none' ? '' : ` (${answer.body} body)`;
  const token = answer.hasToken === undefined ? '' : answer.hasToken ? ' with a token' : ' without a token';
  return `${answer.status}${token}${error === '' ? '' : ` ${error}`}${body}`;
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
    const counts: Counts = { total: 0, pass: 0, fail: 0, divergence: 0, skip: 0 };
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
