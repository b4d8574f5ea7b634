/**
 * The field guide cannot drift from what sfjwt knows: every check, every outcome, every distinct
 * answer and every scenario is in both the Markdown and the HTML, under its own anchor; the one
 * answer without a reproduction says so, and is the only one; one scenario and one check render to
 * exact fragments (goldens); the HTML page is well-formed, carries a Content-Security-Policy whose
 * style hash is its stylesheet's, runs no script, has no style attribute and no external asset, and
 * links out only to the catalogue's https references.
 */
import { createHash } from 'node:crypto';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../mock-server/core/check.ts';
import { CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { OUTCOMES } from '../../mock-server/core/outcomes.ts';
import { catalogue } from '../../scenarios/load.ts';
import { renderGuideHtml } from './guide-html.ts';
import { renderGuideMarkdown } from './guide-markdown.ts';
import { buildGuideModel } from './guide-model.ts';
import { NOT_REPRODUCED, reproduced } from './guide-words.ts';

const model = buildGuideModel();
const md = renderGuideMarkdown(model);
const html = renderGuideHtml(model);

describe('the field guide holds everything sfjwt knows', () => {
  it.each(CHECK_IDS.map((id) => [id]))('check %s: an entry in both formats', (id) => {
    expect(md).toContain(`<a id="check-${id}"></a>\n### \`${id}\`: `);
    expect(html).toContain(`<section class="entry" id="check-${id}" aria-labelledby="check-${id}-h"><h3 id="check-${id}-h"><code>${id}</code>: `);
  });

  it.each(Object.keys(OUTCOMES).map((name) => [name]))('outcome %s: named in both formats', (name) => {
    expect(md).toContain(`\`${name}\``);
    expect(html).toContain(`<code>${name}</code>`);
  });

  it.each(catalogue().map((s) => [s.id]))('scenario %s: an entry with its reproduction in both formats', (id) => {
    expect(md).toContain(`<a id="scenario-${id}"></a>\n### \`${id}\`: `);
    expect(md).toContain(`<!-- reproduction: ${id} -->\n\`\`\`sh\n`);
    expect(html).toContain(`<section class="entry" id="scenario-${id}" `);
    expect(html).toContain(`<pre tabindex="0" aria-label="Reproduction of ${id}"><code>`);
  });

  it('every distinct answer of the token endpoint has an entry with its causes; only 413 has no reproduction, and says so', () => {
    for (const a of model.answers) {
      expect(md).toContain(`<a id="${a.anchor}"></a>`);
      expect(html).toContain(`id="${a.anchor}"`);
      expect(a.causes.length).toBeGreaterThan(0);
    }
    expect(new Set(model.answers.map((a) => a.anchor)).size).toBe(model.answers.length);
    expect(model.answers.filter((a) => !reproduced(a)).map((a) => a.anchor)).toEqual(['answer-413']);
    expect(md.split(NOT_REPRODUCED)).toHaveLength(2);
  });

  it('the flow names only checks of the catalogue, in its three ways of approval', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    for (const step of model.steps) for (const id of step.checks) expect(ids.has(id)).toBe(true);
    expect(model.steps.find((s) => s.id === 'approval')?.ways?.map((w) => w.title)).toEqual([
      'Self-authorize, with the user approving once',
      'Admin-approved users, pre-authorized by profile or permission set',
      'An External Client App installed in the org',
    ]);
  });
});

describe('the field guide renders its entries exactly', () => {
  it('a scenario in Markdown: answer, check, explanation, fix, references, reproduction and what it prints', () => {
    const start = md.indexOf('<a id="scenario-grant-type.grand-type"></a>');
    expect(md.slice(start, md.indexOf('<a id="scenario-grant-type.missing"></a>'))).toBe(
      [
        '<a id="scenario-grant-type.grand-type"></a>',
        '### `grant-type.grand-type`: "grand\\_type" instead of "grant\\_type"',
        '',
        'Salesforce answers 400 unsupported\\_grant\\_type: grant type not supported, decided by [`grant-type`](#check-grant-type). MUST; how sure we are: INF (inferred).',
        '',
        'A misspelled parameter name (grand\\_type, a typo copied from a popular guide) is an unknown parameter that Salesforce ignores, so the request has no grant\\_type and gets unsupported\\_grant\\_type / grant type not supported.',
        '',
        'Fix: Name the parameter grant\\_type, exactly (g-r-a-n-t, underscore, type).',
        '',
        'Practise it: lab 1, "The nightly sync never logs in" (`npx sfjwt lab start 1`).',
        '',
        'References: <https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm>; RFC 7523 §2.1; shared reference: grant\\_type missing, misspelled key (grand\\_type), truncated or unknown value',
        '',
        '<!-- reproduction: grant-type.grand-type -->',
        '```sh',
        'npx sfjwt sign --from-serve mock.json --scenario grant-type.grand-type --force > scenario.jwt',
        `curl -s --cacert "$(mock ca)" -w '\\nHTTP %{http_code}\\n' "$(url login.salesforce.com)/services/oauth2/token" \\`,
        '  -d grand_type=urn:ietf:params:oauth:grant-type:jwt-bearer \\',
        '  --data-urlencode assertion@scenario.jwt',
        '```',
        '',
        'It prints:',
        '',
        '```text',
        '{"error":"unsupported_grant_type","error_description":"grant type not supported"}',
        'HTTP 400',
        '```',
        '',
        '',
      ].join('\n'),
    );
  });

  it('a check in HTML: its row in the order, and its entry with answers, how to tell and the fix', () => {
    expect(html).toContain('<tr><td>10</td><td><a href="#check-audience"><code>audience</code></a></td><td>MUST</td><td>OBS+</td><td>aud is an audience of the host</td></tr>');
    const audience = CHECKS.find((c) => c.id === 'audience');
    expect(audience?.outcomes).toEqual(['audienceInvalid', 'notApproved']);
    expect(html).toContain(
      '<ul><li><code>audienceInvalid</code>: 400 invalid_grant: audience is invalid (Login History &quot;Failed: Audience Invalid&quot;)</li><li><code>notApproved</code>: 400 invalid_grant: user hasn&#39;t approved this consumer</li></ul>',
    );
  });

  it('the sequence diagram is inline SVG with a title and a description, drawn with classes only', () => {
    const svg = html.slice(html.indexOf('<svg class="seq"'), html.indexOf('</svg>') + 6);
    expect(svg).toContain('role="img" aria-labelledby="seq-title seq-desc"');
    expect(svg).toContain('<title id="seq-title">The OAuth 2.0 JWT Bearer flow with Salesforce</title>');
    expect(svg).toContain('4. POST /services/oauth2/token');
    expect(svg.match(/<g class="seq-msg">/g)).toHaveLength(model.diagram.messages.length);
  });
});

describe('the field guide page is self-contained and locked down', () => {
  it('is well-formed, with a CSP that admits its own stylesheet by hash and nothing else', () => {
    expect(XMLValidator.validate(html)).toBe(true);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'"/>`);
    expect(html).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
  });

  it('loads nothing from elsewhere, and links out only to the https references of the catalogue', () => {
    expect([...html.matchAll(/\ssrc="([^"]*)"/g)]).toEqual([]);
    const references = new Set(catalogue().flatMap((s) => s.references));
    const outside = [...html.matchAll(/\shref="([^"#][^"]*)"/g)].map((m) => m[1] ?? '').filter((href) => href !== 'data:,');
    expect(outside.length).toBeGreaterThan(0);
    for (const href of outside) expect({ href, reference: references.has(href.replace(/&amp;/g, '&')) && href.startsWith('https://') }).toEqual({ href, reference: true });
    // The stylesheet fetches nothing (no url(), no @import); the SVG's only url() is its own arrow head.
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]).not.toMatch(/url\(|@import/);
    expect([...html.matchAll(/="url\(([^)]*)\)"/g)].map((m) => m[1])).toEqual(Array(model.diagram.messages.length).fill('#seq-head'));
  });

  it('has a skip link first, landmarks, a table of contents and one h1', () => {
    expect(html.indexOf('<a class="skip-link" href="#main">')).toBeLessThan(html.indexOf('<header'));
    expect(html).toContain('<main class="page" id="main" tabindex="-1">');
    expect(html).toContain('<nav class="page contents" aria-label="Contents">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<footer class="page">');
  });
});
