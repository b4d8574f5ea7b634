/**
 * The report page's stylesheet, inlined so that the page is one file that works offline. Colours are
 * custom properties with a dark set under prefers-color-scheme; each verdict has one colour used for
 * its badge, its card and its stripe, so the eye finds failures without reading. No web fonts: the
 * system UI font for prose and the system monospace for what was typed or answered.
 */
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #5d6778; --line: #dde1e8; --code-bg: #f0f2f5;
  --pass: #1a7f37; --pass-bg: #e6f4ea; --fail: #c62828; --fail-bg: #fdecea;
  --divergence: #a15c00; --divergence-bg: #fff4e0; --skip: #6b7280; --skip-bg: #eef0f3;
  --inconclusive: #6a4c93; --inconclusive-bg: #f1ebf8;
  --accent: #0b5cad; --decided-bg: #fff8d6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --panel: #1c2027; --text: #e4e7ec; --muted: #9aa3b2; --line: #2f3540; --code-bg: #262b34;
    --pass: #4cc46a; --pass-bg: #17301f; --fail: #ff6b6b; --fail-bg: #3a1c1e;
    --divergence: #f0a840; --divergence-bg: #3a2c12; --skip: #9aa3b2; --skip-bg: #262b34;
    --inconclusive: #c3a6ef; --inconclusive-bg: #2c2340;
    --accent: #6cb0ff; --decided-bg: #3a3412;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.page { max-width: 76rem; margin: 0 auto; padding: 0 1.25rem; }
header.page { padding-top: 1.5rem; }
footer.page { padding-bottom: 3rem; }
code, pre, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
code { background: var(--code-bg); padding: 0.05em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: 0.6rem 0.8rem; border-radius: 6px; overflow-x: auto; margin: 0.3rem 0 0; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 0.95rem; margin: 1.4rem 0 0.4rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
h3 .mono { text-transform: none; letter-spacing: 0; font-weight: 400; margin-left: 0.4rem; }
.headline { font-size: 1.05rem; margin: 0 0 1rem; color: var(--muted); }
.headline strong.bad { color: var(--fail); }
.headline strong.good { color: var(--pass); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0 0 1.25rem; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0.75rem; margin-bottom: 1rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 8px; padding: 0.6rem 0.9rem; }
.card .n { display: block; font-size: 1.8rem; font-weight: 700; line-height: 1.1; }
.card .w { color: var(--muted); }
.card.pass { border-left-color: var(--pass); } .card.pass .n { color: var(--pass); }
.card.fail { border-left-color: var(--fail); } .card.fail .n { color: var(--fail); }
.card.divergence { border-left-color: var(--divergence); } .card.divergence .n { color: var(--divergence); }
.card.skip { border-left-color: var(--skip); } .card.skip .n { color: var(--skip); }
.card.inconclusive { border-left-color: var(--inconclusive); } .card.inconclusive .n { color: var(--inconclusive); }
.card.zero { opacity: 0.55; }
table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); background: var(--code-bg); }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.9rem; margin: 1.5rem 0 0; box-shadow: 0 2px 6px rgb(0 0 0 / 0.06); }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.75rem; align-items: center; }
.filters legend { float: left; font-weight: 600; color: var(--muted); margin-right: 0.5rem; }
.filters label { white-space: nowrap; cursor: pointer; }
.filters select { font: inherit; padding: 0.1rem 0.3rem; max-width: 16rem; }
.filters output { margin-left: auto; color: var(--muted); }
.badge { display: inline-block; min-width: 6.6rem; text-align: center; font-size: 0.78rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; padding: 0.1rem 0.5rem; border-radius: 999px; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.badge.divergence { color: var(--divergence); background: var(--divergence-bg); }
.badge.skip { color: var(--skip); background: var(--skip-bg); }
.badge.inconclusive { color: var(--inconclusive); background: var(--inconclusive-bg); }
.findings { background: var(--fail-bg); border: 1px solid var(--fail); border-left: 5px solid var(--fail); border-radius: 8px; padding: 0.2rem 1rem 0.6rem; margin: 0 0 1.25rem; }
.findings h2 { color: var(--fail); margin: 0.6rem 0 0.3rem; }
.findings ul { margin: 0; padding-left: 1.2rem; }
.contents ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; padding: 0; margin: 1.25rem 0 0; }
h2 .count { color: var(--muted); font-weight: 400; }
.checks tr.usual td { color: var(--muted); }
.checks tr.usual code, .checks tr.skip code { margin-right: 0.15rem; }
details.result { background: var(--panel); border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 8px; margin: 0 0 0.5rem; }
details.result.pass { border-left-color: var(--pass); }
details.result.fail { border-left-color: var(--fail); }
details.result.divergence { border-left-color: var(--divergence); }
details.result.inconclusive { border-left-color: var(--inconclusive); }
details.result > summary { position: relative; cursor: pointer; padding: 0.55rem 2.2rem 0.55rem 0.9rem; display: grid; grid-template-columns: auto minmax(10rem, 1fr) auto; gap: 0.2rem 0.8rem; align-items: baseline; }
details.result > summary::-webkit-details-marker { display: none; }
details.result > summary::marker { content: ""; }
details.result > summary::after { content: "\\25B8"; position: absolute; right: 0.9rem; top: 0.55rem; color: var(--muted); transition: transform 0.15s; }
details.result[open] > summary::after { transform: rotate(90deg); }
details.result > summary .what { min-width: 0; }
details.result > summary .id { font-weight: 600; }
details.result > summary .title { display: block; color: var(--muted); }
details.result > summary .where { text-align: right; color: var(--muted); font-size: 0.88rem; max-width: 30rem; overflow-wrap: anywhere; }
details.result > summary .where code { display: inline-block; margin-top: 0.15rem; }
details.result[open] > summary { border-bottom: 1px solid var(--line); }
details.result > summary:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.body { padding: 0.3rem 0.9rem 0.9rem; }
.body p { margin: 0.3rem 0; }
.compare { table-layout: fixed; }
.compare th:first-child { width: 11rem; }
.compare td { overflow-wrap: anywhere; }
.compare td.differs { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.divergence .compare td.differs { background: var(--divergence-bg); color: var(--divergence); }
.prose { display: grid; grid-template-columns: 11rem minmax(0, 1fr); gap: 0.35rem 1rem; margin: 0.9rem 0 0; }
.prose dt { font-weight: 600; }
.prose dd { margin: 0; overflow-wrap: anywhere; }
.prose pre { margin: 0; }
.fix { display: block; border-left: 3px solid var(--pass); padding-left: 0.6rem; }
.reason { border-left: 3px solid var(--fail); padding: 0.2rem 0.7rem; margin: 0.8rem 0 0; background: var(--fail-bg); border-radius: 0 6px 6px 0; }
.divergence .reason { border-left-color: var(--divergence); background: var(--divergence-bg); }
.skip .reason { border-left-color: var(--skip); background: var(--skip-bg); }
.inconclusive .reason { border-left-color: var(--inconclusive); background: var(--inconclusive-bg); }
.agree { border-left: 3px solid var(--pass); padding: 0.2rem 0.7rem; margin: 0.6rem 0 0; background: var(--pass-bg); border-radius: 0 6px 6px 0; }
.checks { table-layout: fixed; font-size: 0.9rem; margin-top: 0.9rem; }
.checks th:nth-child(1) { width: 3.4rem; } .checks th:nth-child(2) { width: 20%; } .checks th:nth-child(3) { width: 4.6rem; }
.checks th:nth-child(4) { width: 25%; } .checks th:nth-child(5) { width: 20%; }
.checks td { padding: 0.3rem 0.6rem; }
.checks td { overflow-wrap: anywhere; }
.checks td:nth-child(1) { color: var(--muted); }
.checks tr.decided td { background: var(--decided-bg); }
.checks .v-pass { color: var(--pass); font-weight: 600; }
.checks .v-fail { color: var(--fail); font-weight: 700; }
.checks .v-skip { color: var(--skip); }
.checks .t { display: block; color: var(--muted); font-size: 0.85rem; }
.muted { color: var(--muted); }
.grid tbody th { width: 30%; font-weight: 400; color: var(--text); background: none; }
.targets tbody th { font-weight: 400; color: var(--text); background: none; }
.grid .title { display: block; font-size: 0.9rem; }
.grid td.mark { overflow-wrap: anywhere; }
.grid td.mark .answer { display: block; margin-top: 0.2rem; font-size: 0.85rem; }
.grid td.mark a { text-decoration: none; color: inherit; }
.grid td.mark a:hover .badge { text-decoration: underline; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem; }
.scroll { overflow-x: auto; }
@media (max-width: 720px) {
  .page { padding: 0 0.6rem; }
  details.result > summary { grid-template-columns: auto minmax(0, 1fr); }
  details.result > summary .where { grid-column: 1 / -1; text-align: left; max-width: none; }
  .body { padding: 0.3rem 0.6rem 0.7rem; }
  .prose { grid-template-columns: minmax(0, 1fr); gap: 0.1rem; }
  .prose dd { margin-bottom: 0.4rem; }
  .compare th:first-child { width: 7.5rem; }
  .compare th { overflow-wrap: anywhere; }
  .checks, .grid { min-width: 44rem; }
  .targets th, .targets td { padding: 0.3rem 0.4rem; }
}
[hidden] { display: none !important; }
`;
