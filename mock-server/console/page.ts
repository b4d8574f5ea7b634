/**
 * The console's page frame: one self-contained HTML document per page (no external asset, works
 * offline), server-rendered; a Content-Security-Policy that allows only its own inline style and
 * script (by hash) and forms posting to the mock itself. Landmarks (banner, navigation, main), a skip
 * link, labelled controls, visible focus, and colours of at least 4.5:1 contrast in light and dark.
 * The script only enhances: the Requests page streams new requests in (long polling), "copy as curl"
 * copies, and a certificate file picked fills the PEM field; every page works without it.
 */
import { createHash } from 'node:crypto';
import { CONSOLE_PREFIX } from './guard.ts';

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --text: #1d2330; --muted: #4f5968; --line: #cfd5de;
  --accent: #0b5cad; --pass: #1a6e31; --fail: #b3261e; --skip: #4f5968; --decided: #fff3bf; --focus: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --bg: #14171c; --panel: #1c2027; --text: #e4e7ec; --muted: #aab2bf; --line: #3a414d;
  --accent: #8cc2ff; --pass: #6fd28a; --fail: #ff8a80; --skip: #aab2bf; --decided: #4a3f10; --focus: #8cc2ff; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 0.5rem; background: var(--panel); padding: 0.3rem 0.6rem; }
header.top { background: var(--panel); border-bottom: 1px solid var(--line); }
header.top .in, main { max-width: 80rem; margin: 0 auto; padding: 0.6rem 1.25rem; }
header.top .in { display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
header.top strong { font-size: 1.05rem; }
nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
h1 { font-size: 1.4rem; margin: 1rem 0 0.5rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; background: var(--panel); }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.35rem 0.55rem; }
table.checks td { overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.88em; overflow-wrap: anywhere; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; } .skip-verdict { color: var(--skip); }
tr.decided { background: var(--decided); }
.muted { color: var(--muted); }
.flash { border-left: 4px solid var(--pass); background: var(--panel); padding: 0.5rem 0.8rem; }
.flash.refused { border-color: var(--fail); }
form.inline { display: inline; }
form.filters, form.row { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: end; margin: 0.5rem 0; }
label { display: flex; flex-direction: column; font-size: 0.9em; gap: 0.15rem; }
input, select, textarea, button { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--muted); border-radius: 4px; padding: 0.25rem 0.45rem; }
button { cursor: pointer; border-color: var(--accent); color: var(--accent); font-weight: 600; }
textarea { width: 100%; min-height: 8rem; }
.wide { flex-basis: 100%; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.8rem 1rem; }
`;

const SCRIPT = `
(function () {
  var live = document.querySelector('[data-live]');
  if (live) {
    var status = document.getElementById('live-status');
    var poll = function () {
      var url = live.getAttribute('data-live') + '&after=' + live.getAttribute('data-total');
      fetch(url, { headers: { Accept: 'text/html' } }).then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        var total = res.headers.get('x-sfjwt-total');
        return res.text().then(function (rows) {
          if (rows.trim() !== '') {
            live.insertAdjacentHTML('afterbegin', rows);
            var empty = document.getElementById('no-requests');
            if (empty) empty.remove();
          }
          if (total !== null) live.setAttribute('data-total', total);
          if (status) status.textContent = 'Live: new requests appear at the top.';
          setTimeout(poll, 100);
        });
      }).catch(function () {
        if (status) status.textContent = 'Live updates paused (the mock did not answer); reload to resume.';
      });
    };
    poll();
  }
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; }, function () { button.textContent = 'Select the text and copy it'; });
    });
  });
  document.querySelectorAll('input[type=file][data-fills]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (file) file.text().then(function (text) { document.getElementById(input.getAttribute('data-fills')).value = text; });
    });
  });
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const NAV = [
  ['requests', 'Requests'],
  ['setup/apps', 'App Manager'],
  ['setup/users', 'Users'],
  ['faults', 'Faults'],
  ['labs', 'Labs'],
] as const;

export type Section = (typeof NAV)[number][0];

export interface Flash {
  ok: boolean;
  message: string;
}

/** A console page as a Response: `title` names it, `current` marks its place in the navigation. */
export function page(options: { title: string; current: Section | undefined; body: string; flash?: Flash | undefined; status?: number }): Response {
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
  const nav = NAV.map(([path, label]) => `<li><a href="${CONSOLE_PREFIX}/${path}"${path === options.current ? ' aria-current="page"' : ''}>${label}</a></li>`).join('');
  const flash = options.flash === undefined ? '' : `<p class="flash${options.flash.ok ? '' : ' refused'}" role="status">${esc(options.flash.message)}</p>`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(options.title)} · sfjwt console</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the content</a>',
    `<header class="top"><div class="in"><strong>sfjwt mock org</strong><nav aria-label="Console"><ul>${nav}</ul></nav></div></header>`,
    `<main id="main" tabindex="-1"><h1>${esc(options.title)}</h1>${flash}${options.body}</main>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  // Referrer-Policy same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the console's own form posts, which guard.ts refuses.
  return new Response(html, {
    status: options.status ?? 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' },
  });
}

/** A form that posts to the console: `action` under the prefix, with the run's form token. */
export function form(action: string, csrf: string, fields: string, button: string, className = 'row'): string {
  return `<form class="${className}" method="post" action="${CONSOLE_PREFIX}/${action}"><input type="hidden" name="csrf" value="${esc(csrf)}">${fields}<button type="submit">${esc(button)}</button></form>`;
}

export const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
