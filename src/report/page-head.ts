/**
 * The head of sfjwt's self-contained XHTML pages (the run report, the field guide): UTF-8, the
 * page's own Content-Security-Policy as a meta tag, a viewport, light and dark schemes, no favicon
 * request, and the page's one inline style. Up to and including `<body>`.
 */
import { escapeHtml as h } from './escape.ts';

export function pageHead(page: { csp: string; title: string; style: string }): string[] {
  return [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    // Not escaped: the policy is sfjwt's own text (keywords and base64), and &#39; would only obscure it.
    `<meta http-equiv="Content-Security-Policy" content="${page.csp}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    '<meta name="color-scheme" content="light dark"/>',
    `<title>${h(page.title)}</title>`,
    '<link rel="icon" href="data:,"/>',
    `<style>${page.style}</style>`,
    '</head>',
    '<body>',
  ];
}
