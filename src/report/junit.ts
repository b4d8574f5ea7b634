/**
 * The run report as JUnit XML, the format CI servers draw test tabs from: one <testsuite> per target,
 * one <testcase> per scenario (classname = its first tag, name = "id: title"). JUnit knows failures,
 * skips and passes only, so a result that failed or diverged is a <failure> whose type is the
 * verdict's word (`failed`, `diverged`) with expected and actual in its body, and one that was skipped
 * or not judged (a real org whose baseline failed) is <skipped> with the reason; each suite carries the
 * counts line of the other reports as the property `sfjwt.counts`, and a finding about the target
 * (its setup is broken) as `sfjwt.finding`. Every value is XML-escaped, and characters XML 1.0 cannot
 * hold are dropped, so a strange answer from a real org can never make the file unreadable for the
 * CI server.
 */
import type { RunReport, ScenarioResult } from '../runner/run.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './escape.ts';
import { answerLine, countsByTarget, countsLine, decidingCheck, expectedLine, seconds, VERDICT_WORD } from './view.ts';

function failureBody(r: ScenarioResult): string {
  const lines = [`Expected: ${expectedLine(r.expected)}`, `Actual:   ${answerLine(r.actual)}`, `Deciding check: ${decidingCheck(r)}`];
  if (r.reason !== undefined) lines.push(`What differs: ${r.reason}`);
  lines.push(`Why: ${r.explanation}`, `Fix: ${r.fix}`);
  if (r.references.length > 0) lines.push(`References: ${r.references.join(', ')}`);
  return lines.join('\n');
}

function testcase(r: ScenarioResult): string {
  const open = `    <testcase classname="${attr(r.tags[0] ?? 'sfjwt')}" name="${attr(`${r.scenario}: ${r.title}`)}" time="${seconds(r.durationMs)}"`;
  switch (r.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
    case 'inconclusive':
      return `${open}>\n      <skipped message="${attr(r.reason ?? VERDICT_WORD[r.verdict])}"/>\n    </testcase>`;
    case 'fail':
    case 'divergence':
      return `${open}>\n      <failure message="${attr(r.reason ?? VERDICT_WORD[r.verdict])}" type="${VERDICT_WORD[r.verdict]}">${text(failureBody(r))}</failure>\n    </testcase>`;
  }
}

export function renderJunit(report: RunReport): string {
  const suites = countsByTarget(report).map(({ name, kind, counts }) => {
    const results = report.results.filter((r) => r.target === name);
    const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
    const failures = counts.fail + counts.divergence;
    const findings = report.findings.filter((f) => f.target === name).map((f) => `      <property name="sfjwt.finding" value="${attr(`setup broken: ${f.message}; run ${f.command}`)}"/>`);
    return [
      `  <testsuite name="${attr(name)}" tests="${counts.total}" failures="${failures}" errors="0" skipped="${counts.skip + counts.inconclusive}" time="${time}" timestamp="${attr(report.startedAt)}">`,
      '    <properties>',
      `      <property name="target.kind" value="${attr(kind)}"/>`,
      `      <property name="run.id" value="${attr(report.runId)}"/>`,
      `      <property name="run.seed" value="${report.seed === null ? '' : String(report.seed)}"/>`,
      `      <property name="sfjwt.counts" value="${attr(countsLine(counts))}"/>`,
      ...findings,
      '    </properties>',
      ...results.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const s = report.summary;
  const total = seconds(Date.parse(report.finishedAt) - Date.parse(report.startedAt));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`sfjwt ${report.runId}`)}" tests="${s.total}" failures="${s.fail + s.divergence}" errors="0" skipped="${s.skip + s.inconclusive}" time="${total}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
