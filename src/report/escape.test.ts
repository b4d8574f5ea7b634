/**
 * The escaping every report relies on, case by case: markup and quotes in HTML, whitespace in XML
 * attributes, characters XML 1.0 cannot hold, Markdown punctuation and line breaks, and code spans
 * whose fence must outgrow the backticks inside (and, in a table, keep pipes from splitting cells).
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXmlAttribute, escapeXmlText, markdownCode, stripIllegalXml } from './escape.ts';

describe('escaping', () => {
  it.each([
    ['plain', 'plain'],
    ['<b>&"\'', '&lt;b&gt;&amp;&quot;&#39;'],
    ['&amp;', '&amp;amp;'],
    ['bell\u0007 nul\u0000 esc\u001b', 'bell nul esc'],
    ['tab\tline\nfeed', 'tab\tline\nfeed'],
    ['é → ✅ 𝄞', 'é → ✅ 𝄞'],
  ])('escapeHtml(%j) = %j', (input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });

  it.each([
    ['a\u0000b\u0008c\u000bd\u000ce\u001ff', 'abcdef'],
    ['keep\t\n\r', 'keep\t\n\r'],
    ['lone high \ud800 x', 'lone high  x'],
    ['lone low \udc00 x', 'lone low  x'],
    ['pair 𝄞', 'pair 𝄞'],
    ['nonchars \uFFFE\uFFFF', 'nonchars '],
    ['private \uE000 ok', 'private \uE000 ok'],
  ])('stripIllegalXml(%j) = %j', (input, output) => {
    expect(stripIllegalXml(input)).toBe(output);
  });

  it.each([
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    [']]>', ']]&gt;'],
    ['"quotes" stay', '"quotes" stay'],
    ['cr\r\nlf', 'cr&#13;\nlf'],
  ])('escapeXmlText(%j) = %j', (input, output) => {
    expect(escapeXmlText(input)).toBe(output);
  });

  it.each([
    ['say "hi" & \'bye\'', 'say &quot;hi&quot; &amp; &apos;bye&apos;'],
    ['a\tb\nc\rd', 'a&#9;b&#10;c&#13;d'],
    ['<tag>\u0007', '&lt;tag&gt;'],
  ])('escapeXmlAttribute(%j) = %j', (input, output) => {
    expect(escapeXmlAttribute(input)).toBe(output);
  });

  it.each([
    ['plain words', 'plain words'],
    ['a | b', 'a \\| b'],
    ['`code` *em* _u_ [l](x) <b> &amp; ~s~ \\', '\\`code\\` \\*em\\* \\_u\\_ \\[l\\](x) \\<b\\> \\&amp; \\~s\\~ \\\\'],
    ['two\nlines\r\nthree', 'two lines three'],
  ])('escapeMarkdown(%j) = %j', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output);
  });

  it.each([
    ['invalid_grant', {}, '`invalid_grant`'],
    ['a `b` c', {}, '``a `b` c``'],
    ['``x', {}, '``` ``x ```'],
    ['x`', {}, '`` x` ``'],
    ['a | b', {}, '`a | b`'],
    ['a | b', { inTable: true }, '`a \\| b`'],
    ['one\ntwo', {}, '`one two`'],
    [' both ', {}, '`  both  `'],
    ['', {}, ''],
  ])('markdownCode(%j, %j) = %j', (input, options, output) => {
    expect(markdownCode(input, options)).toBe(output);
  });
});
