/**
 * The field guide as one self-contained HTML page: a pure function of the guide model. No external
 * asset and no script; the stylesheet is inline and admitted by its hash in a strict
 * Content-Security-Policy (as the run report's page does, src/report/html.ts), the sequence diagram is
 * inline SVG, the colours follow the reader's light or dark scheme. For the keyboard and screen
 * readers: a skip link first, landmarks (banner, navigation, main, contentinfo), one h1 and headings
 * in order, a table of contents. Links leave the page only to the references, as https links.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as h } from '../report/escape.ts';
import { pageHead } from '../report/page-head.ts';
import { renderSequenceSvg } from './guide-diagram.ts';
import type { GuideAnswer, GuideModel, GuideScenario } from './guide-model.ts';
import { GUIDE_STYLE } from './guide-style.ts';
import { answerLine, CONTENTS, checkAnswer, expectLine, isLink, NOT_REPRODUCED, reproduced, sureness } from './guide-words.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The guide's own text, escaped, with its `code` spans as <code>. */
const prose = (text: string) => h(text).replace(/`([^`]+)`/g, '<code>$1</code>');
const c = (text: string) => `<code>${h(text)}</code>`;
const scenarioLink = (id: string) => `<a href="#scenario-${h(id)}">${c(id)}</a>`;
const checkLink = (id: string) => `<a href="#check-${h(id)}">${c(id)}</a>`;
const list = (items: readonly string[]) => (items.length === 0 ? '' : `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);

function steps(m: GuideModel): string {
  return m.steps
    .map((s, i) => {
      const ways = (s.ways ?? []).map((w, j) => `<h4>${String.fromCharCode(97 + j)}. ${h(w.title)}</h4><p>${prose(w.text)} Scenarios: ${w.scenarios.map(scenarioLink).join(', ')}.</p>`);
      return [
        `<section class="entry" id="step-${s.id}" aria-labelledby="step-${s.id}-h"><h3 id="step-${s.id}-h">${i + 1}. ${h(s.title)}</h3>`,
        ...s.text.map((t) => `<p>${prose(t)}</p>`),
        ...ways,
        list(s.knobText.map((k) => `${c(k.name)}: ${prose(k.description)}`)),
        s.checks.length === 0 ? '' : `<p>Judged by: ${s.checks.map(checkLink).join(', ')}.</p>`,
        s.scenarios.length === 0 ? '' : `<p>See: ${s.scenarios.map(scenarioLink).join(', ')}.</p>`,
        '</section>',
      ].join('\n');
    })
    .join('\n');
}

function checks(m: GuideModel): string {
  const rows = m.checks.map((k, i) => `<tr><td>${i + 1}</td><td>${checkLink(k.id)}</td><td>${k.level}</td><td>${h(k.confidence)}</td><td>${h(k.title)}</td></tr>`).join('\n');
  const table = `<table><caption class="sure">Salesforce checks a token request in this order; the first check that fails gives the answer.</caption><thead><tr><th scope="col">#</th><th scope="col">check</th><th scope="col">level</th><th scope="col">confidence</th><th scope="col">what it checks</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
  const details = m.checks.map((k) =>
    [
      `<section class="entry" id="check-${h(k.id)}" aria-labelledby="check-${h(k.id)}-h"><h3 id="check-${h(k.id)}-h">${c(k.id)}: ${h(k.title)}</h3>`,
      `<p>${h(k.description)} <span class="sure">(${k.level}; ${h(sureness(k.confidence))})</span></p>`,
      list(k.outcomes.map((o) => `${c(o)}: ${h(checkAnswer(o))}`)),
      `<p><strong>How to tell:</strong> ${h(k.confirm)}</p>`,
      `<p><strong>Fix:</strong> ${h(k.rootCause.fix)}</p>`,
      '</section>',
    ].join('\n'),
  );
  return [table, ...details].join('\n');
}

function answer(a: GuideAnswer): string {
  const outcomes = a.outcomes.map((o) => `${c(o.name)} (${h(o.confidence)}${o.loginHistory === null ? '' : `, Login History “${h(o.loginHistory)}”`})`).join(', ');
  const causes = a.causes.map(
    (k) =>
      `${checkLink(k.check)} ${h(k.title)}${k.onlyWithKnob === null ? '' : ` (only with the knob ${c(k.onlyWithKnob)})`}: ${h(k.description)}${list(k.scenarios.map((s) => `${scenarioLink(s.id)} ${h(s.title)}. <strong>Fix:</strong> ${h(s.fix)}`))}`,
  );
  return [
    `<section class="entry" id="${a.anchor}" aria-labelledby="${a.anchor}-h"><h3 id="${a.anchor}-h">${h(answerLine(a))}</h3>`,
    `<p>${h(a.meaning)}</p>`,
    `<p class="sure">How sure we are: ${h(sureness(a.confidence))}. Outcomes: ${outcomes}.</p>`,
    `<h4>Causes</h4>${list(causes)}`,
    reproduced(a) ? '' : `<p class="sure">${h(NOT_REPRODUCED)}</p>`,
    `<h4>How to tell them apart</h4>${list(a.tellApart.map(h))}`,
    '</section>',
  ].join('\n');
}

function scenario(g: GuideScenario): string {
  const s = g.scenario;
  const refs = s.references.map((r) => (isLink(r) ? `<a href="${h(r)}">${h(r)}</a>` : h(r)));
  return [
    `<section class="entry" id="scenario-${h(s.id)}" aria-labelledby="scenario-${h(s.id)}-h"><h3 id="scenario-${h(s.id)}-h">${c(s.id)}: ${h(s.title)}</h3>`,
    `<p><span class="expect">Salesforce answers ${h(expectLine(s))}</span>${g.decidedBy === null ? '' : `, decided by ${checkLink(g.decidedBy.id)}`}. <span class="sure">${s.level}; how sure we are: ${h(sureness(s.confidence))}.</span></p>`,
    `<p>${h(s.explanation)}</p>`,
    `<p><strong>Fix:</strong> ${h(s.fix)}</p>`,
    g.lab === undefined ? '' : `<p>Practise it: lab ${g.lab.number}, “${h(g.lab.title)}” (${c(`npx sfjwt lab start ${g.lab.number}`)}).</p>`,
    refs.length === 0 ? '' : `<p class="sure">References: ${refs.join('; ')}</p>`,
    `<pre tabindex="0" aria-label="Reproduction of ${h(s.id)}"><code>${h(g.reproduction.script)}</code></pre>`,
    `<p>It prints:</p><pre class="prints" tabindex="0" aria-label="What it prints"><code>${h(g.reproduction.prints)}</code></pre>`,
    '</section>',
  ].join('\n');
}

function section(index: number, body: string): string {
  const [id, title] = CONTENTS[index] ?? ['', ''];
  return `<section id="${id}" aria-labelledby="${id}-h">\n<h2 id="${id}-h">${h(title)}</h2>\n${body}\n</section>`;
}

export function renderGuideHtml(m: GuideModel): string {
  const style = `/*<![CDATA[*/${GUIDE_STYLE}/*]]>*/`;
  const csp = `default-src 'none'; style-src ${sha256(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const reproduce = `<p>Start the mock once, in an empty folder, and define the helpers the snippets use (they read URLs, the CA and the admin token from mock.json, so any ports work):</p><pre tabindex="0" aria-label="Start the mock and define the helpers"><code>${h([m.reproduce.start, ...m.reproduce.helpers].join('\n'))}</code></pre><p>When done: ${c(m.reproduce.stop)}.</p>`;
  const api = m.apiAnswers.map(
    (a) =>
      `<section class="entry" id="api-${h(a.code)}" aria-labelledby="api-${h(a.code)}-h"><h3 id="api-${h(a.code)}-h">${a.status} ${c(a.code)}${a.message === null ? '' : `: ${h(a.message)}`}</h3><p>${h(a.meaning)} <span class="sure">(${h(a.service)}; ${h(sureness(a.confidence))})</span> The body: ${c(a.body)}</p>${list(a.causes.map((k) => `${h(k.title)}: ${h(k.description)} <strong>Fix:</strong> ${h(k.fix)}`))}</section>`,
  );
  const confidence = `<table><thead><tr><th scope="col">level</th><th scope="col">meaning</th></tr></thead><tbody>${m.confidenceWords.map((w) => `<tr><td>${h(w.level)}</td><td>${h(w.words)}</td></tr>`).join('')}</tbody></table>`;
  return [
    ...pageHead({ csp, title: m.title, style }),
    '<a class="skip-link" href="#main">Skip to the guide</a>',
    `<header class="page"><h1>${h(m.title)}</h1><p class="lead">Written by <code>npx sfjwt guide</code> from what sfjwt knows: ${m.checks.length} checks, ${m.outcomeNames.length} outcomes, ${m.answers.length} distinct answers and ${m.scenarios.length} scenarios. Every reproduction is run against the mock by sfjwt's tests, which compare what it prints with what this guide says.</p></header>`,
    `<nav class="page contents" aria-label="Contents"><h2 id="contents-h">Contents</h2><ol>${CONTENTS.map(([id, title]) => `<li><a href="#${id}">${h(title)}</a></li>`).join('')}</ol></nav>`,
    '<main class="page" id="main" tabindex="-1">',
    section(0, steps(m)),
    section(1, `<figure tabindex="0">${renderSequenceSvg(m.diagram)}<figcaption>${h(m.diagram.title)}: who sends what, in order.</figcaption></figure>`),
    section(2, checks(m)),
    section(3, m.answers.map(answer).join('\n')),
    section(4, api.join('\n')),
    section(5, [reproduce, ...m.scenarios.map(scenario)].join('\n')),
    section(6, confidence),
    '</main>',
    '<footer class="page">Written by sfjwt from its check catalogue, outcomes and scenario catalogue. No private key, access token or whole assertion is in this page.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
