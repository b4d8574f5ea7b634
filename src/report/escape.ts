/**
 * Escaping for every report format. Report text comes from outside sfjwt (a real org's
 * error_description, a scenario author's title), so every renderer passes it through one of these
 * and never concatenates raw text into markup: HTML text and attributes, XML 1.0 (which also cannot
 * hold some characters at all), Markdown prose, and Markdown code spans inside and outside tables.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML, in element content and in quoted attributes alike. Characters XML 1.0 cannot hold are
 * dropped too, because the page is written as polyglot XHTML (tests parse it as XML).
 */
export function escapeHtml(text: string): string {
  return stripIllegalXml(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Drops what XML 1.0 forbids: C0 controls other than tab, newline and carriage return, lone
 * surrogates, U+FFFE and U+FFFF. Escaping cannot save them (`&#7;` is not well-formed either).
 */
export function stripIllegalXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Text for an XML attribute value: whitespace is escaped too, because parsers normalise raw tabs and newlines in attributes to spaces. */
export function escapeXmlAttribute(text: string): string {
  return stripIllegalXml(text).replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Text for XML element content (`>` too, so that `]]>` cannot appear). */
export function escapeXmlText(text: string): string {
  return stripIllegalXml(text)
    .replace(/[&<>]/g, (c) => XML_ESCAPES[c] ?? c)
    .replace(/\r/g, '&#13;');
}

/**
 * Prose for Markdown (GitHub flavour): characters that would start emphasis, links, code, HTML,
 * entities or table cells are backslash-escaped, which CommonMark allows for any ASCII punctuation.
 * Line breaks become spaces so that one value never breaks a list item or a table row.
 */
export function escapeMarkdown(text: string): string {
  return stripIllegalXml(text)
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_[\]<>|&~]/g, (c) => `\\${c}`);
}

/**
 * A code span holding `text` literally: the fence is one backtick longer than the longest run of
 * backticks inside, with padding when the text starts or ends with a backtick. In a table cell a pipe
 * must still be escaped (GitHub splits cells before it parses code spans, and drops the backslash).
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  const flat = stripIllegalXml(text).replace(/\r\n?|\n/g, ' ');
  if (flat === '') return '';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(flat) && flat.trim() !== '' ? ' ' : '';
  const body = options.inTable === true ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}
