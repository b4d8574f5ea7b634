/**
 * The run report as one self-contained HTML page (inline CSS and script, no external asset, readable
 * from file:// offline): a summary (the counts line, targets, run id, seed, times), any finding about a
 * whole target (a real org whose setup is broken), filters by target, verdict and tag, then the
 * scenario × target matrix (each cell the verdict, linking to the result), then the results with
 * divergences and failures first, each expandable down to the mock's trace, and the checks' usual
 * rows that the traces refer to (html-trace.ts: a run of the whole catalogue repeats the same rows
 * thousands of times). Headings count what the filters show. The page is polyglot XHTML, so an XML
 * parser can check it is well-formed, and its Content-Security-Policy allows only its own style and
 * script (by hash): a hostile answer from a real org is escaped text, and could not run even if
 * escaping had a hole. Landmarks (banner, navigation, search, main, contentinfo), labelled controls and
 * native <details> and links keep it usable from the keyboard and a screen reader.
 */
import { createHash } from 'node:crypto';
import type { RunReport, ScenarioResult, Verdict } from '../runner/run.ts';
import { escapeHtml as h } from './escape.ts';
import { type PageContext, pageContext, resultDetails } from './html-result.ts';
import { SCRIPT } from './html-script.ts';
import { STYLE } from './html-style.ts';
import { usualTable } from './html-trace.ts';
import { pageHead } from './page-head.ts';
import { answerLine, countedVerdicts, countsByTarget, countsLine, resultAnchor, resultGrid, seconds, VERDICT_ORDER, VERDICT_WORD } from './view.ts';

/** Results open by default when there are few enough to read at once. */
const OPEN_AT_MOST = 10;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A heading's count, which the page's script rewrites as "N of M shown" while filters hide some. */
const count = (n: number) => `<span class="count" data-total="${n}">(${n})</span>`;

function summary(report: RunReport): string {
  const s = report.summary;
  const bad = s.fail + s.divergence + s.inconclusive;
  const headline =
    bad === 0 ? `<strong class="good">Every scenario got its expected answer</strong>: ${countsLine(s)}` : `<strong class="bad">${bad} of ${s.total} results need attention</strong>: ${countsLine(s)}`;
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const meta: [string, string][] = [
    ['run', `<code>${h(report.runId)}</code>`],
    ['started', h(report.startedAt)],
    ['finished', `${h(report.finishedAt)} <span class="muted">(${seconds(ms)} s)</span>`],
    ['seed', report.seed === null ? '<span class="muted">none (the mock\'s tokens were random)</span>' : h(String(report.seed))],
    ['targets', report.targets.map((t) => `${h(t.name)} <code>${h(t.kind)}</code>`).join(', ')],
  ];
  const verdicts = countedVerdicts(s);
  const cards = [{ key: 'total', n: s.total, word: 'results' }, ...verdicts.map((v) => ({ key: v, n: s[v], word: VERDICT_WORD[v] }))]
    .map((c) => `<div class="card ${c.key}${c.n === 0 ? ' zero' : ''}"><span class="n">${c.n}</span><span class="w">${c.word}</span></div>`)
    .join('');
  const perTarget = countsByTarget(report)
    .map(
      (t) => `<tr><th scope="row">${h(t.name)}</th><td><code>${h(t.kind)}</code></td>${verdicts.map((v) => `<td class="num">${t.counts[v]}</td>`).join('')}<td class="num">${t.counts.total}</td></tr>`,
    )
    .join('');
  return [
    '<header class="page">',
    '<h1>sfjwt run report</h1>',
    `<p class="headline">${headline}</p>`,
    findings(report),
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<div class="cards">${cards}</div>`,
    `<div class="scroll"><table class="targets"><thead><tr><th scope="col">target</th><th scope="col">kind</th>${verdicts.map((v) => `<th scope="col" class="num">${VERDICT_WORD[v]}</th>`).join('')}<th scope="col" class="num">total</th></tr></thead><tbody>${perTarget}</tbody></table></div>`,
    '</header>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** A real org whose baseline failed: said right under the headline, as that org's counts mean nothing. */
function findings(report: RunReport): string {
  if (report.findings.length === 0) return '';
  const items = report.findings.map((f) => `<li><strong>Setup broken on ${h(f.target)}:</strong> ${h(f.message)}. Run <code>${h(f.command)}</code> to find the cause.</li>`);
  return `<section class="findings" aria-labelledby="findings-heading">\n<h2 id="findings-heading">The setup is broken</h2>\n<ul>${items.join('')}</ul>\n</section>`;
}

function filters(report: RunReport): string {
  const box = (name: string, value: string, label: string) => `<label><input type="checkbox" name="${name}" value="${h(value)}" checked="checked"/> ${label}</label>`;
  const tags = [...new Set(report.results.flatMap((r) => r.tags))].sort();
  const verdicts = VERDICT_ORDER.filter((v) => v !== 'inconclusive' || report.summary.inconclusive > 0);
  return [
    '<form class="filters" id="filters" role="search" aria-label="Filter the results" hidden="hidden">',
    `<fieldset><legend>Target</legend>${report.targets.map((t, i) => box('target', String(i), h(t.name))).join('')}</fieldset>`,
    `<fieldset><legend>Verdict</legend>${verdicts.map((v) => box('verdict', v, `<span class="badge ${v}">${VERDICT_WORD[v]}</span> ${report.summary[v]}`)).join('')}</fieldset>`,
    `<label>Tag <select name="tag"><option value="">all tags</option>${tags.map((t) => `<option value="${h(t)}">${h(t)}</option>`).join('')}</select></label>`,
    `<output id="shown" aria-live="polite">${report.results.length} of ${report.results.length} results shown</output>`,
    '</form>',
  ].join('\n');
}

/** The lead: scenario × target, each cell the verdict (a link to the result) and the answer. */
function matrix(report: RunReport): string {
  const head = report.targets.map((t, i) => `<th scope="col" data-column="${i}">${h(t.name)}</th>`).join('');
  const grid = resultGrid(report);
  const rows = grid.map((row) => {
    const cells = row.cells.map((r, i) => {
      if (r === undefined) return `<td data-column="${i}" class="mark"><span class="muted">–</span></td>`;
      const answer = r.verdict === 'skip' ? `<span class="answer muted">${h(r.reason ?? '')}</span>` : `<span class="answer mono">${h(answerLine(r.actual))}</span>`;
      return `<td data-column="${i}" data-target="${i}" data-verdict="${r.verdict}" class="mark"><a href="#${h(resultAnchor(report, r))}"><span class="badge ${r.verdict}">${VERDICT_WORD[r.verdict]}</span></a>${answer}</td>`;
    });
    return `<tr class="grid-row" data-tags="${h(row.tags.join(' '))}"><th scope="row"><code>${h(row.scenario)}</code><span class="title muted">${h(row.title)}</span></th>${cells.join('')}</tr>`;
  });
  return [
    '<section id="matrix" aria-labelledby="matrix-heading">',
    `<h2 id="matrix-heading">Scenarios × targets ${count(grid.length)}</h2>`,
    `<div class="scroll"><table class="grid"><thead><tr><th scope="col">scenario</th>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`,
    '</section>',
  ].join('\n');
}

const GROUPS: { id: string; title: string; verdicts: readonly Verdict[]; open: boolean }[] = [
  { id: 'attention', title: 'Needs attention: diverged, then failed', verdicts: ['divergence', 'fail'], open: true },
  { id: 'not-judged', title: 'Not judged: the baseline failed on their target', verdicts: ['inconclusive'], open: false },
  { id: 'passed', title: 'Passed', verdicts: ['pass'], open: false },
  { id: 'skipped', title: 'Skipped', verdicts: ['skip'], open: false },
];

function groups(ctx: PageContext): string {
  return GROUPS.map((g) => ({ ...g, results: ctx.ordered.filter((r) => g.verdicts.includes(r.verdict)) }))
    .filter((g) => g.results.length > 0)
    .map((g) => {
      const open = g.open && g.results.length <= OPEN_AT_MOST;
      return `<section class="group" id="${g.id}" aria-labelledby="${g.id}-heading">\n<h2 id="${g.id}-heading">${h(g.title)} ${count(g.results.length)}</h2>\n${g.results.map((r: ScenarioResult) => resultDetails(ctx, r, open)).join('\n')}\n</section>`;
    })
    .join('\n');
}

/** Links to the page's parts, for the keyboard and screen readers. */
function contents(ctx: PageContext): string {
  const parts: [string, string][] = [['matrix', 'Scenarios × targets']];
  for (const g of GROUPS) if (ctx.ordered.some((r) => g.verdicts.includes(r.verdict))) parts.push([g.id, g.title.replace(/:.*$/, '')]);
  if (ctx.usual.size > 0) parts.push(['checks', "The checks' usual rows"]);
  return `<nav class="contents" aria-label="On this page"><ul>${parts.map(([id, label]) => `<li><a href="#${id}">${h(label)}</a></li>`).join('')}</ul></nav>`;
}

export function renderHtml(report: RunReport): string {
  // The CDATA markers are comments to the HTML parser and keep the inline code well-formed XML.
  const style = `/*<![CDATA[*/${STYLE}/*]]>*/`;
  const script = `//<![CDATA[${SCRIPT}//]]>`;
  const csp = `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const ctx = pageContext(report);
  return [
    ...pageHead({ csp, title: `sfjwt run ${report.runId}: ${countsLine(report.summary)}`, style }),
    summary(report),
    '<main class="page">',
    contents(ctx),
    filters(report),
    matrix(report),
    groups(ctx),
    usualTable(ctx.usual),
    '</main>',
    '<footer class="page">Written by sfjwt. Reports never hold private keys, access tokens or whole assertions: the mock redacts signatures and tokens before it traces them.</footer>',
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
