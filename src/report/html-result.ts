/**
 * One result of the report page: a <details> whose summary line reads as verdict, scenario, target and
 * answer, and whose body holds expected against actual (differences marked), what differs, the
 * deciding check, explanation, fix, references and confidence, and for the mock the whole trace with
 * every check. Data attributes carry target, verdict and tags for the page's filters.
 */
import type { TraceStep } from '../../mock-server/core/trace.ts';
import type { RunReport, ScenarioResult } from '../runner/run.ts';
import { escapeHtml as h } from './escape.ts';
import { answerLine, CONFIDENCE_WORDS, checkName, decidingCheck, mockCounterpart, resultAnchor, seconds } from './view.ts';

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

function reference(ref: string): string {
  return /^https?:\/\/\S+$/.test(ref) ? `<a href="${h(ref)}" rel="noreferrer">${h(ref)}</a>` : h(ref);
}

function prose(report: RunReport, r: ScenarioResult): string {
  const items: [string, string][] = [];
  if (r.verdict === 'divergence') {
    const mock = mockCounterpart(report, r);
    if (mock !== undefined) items.push(['the mock answered', `${code(answerLine(mock.actual))} <span class="muted">on ${h(mock.target)}</span>`]);
  }
  // On the mock the comparison table already shows the deciding check; on a real org, say which check the mock uses.
  if (r.decidedBy === undefined) items.push(['deciding check', decidingCheck(r, (name) => code(name))]);
  items.push(['explanation', h(r.explanation)], ['fix', `<span class="fix">${h(r.fix)}</span>`]);
  if (r.references.length > 0) items.push(['references', r.references.map(reference).join('<br/>')]);
  items.push(['confidence', `${h(r.confidence)} <span class="muted">(${h(CONFIDENCE_WORDS[r.confidence])})</span>`]);
  items.push(['level · tags', `${h(r.level)} · ${r.tags.map((t) => code(t)).join(' ') || dash}`]);
  items.push(['duration', `${seconds(r.durationMs)} s`]);
  return `<dl class="prose">${items.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function step(s: TraceStep, index: number, decidedBy: string | null): string {
  const detail = s.fix ?? s.note ?? s.reason;
  return (
    `<tr class="${h(s.verdict)}${s.check === decidedBy ? ' decided' : ''}"><td>${index + 1}</td>` +
    `<td><code>${h(s.check)}</code><span class="t">${h(s.title)}</span></td>` +
    `<td class="v-${h(s.verdict)}">${h(s.verdict)}</td><td>${s.expected === undefined ? dash : h(s.expected)}</td>` +
    `<td>${s.actual === undefined ? dash : h(s.actual)}</td><td>${detail === undefined ? dash : h(detail)}</td></tr>`
  );
}

function trace(r: ScenarioResult): string {
  const t = r.trace;
  if (t === undefined) return '';
  const q = t.request;
  const response = [t.response.status, t.response.error, t.response.errorDescription].filter((x) => x !== undefined).join(' ');
  const sep = ' <span class="muted">·</span> ';
  const items: [string, string][] = [
    ['request', [code(`${q.method} ${q.host}${q.path}`), `from ${h(q.clientIp)}`, q.contentType === null ? 'no Content-Type' : code(q.contentType)].join(sep)],
    ['response', [code(response), `outcome ${code(t.outcome)}`, ...(t.response.accessToken === undefined ? [] : [`token ${code(t.response.accessToken)}`])].join(sep)],
  ];
  if (t.username !== undefined || t.app !== undefined) items.push(['user · app', `${code(t.username)}${sep}${code(t.app)}`]);
  if (q.assertion !== undefined) {
    items.push(['JWT header', code(JSON.stringify(q.assertion.header))]);
    items.push(['JWT payload', `<pre>${h(JSON.stringify(q.assertion.payload, null, 2))}</pre>`]);
    items.push(['JWT signature', code(q.assertion.signature)]);
  }
  return [
    `<h3>The mock's trace <span class="mono muted">${h(t.id)} at ${h(t.time)}</span></h3>`,
    `<dl class="prose">${items.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    '<div class="scroll"><table class="checks"><thead><tr><th>#</th><th>check</th><th>verdict</th><th>expected</th><th>actual</th><th>fix / note</th></tr></thead>',
    `<tbody>${t.checks.map((s, i) => step(s, i, t.decidedBy)).join('')}</tbody></table></div>`,
  ].join('');
}

export function resultDetails(report: RunReport, r: ScenarioResult, open: boolean): string {
  const target = report.targets.findIndex((t) => t.name === r.target);
  const answer = r.verdict === 'skip' ? h(r.reason ?? 'skipped') : code(answerLine(r.actual));
  const body =
    r.verdict === 'skip'
      ? `<p class="reason">${h(r.reason ?? 'skipped')}</p>${prose(report, r)}`
      : `${compareTable(r)}${r.reason === undefined ? '' : `<p class="reason">${h(r.reason)}</p>`}${prose(report, r)}${trace(r)}`;
  return [
    `<details class="result ${r.verdict}" id="${h(resultAnchor(report, r))}" data-target="${target}" data-verdict="${r.verdict}" data-tags="${h(r.tags.join(' '))}"${open ? ' open="open"' : ''}>`,
    `<summary><span class="badge ${r.verdict}">${h(r.verdict)}</span>`,
    `<span class="what"><code class="id">${h(r.scenario)}</code><span class="title">${h(r.title)}</span></span>`,
    `<span class="where">${h(r.target)}<br/>${answer}</span></summary>`,
    `<div class="body">${body}</div>`,
    '</details>',
  ].join('\n');
}
