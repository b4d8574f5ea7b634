/**
 * The README's examples as the package test runs them: every fenced `sh` block is run by bash, and
 * every `js` block by node as an ES module, in a project that installed the package, in the order
 * the README gives them (a later block may use what an earlier one made). A block may be followed by
 * a `text` block: what it prints, each of its lines found in the output, in order. A block that
 * cannot run on a test machine (it needs the npm registry or a real org) is preceded by the comment
 * `<!-- not run: the reason -->`, and the reason is required; one whose last command is meant to
 * fail (a lint that finds the mistake) is preceded by `<!-- exits N: the reason -->`. Other languages
 * (`ts`, `json`, `text` on their own) are shown, not run.
 */

export interface Example {
  /** 1-based line of the opening fence. */
  line: number;
  lang: 'sh' | 'js';
  code: string;
  /** Lines the output must hold, in order; empty when the README shows no output. */
  prints: string[];
  /** Why the block is not run, or undefined when it is. */
  notRun: string | undefined;
  /** The exit code the block ends with (0 unless the README says otherwise). */
  exits: number;
}

const FENCE = /^```(\w*)\s*$/;
const NOT_RUN = /^<!--\s*not run:\s*(.*?)\s*-->\s*$/;
const EXITS = /^<!--\s*exits (\d+):\s*(.*?)\s*-->\s*$/;

export function readmeExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const blocks: { line: number; end: number; lang: string; code: string; notRun: string | undefined; exits: number }[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i += 1) body.push(lines[i] ?? '');
    if (i >= lines.length) throw new Error(`README line ${start + 1}: a code block that never closes`);
    // The marker is the last non-blank line before the fence.
    let j = start - 1;
    while (j >= 0 && (lines[j] ?? '').trim() === '') j -= 1;
    const marker = NOT_RUN.exec(lines[j] ?? '');
    if (marker !== null && marker[1] === '') throw new Error(`README line ${j + 1}: "not run" needs a reason`);
    const exits = EXITS.exec(lines[j] ?? '');
    if (exits !== null && exits[2] === '') throw new Error(`README line ${j + 1}: "exits" needs a reason`);
    blocks.push({ line: start + 1, end: i + 1, lang: open[1] ?? '', code: body.join('\n'), notRun: marker?.[1], exits: Number(exits?.[1] ?? 0) });
  }
  const out: Example[] = [];
  for (const [k, b] of blocks.entries()) {
    if (b.lang !== 'sh' && b.lang !== 'js') continue;
    const next = blocks[k + 1];
    // A text block right after (at most a short paragraph between) shows the output.
    const prints = next?.lang === 'text' && next.notRun === undefined && next.line - b.end <= 8 ? next.code.split('\n').filter((l) => l.trim() !== '') : [];
    out.push({ line: b.line, lang: b.lang, code: b.code, prints, notRun: b.notRun, exits: b.exits });
  }
  return out;
}

/** The lines of `prints` not found in `output` in order (empty when all are). */
export function missingLines(output: string, prints: readonly string[]): string[] {
  let from = 0;
  const missing: string[] = [];
  for (const line of prints) {
    const at = output.indexOf(line, from);
    if (at < 0) missing.push(line);
    else from = at + line.length;
  }
  return missing;
}
