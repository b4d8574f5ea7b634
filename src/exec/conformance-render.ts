/**
 * The client conformance report as files, like a run's reports: conformance.json (the model, with
 * the run's journal), conformance.md, conformance.html (one self-contained page, no external
 * assets, a Content-Security-Policy that allows only its own inline style) and junit.xml (one
 * testcase per check and per token request, so a CI server draws them). Renderers are pure; only
 * writeConformanceReport touches the disk. Nothing secret is in the model: traces are redacted by the
 * mock and printed secrets are kept as lines with the secret cut out.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import { makeDirectory } from '../../lib/make-directory.ts';
import { replaceFile } from '../../lib/write-new-file.ts';
import type { Trace } from '../../mock-server/core/trace.ts';
import { escapeXmlAttribute as attr, escapeHtml as h, markdownCode, escapeMarkdown as md, escapeXmlText as text } from '../report/escape.ts';
import { type ConformanceCheck, type ConformanceReport, type ConformanceResult, conformanceLine, type TokenRequestRow } from './conformance.ts';

/** Traces kept in conformance.json: the newest, when a long run made more. */
export const JOURNAL_IN_REPORT = 1_000;

const MARK: Record<ConformanceResult, string> = { pass: '✅', warning: '⚠️', error: '❌', 'not-seen': '⏭' };
const WORD: Record<ConformanceResult, string> = { pass: 'passed', warning: 'warning', error: 'error', 'not-seen': 'not seen' };

const commandLine = (r: ConformanceReport) => r.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
const rowAnswer = (t: TokenRequestRow) => (t.outcome === 'dropped' ? 'dropped' : t.error === undefined ? `${t.status}` : `${t.status} ${t.error}: ${t.errorDescription ?? ''}`);
const rowLint = (t: TokenRequestRow) => (t.lint === undefined ? 'no assertion' : t.lint.length === 0 ? 'no finding' : t.lint.map((f) => `${f.severity}: ${f.title}`).join('; '));

export function renderConformanceJson(report: ConformanceReport, journal: readonly Trace[]): string {
  const kept = journal.slice(-JOURNAL_IN_REPORT);
  return `${JSON.stringify({ ...report, journal: kept, ...(kept.length < journal.length ? { journalOmitted: journal.length - kept.length } : {}) }, null, 2)}\n`;
}

function checkDetail(c: ConformanceCheck): string[] {
  const lines: string[] = [];
  if (c.fix !== undefined) lines.push(`Fix: ${c.fix}`);
  if (c.rehearse !== undefined) lines.push(`Rehearse: ${c.rehearse}`);
  if (c.traces.length > 0) lines.push(`Traces: ${c.traces.slice(0, 10).join(', ')}${c.traces.length > 10 ? ` and ${c.traces.length - 10} more` : ''}`);
  return lines;
}

export function renderConformanceMarkdown(r: ConformanceReport): string {
  const out = [
    '# sfjwt exec: client conformance',
    '',
    `**${md(conformanceLine(r))}**`,
    '',
    `- Command: ${markdownCode(commandLine(r))}, exit code ${r.exitCode}`,
    `- From ${r.startedAt} to ${r.finishedAt}`,
    `- Faults: ${r.faults.length === 0 ? 'none' : r.faults.map(md).join('; ')}`,
    '',
    '## Checks',
    '',
    '| | Check | What it did |',
    '|---|---|---|',
    ...r.checks.map((c) => `| ${MARK[c.result]} ${WORD[c.result]} | ${md(c.title)} | ${md(c.saw)} |`),
    '',
  ];
  const detailed = r.checks.filter((c) => c.result === 'error' || c.result === 'warning' || c.rehearse !== undefined);
  for (const c of detailed) out.push(`### ${MARK[c.result]} ${md(c.title)}`, '', md(c.saw), '', ...checkDetail(c).map((l) => `- ${md(l)}`), '');
  out.push('## Token requests', '');
  if (r.tokenRequests.length === 0) out.push('None reached the mock.', '');
  else
    out.push(
      '| Trace | Time | Host | Answer | Deciding check | Assertion lint |',
      '|---|---|---|---|---|---|',
      ...r.tokenRequests.map(
        (t) => `| ${markdownCode(t.trace, { inTable: true })} | ${t.time} | ${md(t.host)} | ${md(rowAnswer(t))} | ${md(t.decidedBy ?? 'none: every check passed')} | ${md(rowLint(t))} |`,
      ),
      '',
    );
  if (r.refused.length > 0) out.push('## Refused attempts to leave loopback', '', ...r.refused.map((x) => `- ${x.kind} ${md(x.host)}${x.port === undefined ? '' : `:${x.port}`}`), '');
  if (r.printed.length > 0) out.push('## Secrets in its output', '', ...r.printed.map((p) => `- ${p.stream} line ${p.line}: ${md(p.what)}: ${markdownCode(p.excerpt)}`), '');
  return `${out.join('\n')}\n`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --text: #1d2330; --muted: #5d6778; --line: #dde1e8;
  --pass: #1a7f37; --warning: #8a5300; --error: #c62828; --not-seen: #5d6778; }
@media (prefers-color-scheme: dark) { :root { --bg: #14171c; --panel: #1c2027; --text: #e4e7ec; --muted: #9aa3b2; --line: #2f3540;
  --pass: #4cc46a; --warning: #f0a840; --error: #ff6b6b; --not-seen: #9aa3b2; } }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, sans-serif; }
header, main, footer { max-width: 76rem; margin: 0 auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; margin: 1.5rem 0 0.25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 0.75rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.88em; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; background: var(--panel); }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.4rem 0.6rem; }
.result { font-weight: 600; white-space: nowrap; }
.pass { color: var(--pass); } .warning { color: var(--warning); } .error { color: var(--error); } .not-seen { color: var(--muted); }
.detail { color: var(--muted); margin: 0.2rem 0 0; }
footer { color: var(--muted); padding: 2rem 1.25rem 3rem; }
`;

export function renderConformanceHtml(r: ConformanceReport): string {
  const style = `/*<![CDATA[*/${STYLE}/*]]>*/`;
  const csp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const checkRow = (c: ConformanceCheck) =>
    `<tr><td class="result ${c.result}">${MARK[c.result]} ${WORD[c.result]}</td><th scope="row">${h(c.title)}</th><td>${h(c.saw)}${checkDetail(c)
      .map((l) => `<p class="detail">${h(l)}</p>`)
      .join('')}</td></tr>`;
  const tokenRow = (t: TokenRequestRow) =>
    `<tr><td><code>${h(t.trace)}</code></td><td>${h(t.time)}</td><td>${h(t.host)}</td><td>${h(rowAnswer(t))}</td><td>${h(t.decidedBy ?? 'none: every check passed')}</td><td>${h(rowLint(t))}</td></tr>`;
  const worst = r.summary.errors > 0 ? 'error' : r.summary.warnings > 0 ? 'warning' : 'pass';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="${csp}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>sfjwt exec conformance: ${h(conformanceLine(r))}</title>`,
    '<link rel="icon" href="data:,"/>',
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>sfjwt exec: client conformance</h1>',
    `<p class="${worst}"><strong>${h(conformanceLine(r))}</strong></p>`,
    `<p>Command <code>${h(commandLine(r))}</code>, exit code ${r.exitCode}; from ${h(r.startedAt)} to ${h(r.finishedAt)}; faults: ${h(r.faults.length === 0 ? 'none' : r.faults.join('; '))}.</p>`,
    '</header>',
    '<main>',
    '<section aria-labelledby="checks"><h2 id="checks">Checks</h2>',
    `<table><thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">What it did</th></tr></thead><tbody>${r.checks.map(checkRow).join('')}</tbody></table>`,
    '</section>',
    '<section aria-labelledby="tokens"><h2 id="tokens">Token requests</h2>',
    r.tokenRequests.length === 0
      ? '<p>None reached the mock.</p>'
      : `<table><thead><tr><th scope="col">Trace</th><th scope="col">Time</th><th scope="col">Host</th><th scope="col">Answer</th><th scope="col">Deciding check</th><th scope="col">Assertion lint</th></tr></thead><tbody>${r.tokenRequests.map(tokenRow).join('')}</tbody></table>`,
    '</section>',
    ...(r.refused.length === 0
      ? []
      : [
          '<section aria-labelledby="refused"><h2 id="refused">Refused attempts to leave loopback</h2><ul>',
          ...r.refused.map((x) => `<li>${h(`${x.kind} ${x.host}${x.port === undefined ? '' : `:${x.port}`}`)}</li>`),
          '</ul></section>',
        ]),
    ...(r.printed.length === 0
      ? []
      : [
          '<section aria-labelledby="printed"><h2 id="printed">Secrets in its output</h2><ul>',
          ...r.printed.map((p) => `<li>${h(`${p.stream} line ${p.line}: ${p.what}: `)}<code>${h(p.excerpt)}</code></li>`),
          '</ul></section>',
        ]),
    '</main>',
    '<footer>Written by sfjwt exec. The report holds no access token, assertion or private key: the mock redacts them before it traces a request.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function renderConformanceJunit(r: ConformanceReport): string {
  const seconds = ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(3);
  const checkCase = (c: ConformanceCheck) => {
    const open = `    <testcase classname="sfjwt.exec.conformance" name="${attr(`${c.id}: ${c.title}`)}"`;
    const body = text([c.saw, ...checkDetail(c)].join('\n'));
    if (c.result === 'error') return `${open}>\n      <failure message="${attr(c.saw)}" type="error">${body}</failure>\n    </testcase>`;
    if (c.result === 'not-seen') return `${open}>\n      <skipped message="${attr(`not seen: ${c.saw}${c.rehearse === undefined ? '' : `; rehearse: ${c.rehearse}`}`)}"/>\n    </testcase>`;
    return `${open}>\n      <system-out>${text(c.result === 'warning' ? `warning: ${[c.saw, ...checkDetail(c)].join('\n')}` : c.saw)}</system-out>\n    </testcase>`;
  };
  const tokenCase = (t: TokenRequestRow) => {
    const open = `    <testcase classname="sfjwt.exec.token-requests" name="${attr(`${t.trace} ${t.host}`)}"`;
    if (t.outcome === 'success') return `${open}/>`;
    return `${open}>\n      <failure message="${attr(rowAnswer(t))}" type="${attr(t.outcome)}">${text(`Deciding check: ${t.decidedBy ?? 'none'}\nAssertion lint: ${rowLint(t)}`)}</failure>\n    </testcase>`;
  };
  const failedTokens = r.tokenRequests.filter((t) => t.outcome !== 'success').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sfjwt exec" tests="${r.checks.length + r.tokenRequests.length}" failures="${r.summary.errors + failedTokens}" errors="0" skipped="${r.summary.notSeen}" time="${seconds}">`,
    `  <testsuite name="client conformance" tests="${r.checks.length}" failures="${r.summary.errors}" errors="0" skipped="${r.summary.notSeen}" time="${seconds}" timestamp="${attr(r.startedAt)}">`,
    '    <properties>',
    `      <property name="exec.command" value="${attr(commandLine(r))}"/>`,
    `      <property name="exec.exitCode" value="${r.exitCode}"/>`,
    `      <property name="sfjwt.counts" value="${attr(conformanceLine(r))}"/>`,
    ...r.faults.map((f) => `      <property name="exec.fault" value="${attr(f)}"/>`),
    '    </properties>',
    ...r.checks.map(checkCase),
    '  </testsuite>',
    `  <testsuite name="token requests" tests="${r.tokenRequests.length}" failures="${failedTokens}" errors="0" skipped="0" time="${seconds}" timestamp="${attr(r.startedAt)}">`,
    ...r.tokenRequests.map(tokenCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes the four files into `dir` (made when missing); answers their paths. */
export function writeConformanceReport(dir: string, report: ConformanceReport, journal: readonly Trace[]): string[] {
  // Rendered before anything is written: a renderer's bug leaves no half-written folder.
  const files: [string, string][] = [
    ['conformance.json', renderConformanceJson(report, journal)],
    ['conformance.md', renderConformanceMarkdown(report)],
    ['conformance.html', renderConformanceHtml(report)],
    ['junit.xml', renderConformanceJunit(report)],
  ];
  try {
    makeDirectory(dir);
    for (const [name, body] of files) replaceFile(join(dir, name), body, 0o644);
  } catch (cause) {
    throw new ResourceError(`cannot write the conformance report under ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      actions: ['Choose a writable folder with --report.'],
      cause,
    });
  }
  return files.map(([name]) => join(dir, name));
}
