/**
 * The run report as one self-contained HTML page (inline CSS and script, no external asset, readable
 * from file:// offline): a summary (counts, targets, run id, seed, times), filters by target, verdict
 * and tag, the results with divergences and failures first, each expandable down to the mock's whole
 * trace, and a scenario × target grid. The page is polyglot XHTML, so an XML parser can check it is
 * well-formed, and its Content-Security-Policy allows only its own style and script (by hash): a hostile
 * answer from a real org is escaped text, and could not run even if escaping had a hole.
 */
import { createHash } from 'node:crypto';
import type { RunReport, ScenarioResult, Verdict } from '../runner/run.ts';
import { escapeHtml as h } from './escape.ts';
import { resultDetails } from './html-result.ts';
import { SCRIPT } from './html-script.ts';
import { STYLE } from './html-style.ts';
import { answerLine, countsByTarget, inReadingOrder, resultAnchor, resultGrid, seconds, VERDICT_ORDER } from './view.ts';

const WORDS: Record<Verdict, string> = { pass: 'passed', fail: 'failed', divergence: 'diverged', skip: 'skipped' };

/** Results open by default when there are few enough to read at once. */
const OPEN_AT_MOST = 10;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function summary(report: RunReport): string {
  const s = report.summary;
  const bad = s.fail + s.divergence;
  const headline =
    bad === 0
      ? `<strong class="good">Every scenario got its expected answer</strong> (${s.pass} passed, ${s.skip} skipped)`
      : `<strong class="bad">${bad} of ${s.total} results need attention</strong>: ${s.fail} failed on the mock, ${s.divergence} diverged on a real org`;
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const meta: [string, string][] = [
    ['run', `<code>${h(report.runId)}</code>`],
    ['started', h(report.startedAt)],
    ['finished', `${h(report.finishedAt)} <span class="muted">(${seconds(ms)} s)</span>`],
    ['seed', report.seed === null ? '<span class="muted">none (the mock\'s tokens were random)</span>' : h(String(report.seed))],
    ['targets', report.targets.map((t) => `${h(t.name)} <code>${h(t.kind)}</code>`).join(', ')],
  ];
  const cards = [{ key: 'total', n: s.total, word: 'results' }, ...VERDICT_ORDER.map((v) => ({ key: v, n: s[v], word: WORDS[v] }))]
    .map((c) => `<div class="card ${c.key}${c.n === 0 ? ' zero' : ''}"><span class="n">${c.n}</span><span class="w">${c.word}</span></div>`)
    .join('');
  const perTarget = countsByTarget(report)
    .map((t) => `<tr><td>${h(t.name)}</td><td><code>${h(t.kind)}</code></td>${VERDICT_ORDER.map((v) => `<td class="num">${t.counts[v]}</td>`).join('')}<td class="num">${t.counts.total}</td></tr>`)
    .join('');
  return [
    '<header>',
    '<h1>sfjwt run report</h1>',
    `<p class="headline">${headline}</p>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<div class="cards">${cards}</div>`,
    `<div class="scroll"><table class="targets"><thead><tr><th>target</th><th>kind</th>${VERDICT_ORDER.map((v) => `<th class="num">${v}</th>`).join('')}<th class="num">total</th></tr></thead><tbody>${perTarget}</tbody></table></div>`,
    '</header>',
  ].join('\n');
}

function filters(report: RunReport): string {
  const box = (name: string, value: string, label: string) => `<label><input type="checkbox" name="${name}" value="${h(value)}" checked="checked"/> ${label}</label>`;
  const tags = [...new Set(report.results.flatMap((r) => r.tags))].sort();
  return [
    '<form class="filters" id="filters" hidden="hidden">',
    `<fieldset><legend>Target</legend>${report.targets.map((t, i) => box('target', String(i), h(t.name))).join('')}</fieldset>`,
    `<fieldset><legend>Verdict</legend>${VERDICT_ORDER.map((v) => box('verdict', v, `<span class="badge ${v}">${v}</span> ${report.summary[v]}`)).join('')}</fieldset>`,
    `<label>Tag <select name="tag"><option value="">all tags</option>${tags.map((t) => `<option value="${h(t)}">${h(t)}</option>`).join('')}</select></label>`,
    `<output id="shown">${report.results.length} of ${report.results.length} results shown</output>`,
    '</form>',
  ].join('\n');
}

function groups(report: RunReport): string {
  const ordered = inReadingOrder(report.results);
  const attention = ordered.filter((r) => r.verdict === 'fail' || r.verdict === 'divergence');
  const sections: [string, ScenarioResult[], boolean][] = [
    ['Needs attention: divergences, then failures', attention, attention.length <= OPEN_AT_MOST],
    ['Passed', ordered.filter((r) => r.verdict === 'pass'), false],
    ['Skipped', ordered.filter((r) => r.verdict === 'skip'), false],
  ];
  return sections
    .filter(([, results]) => results.length > 0)
    .map(([title, results, open]) => `<section class="group">\n<h2>${h(title)} (${results.length})</h2>\n${results.map((r) => resultDetails(report, r, open)).join('\n')}\n</section>`)
    .join('\n');
}

function grid(report: RunReport): string {
  const head = report.targets.map((t, i) => `<th data-column="${i}">${h(t.name)}</th>`).join('');
  const rows = resultGrid(report).map((row) => {
    const cells = row.cells.map((r, i) => {
      if (r === undefined) return `<td data-column="${i}" class="mark"><span class="muted">–</span></td>`;
      const answer = r.verdict === 'skip' ? `<span class="answer muted">${h(r.reason ?? '')}</span>` : `<span class="answer mono">${h(answerLine(r.actual))}</span>`;
      return `<td data-column="${i}" data-target="${i}" data-verdict="${r.verdict}" class="mark"><a href="#${h(resultAnchor(report, r))}"><span class="badge ${r.verdict}">${r.verdict}</span></a>${answer}</td>`;
    });
    return `<tr class="grid-row" data-tags="${h(row.tags.join(' '))}"><td><code>${h(row.scenario)}</code><span class="title muted">${h(row.title)}</span></td>${cells.join('')}</tr>`;
  });
  return `<section>\n<h2>All scenarios, targets side by side</h2>\n<div class="scroll"><table class="grid"><thead><tr><th>scenario</th>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>\n</section>`;
}

export function renderHtml(report: RunReport): string {
  // The CDATA markers are comments to the HTML parser and keep the inline code well-formed XML.
  const style = `/*<![CDATA[*/${STYLE}/*]]>*/`;
  const script = `//<![CDATA[${SCRIPT}//]]>`;
  const csp = `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const s = report.summary;
  return [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    // Not escaped: the policy is sfjwt's own text (keywords and base64), and &#39; would only obscure it.
    `<meta http-equiv="Content-Security-Policy" content="${csp}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    '<meta name="color-scheme" content="light dark"/>',
    `<title>sfjwt run ${h(report.runId)}: ${s.fail} failed, ${s.divergence} diverged, ${s.pass} passed</title>`,
    '<link rel="icon" href="data:,"/>',
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    summary(report),
    filters(report),
    groups(report),
    grid(report),
    '<footer>Written by sfjwt. Reports never hold private keys, access tokens or whole assertions: the mock redacts signatures and tokens before it traces them.</footer>',
    '</main>',
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
