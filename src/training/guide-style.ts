/**
 * The field guide page's stylesheet, inlined so that the page is one file that works offline: the
 * report page's palette (custom properties, a dark set under prefers-color-scheme), the system fonts,
 * and the sequence diagram's colours by class (its SVG has no style attributes, which the page's
 * Content-Security-Policy would refuse).
 */
export const GUIDE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #555f70; --line: #d3d8e0; --code-bg: #eef0f4;
  --accent: #0b5cad; --ok: #1a7f37; --bad: #b42318; --note-bg: #fff8d6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --panel: #1c2027; --text: #e4e7ec; --muted: #a3acba; --line: #343b47; --code-bg: #262b34;
    --accent: #7ab8ff; --ok: #4cc46a; --bad: #ff7b72; --note-bg: #3a3412;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; background: var(--panel); color: var(--accent); padding: 0.4rem 0.8rem; border: 2px solid var(--accent); border-radius: 6px; z-index: 3; }
.skip-link:focus { top: 0.5rem; }
.page { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
header.page { padding-top: 1.5rem; }
footer.page { padding: 2rem 1.25rem 3rem; color: var(--muted); }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
code { background: var(--code-bg); padding: 0.05em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: 0.6rem 0.8rem; border-radius: 6px; overflow-x: auto; margin: 0.3rem 0 0.8rem; }
pre code { background: none; padding: 0; }
h1 { font-size: 1.7rem; margin: 0 0 0.4rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 0.8rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
h3 { font-size: 1.08rem; margin: 1.8rem 0 0.4rem; }
h4 { font-size: 0.98rem; margin: 1rem 0 0.3rem; }
.lead { color: var(--muted); }
nav.contents ol { padding-left: 1.4rem; }
table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.55rem; border-bottom: 1px solid var(--line); }
th { background: var(--code-bg); }
.entry { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.2rem 1rem 0.6rem; margin: 0.8rem 0; }
.expect { font-weight: 600; }
.prints { border-left: 4px solid var(--ok); }
.sure { color: var(--muted); }
figure { margin: 1rem 0; overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem; }
figcaption { color: var(--muted); font-size: 0.9rem; }
.seq { display: block; max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
.seq-box { fill: var(--code-bg); stroke: var(--line); }
.seq-lane { fill: var(--text); font-size: 14px; font-weight: 600; }
.seq-note { fill: var(--muted); font-size: 11px; }
.seq-label { fill: var(--text); font-size: 12.5px; }
.seq-life { stroke: var(--line); stroke-dasharray: 4 4; }
.seq-arrow { stroke: var(--accent); stroke-width: 1.6; fill: none; }
.seq-reply { stroke: var(--ok); stroke-dasharray: 6 4; }
.seq-head { fill: var(--accent); }
`;
