/**
 * The field guide as Markdown (GitHub flavour): a pure function of the guide model. Catalogue text
 * goes through src/report/escape.ts; the guide's own step text is written as Markdown already. Each
 * scenario's reproduction is a fenced `sh` block marked `<!-- reproduction: ID -->`, followed by the
 * `text` block it prints, which is how guide-reproductions.test.ts finds and runs them.
 */
import { markdownCode as code, escapeMarkdown as md } from '../report/escape.ts';
import { sequenceLines } from './guide-diagram.ts';
import type { GuideAnswer, GuideModel, GuideScenario } from './guide-model.ts';
import { answerLine, CONTENTS, checkAnswer, expectLine, isLink, NOT_REPRODUCED, reproduced, sureness } from './guide-words.ts';

const anchor = (id: string) => `<a id="${id}"></a>`;
const scenarioLink = (id: string) => `[${code(id)}](#scenario-${id})`;
const checkLink = (id: string) => `[${code(id)}](#check-${id})`;
const fence = (lang: string, text: string) => `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;

function steps(m: GuideModel): string[] {
  return m.steps.flatMap((s, i) => [
    anchor(`step-${s.id}`),
    `### ${i + 1}. ${s.title}`,
    '',
    ...s.text.flatMap((t) => [t, '']),
    ...(s.ways ?? []).flatMap((w, j) => [`**${String.fromCharCode(97 + j)}. ${w.title}.** ${w.text} Scenarios: ${w.scenarios.map(scenarioLink).join(', ')}.`, '']),
    ...(s.knobText.length === 0 ? [] : [...s.knobText.map((k) => `- ${code(k.name)}: ${md(k.description)}`), '']),
    ...(s.checks.length === 0 ? [] : [`Judged by: ${s.checks.map(checkLink).join(', ')}.`, '']),
    ...(s.scenarios.length === 0 ? [] : [`See: ${s.scenarios.map(scenarioLink).join(', ')}.`, '']),
  ]);
}

function checks(m: GuideModel): string[] {
  const rows = m.checks.map((c, i) => `| ${i + 1} | ${checkLink(c.id)} | ${c.level} | ${c.confidence} | ${md(c.title)} |`);
  const details = m.checks.flatMap((c) => [
    anchor(`check-${c.id}`),
    `### ${code(c.id)}: ${md(c.title)}`,
    '',
    `${md(c.description)} (${c.level}; ${sureness(c.confidence)})`,
    '',
    ...c.outcomes.map((o) => `- ${code(o)}: ${md(checkAnswer(o))}`),
    '',
    `How to tell: ${md(c.confirm)}`,
    '',
    `Fix: ${md(c.rootCause.fix)}`,
    '',
  ]);
  return ['| # | check | level | confidence | what it checks |', '|---|---|---|---|---|', ...rows, '', ...details];
}

function answer(a: GuideAnswer): string[] {
  return [
    anchor(a.anchor),
    `### ${md(answerLine(a))}`,
    '',
    md(a.meaning),
    '',
    `How sure we are: ${sureness(a.confidence)}. Outcomes: ${a.outcomes.map((o) => `${code(o.name)} (${o.confidence}${o.loginHistory === null ? '' : `, Login History ${md(`"${o.loginHistory}"`)}`})`).join(', ')}.`,
    '',
    '**Causes**',
    '',
    ...a.causes.flatMap((c) => [
      `- ${checkLink(c.check)} ${md(c.title)}${c.onlyWithKnob === null ? '' : ` (only with the knob ${code(c.onlyWithKnob)})`}: ${md(c.description)}`,
      ...c.scenarios.map((s) => `  - ${scenarioLink(s.id)} ${md(s.title)}. Fix: ${md(s.fix)}`),
    ]),
    ...(reproduced(a) ? [] : ['', md(NOT_REPRODUCED)]),
    '',
    '**How to tell them apart**',
    '',
    ...a.tellApart.map((t) => `- ${md(t)}`),
    '',
  ];
}

function scenario(g: GuideScenario): string[] {
  const s = g.scenario;
  return [
    anchor(`scenario-${s.id}`),
    `### ${code(s.id)}: ${md(s.title)}`,
    '',
    `Salesforce answers ${md(expectLine(s))}${g.decidedBy === null ? '' : `, decided by ${checkLink(g.decidedBy.id)}`}. ${s.level}; how sure we are: ${sureness(s.confidence)}.`,
    '',
    md(s.explanation),
    '',
    `Fix: ${md(s.fix)}`,
    '',
    ...(g.lab === undefined ? [] : [`Practise it: lab ${g.lab.number}, "${md(g.lab.title)}" (${code(`npx sfjwt lab start ${g.lab.number}`)}).`, '']),
    ...(s.references.length === 0 ? [] : [`References: ${s.references.map((r) => (isLink(r) ? `<${r}>` : md(r))).join('; ')}`, '']),
    `<!-- reproduction: ${s.id} -->`,
    fence('sh', g.reproduction.script),
    '',
    'It prints:',
    '',
    fence('text', g.reproduction.prints),
    '',
  ];
}

export function renderGuideMarkdown(m: GuideModel): string {
  return [
    `# ${m.title}`,
    '',
    `Written by \`npx sfjwt guide\` from what sfjwt knows: ${m.checks.length} checks, ${m.outcomeNames.length} outcomes, ${m.answers.length} distinct answers and ${m.scenarios.length} scenarios. Every reproduction below is run against the mock by sfjwt's tests, which compare what it prints with what this guide says.`,
    '',
    '## Contents',
    '',
    ...CONTENTS.map(([id, title]) => `- [${title}](#${id})`),
    '',
    anchor('flow'),
    `## ${CONTENTS[0][1]}`,
    '',
    ...steps(m),
    anchor('sequence'),
    `## ${CONTENTS[1][1]}`,
    '',
    ...sequenceLines(m.diagram).map(md),
    '',
    anchor('checks'),
    `## ${CONTENTS[2][1]}`,
    '',
    'Salesforce checks a token request in this order; the first check that fails gives the answer.',
    '',
    ...checks(m),
    anchor('errors'),
    `## ${CONTENTS[3][1]}`,
    '',
    ...m.answers.flatMap(answer),
    anchor('after-the-token'),
    `## ${CONTENTS[4][1]}`,
    '',
    ...m.apiAnswers.flatMap((a) => [
      `### ${a.status} ${code(a.code)}${a.message === null ? '' : `: ${md(a.message)}`}`,
      '',
      `${md(a.meaning)} (${md(a.service)}; ${sureness(a.confidence)}) The body: ${code(a.body)}`,
      '',
      ...a.causes.map((c) => `- ${md(c.title)}: ${md(c.description)} Fix: ${md(c.fix)}`),
      '',
    ]),
    anchor('scenarios'),
    `## ${CONTENTS[5][1]}`,
    '',
    'Start the mock once, in an empty folder, and define the helpers the snippets use (they read URLs, the CA and the admin token from mock.json, so any ports work):',
    '',
    `<!-- reproduction helpers -->`,
    fence('sh', [m.reproduce.start, ...m.reproduce.helpers].join('\n')),
    '',
    `When done: ${code(m.reproduce.stop)}.`,
    '',
    ...m.scenarios.flatMap(scenario),
    anchor('confidence'),
    `## ${CONTENTS[6][1]}`,
    '',
    '| level | meaning |',
    '|---|---|',
    ...m.confidenceWords.map((c) => `| ${c.level} | ${md(c.words)} |`),
    '',
  ].join('\n');
}
