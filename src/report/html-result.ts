/**
 * One result of the report page: a <details> whose summary line reads as verdict, scenario, target and
 * answer, and whose body holds expected against actual (differences marked), what differs, the
 * deciding check, explanation, fix, references and confidence, and for the mock its trace. What a
 * scenario's results share is told once, in the first of them on the page (a failure or a divergence
 * comes first, and always tells it all): a later pass, skip or result not judged links there for the
 * explanation and the fix, and a trace that repeats an earlier one links to it (html-trace.ts). Data
 * attributes carry target, verdict and tags for the page's filters.
 */
import type { RunReport, ScenarioResult } from '../runner/run.ts';
import { escapeHtml as h } from './escape.ts';
import { traceHtml, traceSibling, type UsualSteps, usualSteps } from './html-trace.ts';
import { answerLine, CONFIDENCE_WORDS, checkName, decidingCheck, inReadingOrder, mockCounterpart, resultAnchor, seconds, VERDICT_WORD } from './view.ts';

/** What the page's results are rendered with: the run, its results in the page's order, the checks' usual rows. */
export interface PageContext {
  report: RunReport;
  ordered: readonly ScenarioResult[];
  usual: UsualSteps;
}

export function pageContext(report: RunReport): PageContext {
  return { report, ordered: inReadingOrder(report.results), usual: usualSteps(report) };
}

const dash = '<span class="muted">–</span>';
const code = (value: string | number | undefined | null): string => (value === undefined || value === null || value === '' ? dash : `<code>${h(String(value))}</code>`);

function compareTable(r: ScenarioResult): string {
  const a = r.actual;
  const rows: [string, string | number | undefined, string | number | undefined][] = [
    ['status', r.expected.status, a === undefined ? undefined : a.networkError === undefined ? a.status : `no answer: ${a.networkError}`],
    ['error', r.expected.error, a?.error],
    ['error_description', r.expected.error_description, a?.error_description],
    ['body', r.expected.body, a?.body],
  ];
  // A 200 must carry a token; the token itself is never in the report, only whether there was one.
  if (a?.hasToken !== undefined) rows.push(['access token', r.expected.status === 200 ? 'yes' : undefined, a.hasToken ? 'yes' : 'no']);
  if (r.decidedBy !== undefined) rows.push(['deciding check', checkName(r.expected.decidedBy), checkName(r.decidedBy)]);
  const line = ([name, expected, actual]: (typeof rows)[number]) => {
    // Marked as compare() in the runner judges: only what the scenario pins down (an error it does not
    // name is no mismatch), and the body kind only where a page or an empty body is expected.
    const bodyIgnored = name === 'body' && (r.expected.status === 200 || r.expected.body === 'json');
    const differs = a !== undefined && expected !== undefined && expected !== actual && !bodyIgnored;
    return `<tr><th scope="row">${h(name)}</th><td>${code(expected)}</td><td${differs ? ' class="differs"' : ''}>${code(actual)}</td></tr>`;
  };
  return `<table class="compare"><thead><tr><th scope="col"></th><th scope="col">expected</th><th scope="col">actual</th></tr></thead><tbody>${rows.map(line).join('')}</tbody></table>`;
}

/** A pass in one line: the answer that came, which is the expected one, and the check that decided it. */
function agreement(r: ScenarioResult): string {
  const decided = r.decidedBy === undefined ? '' : `, decided by ${code(checkName(r.decidedBy))} as expected`;
  return `<p class="agree">The expected answer: ${code(answerLine(r.actual))}${decided}.</p>`;
}

function reference(ref: string): string {
  return /^https?:\/\/\S+$/.test(ref) ? `<a href="${h(ref)}" rel="noreferrer">${h(ref)}</a>` : h(ref);
}

/** The scenario's own texts, told in full: in its first result on the page, and in every one that needs attention. */
function scenarioItems(r: ScenarioResult): [string, string][] {
  const items: [string, string][] = [
    ['explanation', h(r.explanation)],
    ['fix', `<span class="fix">${h(r.fix)}</span>`],
  ];
  if (r.references.length > 0) items.push(['references', r.references.map(reference).join('<br/>')]);
  items.push(['confidence', `${h(r.confidence)} <span class="muted">(${h(CONFIDENCE_WORDS[r.confidence])})</span>`]);
  items.push(['level · tags', `${h(r.level)} · ${r.tags.map((t) => code(t)).join(' ') || dash}`]);
  return items;
}

function prose(ctx: PageContext, r: ScenarioResult): string {
  const { report } = ctx;
  const items: [string, string][] = [];
  if (r.verdict === 'divergence') {
    const mock = mockCounterpart(report, r);
    if (mock !== undefined) items.push(['the mock answered', `${code(answerLine(mock.actual))} <span class="muted">on ${h(mock.target)}</span>`]);
  }
  // On the mock the comparison table already shows the deciding check; on a real org, say which check the mock uses.
  if (r.decidedBy === undefined) items.push(['deciding check', decidingCheck(r, (name) => code(name))]);
  const first = ctx.ordered.find((x) => x.scenario === r.scenario);
  // The same texts as the first: only a later result that needs no attention, with a fix of its own kept.
  const shared = first !== undefined && first !== r && first.fix === r.fix && (r.verdict === 'pass' || r.verdict === 'skip' || r.verdict === 'inconclusive');
  if (shared) items.push(['explanation · fix', `as for <a href="#${h(resultAnchor(report, first))}">${h(first.target)}</a>`]);
  else items.push(...scenarioItems(r));
  items.push(['duration', `${seconds(r.durationMs)} s`]);
  return `<dl class="prose">${items.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function resultDetails(ctx: PageContext, r: ScenarioResult, open: boolean): string {
  const { report } = ctx;
  const target = report.targets.findIndex((t) => t.name === r.target);
  const answer = r.verdict === 'skip' ? h(r.reason ?? 'skipped') : code(answerLine(r.actual));
  const sibling = traceSibling(ctx.ordered, r);
  // A pass got what was expected: one line says it; the table is for answers that differ.
  const answered = r.verdict === 'pass' ? agreement(r) : compareTable(r);
  const body =
    r.verdict === 'skip'
      ? `<p class="reason">${h(r.reason ?? 'skipped')}</p>${prose(ctx, r)}`
      : `${answered}${r.reason === undefined ? '' : `<p class="reason">${h(r.reason)}</p>`}${prose(ctx, r)}${traceHtml(r, sibling, sibling === undefined ? '' : resultAnchor(report, sibling), ctx.usual)}`;
  return [
    `<details class="result ${r.verdict}" id="${h(resultAnchor(report, r))}" data-target="${target}" data-verdict="${r.verdict}" data-tags="${h(r.tags.join(' '))}"${open ? ' open="open"' : ''}>`,
    `<summary><span class="badge ${r.verdict}">${h(VERDICT_WORD[r.verdict])}</span>`,
    `<span class="what"><code class="id">${h(r.scenario)}</code><span class="title">${h(r.title)}</span></span>`,
    `<span class="where">${h(r.target)}<br/>${answer}</span></summary>`,
    `<div class="body">${body}</div>`,
    '</details>',
  ].join('\n');
}
