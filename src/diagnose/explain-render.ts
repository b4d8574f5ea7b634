/**
 * `explain` as text for a person: headings, numbered causes in check order, each scenario with why
 * and the fix, then how to tell the causes apart, Login History and confidence (for an answer of
 * the REST API or identity service, or for what a request that got no answer reports: each cause with
 * how to confirm it and the fix). Long sentences are
 * wrapped under their indent so the output reads in an 100-column terminal. Colour is the caller's
 * (`colours()` honours NO_COLOR and pipes); without it the text is plain.
 */
import type { Confidence } from '../../mock-server/core/knobs.ts';
import type { ApiAnswerExplanation, CheckExplanation, Explanation, NetworkAnswerExplanation, ScenarioExplanation } from './explain.ts';
import { type AnswerInfo, onlySometimes } from './explain-answers.ts';
import { CONFIDENCE_WORDS } from './explain-knowledge.ts';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
}

const PLAIN: Paint = { bold: (s) => s, dim: (s) => s };
const WIDTH = 100;

/** Wraps text at word boundaries; the first line after `first`, the rest under `indent`. */
export function wrap(text: string, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

const answerText = (a: { status: number; error: string | null; description: string | null }) => (a.error === null ? `HTTP ${a.status}` : `${a.status} ${a.error}: ${a.description ?? ''}`);
const list = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`);
const confidence = (c: Confidence) => `${c} (${CONFIDENCE_WORDS[c]})`;

function renderAnswer(a: AnswerInfo, p: Paint): string[] {
  const out = [p.bold(a.error === null ? `HTTP ${a.status}` : `${a.error}: ${a.description ?? ''}  (HTTP ${a.status})`), '', p.bold('What it means'), wrap(a.meaning, '  '), ''];
  out.push(p.bold(`Causes, in the order Salesforce checks (${a.causes.length})`));
  a.causes.forEach((c, i) => {
    const grade = c.level === null || c.confidence === null ? '' : p.dim(`  [${c.level}, ${c.confidence}]`);
    out.push(`  ${i + 1}. ${c.check}: ${c.title}${grade}`, wrap(c.description, '     '));
    if (c.onlyWithKnob !== null) out.push(wrap(`Gives this answer ${onlySometimes(c)} (knob ${c.onlyWithKnob}, ${c.knobs[0]?.confidence ?? ''}): ${c.knobs[0]?.description ?? ''}`, '     '));
    else for (const k of c.knobs) out.push(wrap(`Knob ${k.name} (${k.confidence}): ${k.description}`, '     '));
    for (const s of c.scenarios) {
      out.push(`     - ${s.id}: ${s.title} ${p.dim(`[${s.confidence}]`)}`, wrap(s.explanation, '         ', '       why: '), wrap(s.fix, '         ', '       fix: '));
    }
  });
  out.push('', p.bold(a.causes.length > 1 ? 'How to tell them apart' : 'How to confirm it'), ...a.tellApart.map((t) => wrap(t, '    ', '  - ')), '');
  const histories = [...new Set(a.outcomes.map((o) => o.loginHistory))];
  out.push(p.bold('Login History'));
  if (histories.length === 1) out.push(`  ${histories[0] === null || histories[0] === undefined ? 'no status recorded (or none known)' : `"${histories[0]}"`}`);
  else for (const o of a.outcomes) out.push(`  ${o.loginHistory === null ? 'no status recorded' : `"${o.loginHistory}"`} for ${o.name} (${list(o.causes)})`);
  const grades = [...new Set(a.outcomes.map((o) => o.confidence))];
  out.push('', p.bold('Confidence'));
  if (grades.length === 1 && grades[0] !== undefined) out.push(`  ${confidence(grades[0])}`);
  else for (const o of a.outcomes) out.push(`  ${confidence(o.confidence)} for ${o.name} (${list(o.causes)})`);
  return out;
}

function renderScenario(s: ScenarioExplanation, p: Paint): string[] {
  const as = Object.entries(s.as)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  const out = [p.bold(`${s.id}: ${s.title}`), p.dim(`  ${s.level} · tags ${s.tags.join(', ') || '(none)'} · confidence ${confidence(s.confidence)}`), ''];
  out.push(p.bold('Made as'), `  ${as}`, '', p.bold('Mistakes'));
  if (s.mistakes.length === 0) out.push('  none: the correct request (an accepted variation)');
  for (const m of s.mistakes) {
    const { at, ...rest } = m;
    out.push(wrap(`${at}: ${JSON.stringify(rest)}`, '      ', '  - '));
  }
  out.push('', p.bold('Salesforce answers'), `  ${s.expect.status === 200 ? '200 with an access token' : answerText(s.expect)}`, '', p.bold('Decided by'));
  if (s.decidedBy === null) out.push('  no check: every check passes');
  else out.push(`  ${s.decidedBy.check}: ${s.decidedBy.title}`, wrap(s.decidedBy.description, '  '));
  out.push('', p.bold('Why'), wrap(s.explanation, '  '), '', p.bold('Fix'), wrap(s.fix, '  '));
  if (s.references.length > 0) out.push('', p.bold('References'), ...s.references.map((r) => `  - ${r}`));
  if (s.expect.error !== null) out.push('', p.dim(`Every cause of this answer: npx sfjwt explain "${s.expect.description ?? s.expect.error}"`));
  return out;
}

function renderCheck(c: CheckExplanation, p: Paint): string[] {
  const out = [p.bold(`${c.id}: ${c.title}`), p.dim(`  check ${c.position.index} of ${c.position.of} · ${c.level} · confidence ${confidence(c.confidence)}`), '', wrap(c.description, '  '), ''];
  out.push(p.bold('Answers it gives'));
  for (const o of c.outcomes) {
    const history = o.loginHistory === null ? '' : ` · Login History "${o.loginHistory}"`;
    out.push(`  ${answerText(o)}${p.dim(`  (${o.name}, ${o.confidence}${history})`)}`);
    for (const k of o.knobs) out.push(wrap(`knob ${k.name} (default ${JSON.stringify(k.default)}, ${k.confidence}): ${k.description}`, '      ', '    '));
  }
  out.push('', p.bold(`Scenarios it decides (${c.scenarios.length})`));
  if (c.scenarios.length === 0) out.push('  none in the catalogue');
  const width = Math.max(0, ...c.scenarios.map((s) => s.id.length));
  for (const s of c.scenarios) out.push(`  ${s.id.padEnd(width)}  ${answerText(s.expect)}  ${p.dim(s.title)}`);
  out.push('', p.dim(`One scenario in full: npx sfjwt explain <scenario id>`));
  return out;
}

function renderApiAnswer(a: ApiAnswerExplanation, p: Paint): string[] {
  const out = [p.bold(`${a.code}${a.message === null ? '' : `: ${a.message}`}  (HTTP ${a.status}, ${a.service})`), '', p.bold('What it means'), wrap(a.meaning, '  '), ''];
  out.push(p.bold('The answer'), wrap(a.body, '  '), '', p.bold(`Causes (${a.causes.length})`));
  a.causes.forEach((c, i) => {
    out.push(`  ${i + 1}. ${c.title}`, wrap(c.description, '     '), wrap(c.confirm, '              ', '     confirm: '), wrap(c.fix, '          ', '     fix: '));
  });
  out.push('', p.bold('Confidence'), `  ${confidence(a.confidence)}`);
  return out;
}

function renderNetworkAnswer(a: NetworkAnswerExplanation, p: Paint): string[] {
  const out = [p.bold(`${a.code}  (no HTTP answer: what the request reported)`), '', p.bold('What it means'), wrap(a.meaning, '  '), '', p.bold(`Causes (${a.causes.length})`)];
  a.causes.forEach((c, i) => {
    out.push(`  ${i + 1}. ${c.id}: ${c.title}`, wrap(c.description, '     '), wrap(c.fix, '          ', '     fix: '));
  });
  out.push('', p.bold(a.causes.length > 1 ? 'How to tell them apart' : 'How to confirm it'), ...a.causes.map((c) => wrap(`${c.id}: ${c.confirm}`, '    ', '  - ')));
  out.push('', p.dim(wrap('npx sfjwt doctor --login URL --client-id ID --username U --key FILE sends the request and names the cause from what it reports.', '')));
  return out;
}

export function renderExplanation(e: Explanation, p: Paint = PLAIN): string {
  switch (e.kind) {
    case 'answer': {
      const head = e.answers.length > 1 ? [p.dim(`${e.answers.length} answers match "${e.query}"`), ''] : [];
      return [...head, ...e.answers.flatMap((a, i) => [...(i > 0 ? ['', '-'.repeat(WIDTH), ''] : []), ...renderAnswer(a, p)])].join('\n');
    }
    case 'scenario':
      return renderScenario(e, p).join('\n');
    case 'check':
      return renderCheck(e, p).join('\n');
    case 'api-answer':
      return renderApiAnswer(e, p).join('\n');
    case 'network-answer':
      return renderNetworkAnswer(e, p).join('\n');
  }
}
