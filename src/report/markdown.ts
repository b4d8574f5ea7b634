/**
 * The run report as GitHub-flavoured Markdown, for a CI step summary or a pull-request comment: a
 * summary with the counts line and counts per target, any finding about a whole target first (a real
 * org whose baseline failed: its setup is broken, with the command that finds why), then each result
 * that diverged (a real org answering otherwise than the catalogue) and each that failed with expected
 * against actual, the deciding check, the explanation and the fix, then one compact table of every
 * scenario with the targets side by side. Every value from outside sfjwt is escaped; technical values
 * go in code spans so that ids and error codes read as typed.
 */
import type { RunReport, ScenarioResult, Verdict } from '../runner/run.ts';
import { escapeMarkdown, markdownCode } from './escape.ts';
import { answerLine, CONFIDENCE_WORDS, countedVerdicts, countsByTarget, countsLine, decidingCheck, inReadingOrder, mockCounterpart, resultGrid, seconds, VERDICT_MARK, VERDICT_WORD } from './view.ts';

const SECTIONS: { verdict: Verdict; about: string }[] = [
  { verdict: 'divergence', about: ': a real org answered otherwise than the catalogue' },
  { verdict: 'fail', about: '' },
];

/** A value in a table cell: a code span, or a dash for nothing. */
const cell = (value: string | number | undefined): string => (value === undefined || value === '' ? '–' : markdownCode(String(value), { inTable: true }));

function summary(report: RunReport): string[] {
  const s = report.summary;
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const seed = report.seed === null ? '' : `, seed ${report.seed}`;
  const lines = [`# sfjwt run ${markdownCode(report.runId)}`, ''];
  // Before the counts: while a target's setup is broken, its counts mean nothing.
  for (const f of report.findings) lines.push(`> ⛔ **Setup broken:** ${escapeMarkdown(f.message)}.`, `> Run ${markdownCode(f.command)} to find the cause.`, '');
  lines.push(`**${countsLine(s)}** of ${s.total} results (${escapeMarkdown(report.startedAt)}, ${seconds(ms)} s${seed})`, '');
  const verdicts = countedVerdicts(s);
  lines.push(`| target | kind | ${verdicts.map((v) => VERDICT_WORD[v]).join(' | ')} |`, `|---|---|${verdicts.map(() => '--:').join('|')}|`);
  for (const t of countsByTarget(report)) lines.push(`| ${escapeMarkdown(t.name)} | ${cell(t.kind)} | ${verdicts.map((v) => t.counts[v]).join(' | ')} |`);
  return lines;
}

function detail(report: RunReport, r: ScenarioResult): string[] {
  const a = r.actual;
  const lines = [
    `### ${VERDICT_MARK[r.verdict]} ${markdownCode(r.scenario)} ${escapeMarkdown(r.title)}`,
    '',
    `Target **${escapeMarkdown(r.target)}** (${markdownCode(r.targetKind)}) · ${r.level} · confidence ${r.confidence} (${CONFIDENCE_WORDS[r.confidence]})`,
    '',
    '| | status | error | error_description |',
    '|---|---|---|---|',
    `| expected | ${cell(r.expected.status)} | ${cell(r.expected.error)} | ${cell(r.expected.error_description)} |`,
    a?.networkError === undefined ? `| actual | ${cell(a?.status)} | ${cell(a?.error)} | ${cell(a?.error_description)} |` : `| actual | no answer | ${cell(a.networkError)} | – |`,
  ];
  if (r.verdict === 'divergence') {
    const mock = mockCounterpart(report, r);
    if (mock !== undefined) lines.push(`| ${escapeMarkdown(mock.target)} | ${cell(mock.actual?.status)} | ${cell(mock.actual?.error)} | ${cell(mock.actual?.error_description)} |`);
  }
  lines.push('');
  if (r.reason !== undefined) lines.push(`- **What differs:** ${escapeMarkdown(r.reason)}`);
  lines.push(`- **Deciding check:** ${decidingCheck(r, (name) => markdownCode(name))}`);
  const failed = r.trace?.checks.find((c) => c.check === r.trace?.decidedBy);
  if (failed?.expected !== undefined && failed.actual !== undefined) lines.push(`- **The check saw:** ${escapeMarkdown(failed.actual)}; it expects ${escapeMarkdown(failed.expected)}`);
  lines.push(`- **Why:** ${escapeMarkdown(r.explanation)}`, `- **Fix:** ${escapeMarkdown(r.fix)}`);
  if (r.references.length > 0) lines.push(`- **References:** ${r.references.map(reference).join(', ')}`);
  lines.push('');
  return lines;
}

/** A URL as a link (angle-bracket autolinks cannot hold spaces or angle brackets); anything else as prose. */
function reference(ref: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(ref) ? `<${ref}>` : escapeMarkdown(ref);
}

function grid(report: RunReport): string[] {
  const head = `| scenario | ${report.targets.map((t) => escapeMarkdown(t.name)).join(' | ')} |`;
  const rule = `|---|${report.targets.map(() => '---').join('|')}|`;
  const rows = resultGrid(report).map((row) => {
    const cells = row.cells.map((r) =>
      r === undefined ? '–' : `${VERDICT_MARK[r.verdict]} ${VERDICT_WORD[r.verdict]}: ${r.verdict === 'skip' ? escapeMarkdown(r.reason ?? 'skipped') : cell(answerLine(r.actual))}`,
    );
    return `| ${markdownCode(row.scenario, { inTable: true })} ${escapeMarkdown(row.title)} | ${cells.join(' | ')} |`;
  });
  return ['## All results', '', head, rule, ...rows, ''];
}

export function renderMarkdown(report: RunReport): string {
  const lines = summary(report);
  lines.push('');
  const ordered = inReadingOrder(report.results);
  for (const section of SECTIONS) {
    const results = ordered.filter((r) => r.verdict === section.verdict);
    if (results.length === 0) continue;
    const word = VERDICT_WORD[section.verdict];
    lines.push(`## ${VERDICT_MARK[section.verdict]} ${word.charAt(0).toUpperCase()}${word.slice(1)} (${results.length})${section.about}`, '');
    for (const r of results) lines.push(...detail(report, r));
  }
  if (report.summary.fail + report.summary.divergence + report.summary.inconclusive === 0) lines.push('Every scenario got its expected answer.', '');
  lines.push(...grid(report));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
