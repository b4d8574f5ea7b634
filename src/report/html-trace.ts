/**
 * The mock's traces on the report page, told once and then by what differs. Most of a run's check
 * rows are the same row again (the host, path and method checks of almost every request pass with the
 * same values), so each check's usual passing row is shown once, in the page's table of the checks,
 * and a trace shows in full only the rows that differ from it: a run of usual passes is one row that
 * names those checks, and a run of checks skipped for the same reason is one row. A scenario's later
 * traces (the in-process and the HTTPS mock see almost the same request) are told against its first
 * one on the page, with a link: only the parts of the request and the check rows that differ are shown
 * (the same trace but for its id and time is one sentence). Nothing is lost: each row left out is the
 * usual row of its check or the linked trace's row, and each part left out is the linked trace's.
 */
import type { Trace, TraceStep } from '../../mock-server/core/trace.ts';
import type { RunReport, ScenarioResult } from '../runner/run.ts';
import { escapeHtml as h } from './escape.ts';

const dash = '<span class="muted">–</span>';
const code = (value: string | undefined | null): string => (value === undefined || value === null || value === '' ? dash : `<code>${h(value)}</code>`);
const sep = ' <span class="muted">·</span> ';

/** Each check's usual passing row: the most frequent one of the run, when it comes at least twice. */
export type UsualSteps = ReadonlyMap<string, TraceStep>;

const stepKey = (s: TraceStep) => JSON.stringify([s.check, s.title, s.verdict, s.expected, s.actual, s.fix, s.note, s.reason, s.outcome]);

export function usualSteps(report: RunReport): UsualSteps {
  const seen = new Map<string, { step: TraceStep; n: number }>();
  for (const r of report.results) for (const s of r.trace?.checks ?? []) if (s.verdict === 'pass') seen.set(stepKey(s), { step: s, n: (seen.get(stepKey(s))?.n ?? 0) + 1 });
  const usual = new Map<string, { step: TraceStep; n: number }>();
  // Ties go to the row seen first, so the table is the same for the same run.
  for (const entry of seen.values()) if (entry.n >= 2 && entry.n > (usual.get(entry.step.check)?.n ?? 0)) usual.set(entry.step.check, entry);
  return new Map([...usual].map(([check, { step }]) => [check, step]));
}

/** The same request, answer and checks: what two traces of one scenario on two mock targets share. */
const traceKey = (t: Trace) => JSON.stringify({ ...t, id: '', time: '' });

/** The first result of the same scenario on the page with a trace, when it is not this one: what this trace is told against. */
export function traceSibling(shown: readonly ScenarioResult[], r: ScenarioResult): ScenarioResult | undefined {
  if (r.trace === undefined) return undefined;
  const first = shown.find((other) => other.scenario === r.scenario && other.trace !== undefined);
  return first === r ? undefined : first;
}

const range = (from: number, to: number) => (from === to ? String(from + 1) : `${from + 1}–${to + 1}`);

function stepRow(s: TraceStep, index: number, decidedBy: string | null): string {
  const detail = s.fix ?? s.note ?? s.reason;
  return (
    `<tr class="${h(s.verdict)}${s.check === decidedBy ? ' decided' : ''}"><td>${index + 1}</td>` +
    `<td><code>${h(s.check)}</code><span class="t">${h(s.title)}</span></td>` +
    `<td class="v-${h(s.verdict)}">${h(s.verdict)}</td><td>${s.expected === undefined ? dash : h(s.expected)}</td>` +
    `<td>${s.actual === undefined ? dash : h(s.actual)}</td><td>${detail === undefined ? dash : h(detail)}</td></tr>`
  );
}

/** Where a check row goes: left out as usual, left out as the sibling trace's, run together with like skips, or in full. */
function rowKind(t: Trace, i: number, usual: UsualSteps, sibling: Trace | undefined): string {
  const s = t.checks[i] as TraceStep;
  // The deciding row is what a reader looks for: always in full.
  if (s.check === t.decidedBy) return 'full';
  const u = usual.get(s.check);
  if (u !== undefined && stepKey(u) === stepKey(s)) return 'usual';
  const there = sibling?.checks[i];
  if (there !== undefined && stepKey(there) === stepKey(s)) return 'sibling';
  return s.verdict === 'skip' ? `skip ${s.reason ?? ''}` : 'full';
}

/** The rows of one trace: usual passes, rows as in the sibling trace and like skips run together, the rest in full. */
function stepRows(t: Trace, usual: UsualSteps, sibling?: { trace: Trace; anchor: string }): string {
  const rows: string[] = [];
  const kinds = t.checks.map((_, i) => rowKind(t, i, usual, sibling?.trace));
  for (let i = 0; i < t.checks.length; ) {
    const kind = kinds[i] as string;
    let j = i;
    if (kind !== 'full') while (kinds[j + 1] === kind) j += 1;
    const names = t.checks
      .slice(i, j + 1)
      .map((x) => `<code>${h(x.check)}</code>`)
      .join(' ');
    const s = t.checks[i] as TraceStep;
    if (kind === 'usual') rows.push(`<tr class="usual"><td>${range(i, j)}</td><td colspan="5">${names} <span class="muted">passed as <a href="#checks">usual</a></span></td></tr>`);
    else if (kind === 'sibling')
      rows.push(`<tr class="usual there"><td>${range(i, j)}</td><td colspan="5">${names} <span class="muted">as <a href="#${h(sibling?.anchor ?? '')}">there</a></span></td></tr>`);
    else if (kind !== 'full' && j > i) rows.push(`<tr class="skip"><td>${range(i, j)}</td><td>${names}</td><td class="v-skip">skip</td><td colspan="3">${h(s.reason ?? '')}</td></tr>`);
    else rows.push(stepRow(s, i, t.decidedBy));
    i = j + 1;
  }
  return rows.join('');
}

/** A trace's request and answer, part by part, as label and markup. */
function traceParts(t: Trace): [string, string][] {
  const q = t.request;
  const response = [t.response.status, t.response.error, t.response.errorDescription].filter((x) => x !== undefined).join(' ');
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
  return items;
}

// Header cells of a table's only head row: columns by default, no scope needed.
const CHECK_HEAD = '<thead><tr><th>#</th><th>check</th><th>verdict</th><th>expected</th><th>actual</th><th>fix / note</th></tr></thead>';

/**
 * One result's trace: its request and answer, then its checks by what differs from the usual rows;
 * told against `sibling` (an earlier trace of the scenario, at `siblingAnchor`) when there is one.
 */
export function traceHtml(r: ScenarioResult, sibling: ScenarioResult | undefined, siblingAnchor: string, usual: UsualSteps): string {
  const t = r.trace;
  if (t === undefined) return '';
  const heading = `<h3>The mock's trace <span class="mono muted">${h(t.id)} at ${h(t.time)}</span></h3>`;
  const there = sibling?.trace;
  const link = sibling === undefined ? '' : `<a href="#${h(siblingAnchor)}">the trace on ${h(sibling.target)}</a>`;
  if (there !== undefined && traceKey(there) === traceKey(t)) return `${heading}<p class="muted">The same request, answer and checks as ${link}.</p>`;
  let items = traceParts(t);
  let intro = '';
  if (there !== undefined) {
    const before = new Map(traceParts(there));
    items = items.filter(([k, v]) => before.get(k) !== v).map(([k, v]) => (k === 'JWT payload' ? payloadChanges(t, there, v) : [k, v]));
    intro = `<p class="muted">Told against ${link}: what is not shown is as there.</p>`;
  }
  return [
    heading,
    intro,
    items.length === 0 ? '' : `<dl class="prose">${items.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<div class="scroll"><table class="checks">${CHECK_HEAD}<tbody>${stepRows(t, usual, there === undefined ? undefined : { trace: there, anchor: siblingAnchor })}</tbody></table></div>`,
  ].join('');
}

/** A payload told against another: the claims whose value differs (usually exp alone), or the whole payload when only the order differs. */
function payloadChanges(t: Trace, there: Trace, whole: string): [string, string] {
  // Maps of the own claims: a claim named "__proto__" is read as itself, not as the prototype.
  const now = new Map(Object.entries(t.request.assertion?.payload ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
  const before = new Map(Object.entries(there.request.assertion?.payload ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
  const names = [...new Set([...now.keys(), ...before.keys()])].filter((k) => now.get(k) !== before.get(k));
  if (names.length === 0) return ['JWT payload', whole];
  return ['JWT payload, where it differs', names.map((k) => code(`${JSON.stringify(k)}: ${now.get(k) ?? '(absent)'}`)).join(' ')];
}

/** The page's table of the checks: each check's usual passing row, in the order the mock runs them. */
export function usualTable(usual: UsualSteps): string {
  if (usual.size === 0) return '';
  const rows = [...usual.values()].map((s, i) => stepRow(s, i, null)).join('');
  return [
    '<section id="checks" aria-labelledby="checks-heading">',
    `<h2 id="checks-heading">The checks' usual rows (${usual.size})</h2>`,
    '<p class="muted">How each check of the mock passed most often in this run. A trace above shows a check in full only where it went otherwise.</p>',
    `<div class="scroll"><table class="checks">${CHECK_HEAD}<tbody>${rows}</tbody></table></div>`,
    '</section>',
  ].join('\n');
}
