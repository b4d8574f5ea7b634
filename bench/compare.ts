/**
 * Before and after in the same run: the sections of bench/sections.ts (`help`, `serve`, `grants`,
 * `profile`, `npm-test`) over two or more checkouts, each run as its users run it (its own
 * bin/sfjwt.js after its own `npm ci`, from a scratch folder of its own), their starts and loads
 * taken in turn so machine noise falls on each alike; prints each tree's figures, the last tree's
 * ratio to the first and the targets, and writes reports/bench/compare-<date>.json and .md. A tree
 * is `[NAME=]DIR[@SOURCE]` (bench/lib/trees.ts): `DIR@6cd1ad1` makes DIR from that commit with `git
 * archive` and installs it, `DIR@worktree` from this working tree's files; a plain DIR is used as it
 * is. The first two are named `before` and `after` unless named; one tree alone gives its figures
 * alone. Not part of `npm run bench`. Run:
 *   npm run bench:compare -- /tmp/sfjwt-before@6cd1ad1 /tmp/sfjwt-after@worktree
 *     [--only help,serve,grants,profile,npm-test] [--quick] [--runs N] [--seconds N] [--rounds N]
 *     [--peer7]
 * The older load comparison (HTTPS grants to each tree side by side) is the section `load`:
 *   npm run bench:compare -- A B --only load [--http] [--invalid] [--connections 10] [--seconds 5]
 *     [--rounds 3] [--prefill N] [--startup] [--soak N]   (--stage NAME=DIR also names a tree)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { compareLoad } from './compare-load.ts';
import { guardChildren, stopAll } from './lib/children.ts';
import { markdownTable, say } from './lib/format.ts';
import { ROOT } from './lib/servers.ts';
import { closeTrees, openTree, type Tree } from './lib/trees.ts';
import { parseSections, renderSections, runSections, SECTIONS, type SectionResults, sectionOptions, sectionTargets, type Target } from './sections.ts';

const argv = process.argv.slice(2);
const WITH_VALUE = new Set(['--only', '--runs', '--seconds', '--rounds', '--connections', '--prefill', '--soak', '--stage']);
const FLAGS = new Set(['--quick', '--peer7', '--http', '--invalid', '--startup']);
const specs: string[] = [];
for (let i = 0; i < argv.length; i += 1) {
  const a = argv[i] ?? '';
  if (a === '--stage') specs.push(argv[i + 1] ?? '');
  if (WITH_VALUE.has(a)) i += 1;
  else if (a.startsWith('--')) {
    if (!FLAGS.has(a)) throw new Error(`unknown option ${a}`);
  } else specs.push(a);
}
// One tree is allowed too: its figures alone, measured the same way.
if (specs.length < 1) throw new Error('name the trees: npm run bench:compare -- [NAME=]DIR[@SOURCE] [NAME=]DIR[@SOURCE]');
const value = (name: string): number | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const onlyAt = argv.indexOf('--only');
const only = parseSections(onlyAt >= 0 ? argv[onlyAt + 1] : undefined, SECTIONS);
const unknown = [...only].filter((s) => s !== 'load' && !(SECTIONS as readonly string[]).includes(s));
if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}: the sections are ${[...SECTIONS, 'load'].join(', ')}`);
const quick = argv.includes('--quick');

interface CompareReport {
  kind: 'sfjwt-bench-compare';
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  environment: { node: string; platform: string; cpus: number; cpuModel: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  argv: string[];
  sections: SectionResults | null;
  load: string | null;
  targets: Target[];
}

guardChildren();
const t0 = performance.now();
const startedAt = new Date();
const stamp = startedAt
  .toISOString()
  .replace(/\.\d+Z$/, 'Z')
  .replace(/:/g, '-');
const report: CompareReport = {
  kind: 'sfjwt-bench-compare',
  schemaVersion: 1,
  startedAt: startedAt.toISOString(),
  finishedAt: '',
  durationSeconds: 0,
  environment: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', loadAverageAtStart: loadavg(), loadAverageAtEnd: [] },
  argv,
  sections: null,
  load: null,
  targets: [],
};
const trees: Tree[] = [];
try {
  for (const [i, spec] of specs.entries()) trees.push(openTree(spec, i === 0 ? 'before' : i === 1 ? 'after' : `tree${i + 1}`, say));
  if (new Set(trees.map((t) => t.name)).size < trees.length) throw new Error(`two trees have the same name: ${trees.map((t) => t.name).join(', ')}`);
  const o = sectionOptions({
    quick,
    ...(value('--seconds') === undefined ? {} : { seconds: value('--seconds') ?? 0 }),
    ...(value('--rounds') === undefined ? {} : { rounds: value('--rounds') ?? 0 }),
    ...(value('--runs') === undefined ? {} : { runs: value('--runs') ?? 0 }),
    peer7: argv.includes('--peer7'),
    stamp,
  });
  if (SECTIONS.some((s) => only.has(s))) report.sections = await runSections(trees, only, o);
  if (only.has('load')) {
    say('[compare] load');
    report.load = await compareLoad(trees, {
      http: argv.includes('--http'),
      invalid: argv.includes('--invalid'),
      connections: value('--connections') ?? 10,
      seconds: value('--seconds') ?? 5,
      rounds: value('--rounds') ?? 3,
      prefill: value('--prefill') ?? 0,
      soak: value('--soak') ?? 0,
      startup: argv.includes('--startup'),
    });
  }
} finally {
  await stopAll();
  closeTrees(trees);
}
report.finishedAt = new Date().toISOString();
report.durationSeconds = (performance.now() - t0) / 1000;
report.environment.loadAverageAtEnd = loadavg();
report.targets = report.sections === null ? [] : sectionTargets(report.sections);
const env = report.environment;
const parts = [
  `sfjwt bench:compare ${report.startedAt} — node ${env.node}, ${env.cpus} × ${env.cpuModel}, load average ${env.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')} at start, ${env.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')} at end; ${Math.round(report.durationSeconds)} s`,
  ...(report.sections === null ? [] : [renderSections(report.sections)]),
  ...(report.load === null ? [] : [report.load]),
  ...(report.targets.length === 0
    ? []
    : [
        `Targets:\n\n${markdownTable(
          ['target', 'measured', 'met', 'note'],
          report.targets.map((t) => [t.target, t.measured, t.met === null ? '?' : t.met ? 'yes' : 'no', t.note]),
        )}`,
      ]),
];
const text = `${parts.join('\n\n')}\n`;
process.stdout.write(text);
const dir = join(ROOT, 'reports', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `compare-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(dir, `compare-${stamp}.md`), text);
say(`[compare] wrote reports/bench/compare-${stamp}.json and .md`);
