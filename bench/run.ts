/**
 * `npm run bench`: every benchmark in one run, so ratios compare figures taken minutes apart on the
 * same machine in the same state: first the sections that decide the package work (bench/sections.ts:
 * `sfjwt --help` wall time, `serve` to its first answer, token grants over HTTP at 10 connections
 * against the bare node:http server and oauth2-mock-server 9.3's jwt-bearer grant, a CPU profile of
 * the mock under that load, one `npm test`), each run on this checkout as its users run it; then the
 * RS256 ceiling, token grants against the bare node:http ceiling
 * and the oauth2-mock-server peer over HTTPS and HTTP at 1, 10 and 50 connections (good grant, invalid
 * assertion, catalogue mix), the catalogue's wall time in-process and over HTTPS, `serve` start-up,
 * memory over a long load, and how cost grows with the world. Prints Markdown tables, checks them
 * against the targets, and writes reports/bench/<date>.json and .md. Timing never decides a test:
 * this prints figures only. Every child process is killed at the end, on error and on Ctrl-C.
 * Options: --quick (short windows, one round, for a smoke run), --seconds N (per load), --rounds N
 * (of the token and grants loads), --runs N (starts of help and serve), --peer7 (also 7.2.1's
 * client_credentials in grants), --soak-budget N (s),
 * --only help,serve,grants,profile,npm-test,crypto,token,catalogue,startup,soak,scaling
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { CatalogueTimes } from './catalogue.ts';
import { type CryptoCeiling, measureVerify } from './crypto-ceiling.ts';
import { guardChildren, stopAll } from './lib/children.ts';
import { fixed, int, markdownTable, median, ratio, say } from './lib/format.ts';
import { ROOT } from './lib/servers.ts';
import { closeTrees, type Tree, thisTree } from './lib/trees.ts';
import type { ScalingRow } from './scaling.ts';
import { renderSections, runSections, SECTIONS, type SectionResults, sectionOptions, sectionTargets, type Target } from './sections.ts';
import { type SoakResult, soak, soakTable } from './soak.ts';
import { measureStartup, type StartupTimes } from './startup.ts';
import type { LoadRow, Path, TransportResult } from './token-grants.ts';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const seconds = Number(opt('--seconds') ?? (quick ? 2 : 3));
const rounds = Number(opt('--rounds') ?? (quick ? 1 : 2));
const soakBudget = Number(opt('--soak-budget') ?? (quick ? 30 : 210));
const known = new Set<string>([...SECTIONS, 'crypto', 'token', 'catalogue', 'startup', 'soak', 'scaling']);
const only = new Set((opt('--only') ?? [...known].join(',')).split(','));
const unknown = [...only].filter((x) => !known.has(x));
if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}: the sections are ${[...known].join(', ')}`);
// The sections that build requests with this checkout's own code (scenarios, client, world
// generator) are loaded only when asked for, so help, serve, grants and profile run whatever state
// the sources are in: those run the checkout through its bin/sfjwt.js only.
const token = only.has('token') ? await import('./token-grants.ts') : undefined;
const scaling = only.has('scaling') ? await import('./scaling.ts') : undefined;

interface BenchReport {
  kind: 'sfjwt-bench';
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  environment: { node: string; platform: string; cpus: number; cpuModel: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; commit: string | null; dirty: boolean | null };
  options: { seconds: number; rounds: number; soakBudgetSeconds: number; quick: boolean; sections: string[] };
  /** help, serve, grants, profile, npm-test (bench/sections.ts). */
  sections?: SectionResults;
  crypto?: CryptoCeiling;
  token?: TransportResult;
  catalogue?: CatalogueTimes;
  startup?: StartupTimes;
  soak?: SoakResult;
  scaling?: ScalingRow[];
  targets: Target[];
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', ['--no-optional-locks', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const PATHS: { path: Path; label: string }[] = [
  { path: 'grant', label: 'mock: token grant' },
  { path: 'invalid-assertion', label: 'mock: invalid assertion' },
  { path: 'catalogue-mix', label: 'mock: catalogue mix' },
  { path: 'fixed-body', label: 'ceiling: bare node:http, fixed body' },
  { path: 'jwt-bearer', label: 'peer: jwt-bearer (refused unread)' },
  { path: 'client-credentials', label: 'peer: client_credentials' },
];

/** One row per path and transport; a cell per connection count: answers/s and p50 / p99. */
function compactTable(t: TransportResult): string {
  const conns = [...new Set(t.rows.map((r) => r.connections))].sort((a, b) => a - b);
  const rows: string[][] = [];
  for (const transport of ['https', 'http'] as const) {
    for (const p of PATHS) {
      const cells = conns.map((c) => {
        const r = t.rows.find((x: LoadRow) => x.transport === transport && x.path === p.path && x.connections === c);
        return r === undefined ? '' : `${int(r.perSecond)}/s · ${fixed(r.p50)} / ${fixed(r.p99)}`;
      });
      if (cells.some((c) => c !== '')) rows.push([p.label, transport.toUpperCase(), ...cells]);
    }
  }
  return markdownTable(['server: path', 'transport', ...conns.map((c) => `${c} conn: answers/s · p50 / p99 ms`)], rows);
}

function targets(r: BenchReport): Target[] {
  const out: Target[] = r.sections === undefined ? [] : sectionTargets(r.sections);
  if (r.token !== undefined) {
    for (const x of (token?.transportRatios(r.token) ?? []).filter((y) => y.connections === 10)) {
      out.push({ target: `token grants ≥ 0.5 × bare node:http (${x.transport.toUpperCase()}, 10 conn)`, measured: ratio(x.mockPerBare, 1), met: x.mockPerBare >= 0.5, note: '' });
      out.push({
        target: `token grants ≥ 5 × peer jwt-bearer (${x.transport.toUpperCase()}, 10 conn)`,
        measured: ratio(x.mockPerPeerJwt, 1),
        met: x.mockPerPeerJwt >= 5,
        note: `the peer refuses the grant unread; vs its client_credentials: ${ratio(x.mockPerPeerCc, 1)}`,
      });
    }
    for (const transport of ['https', 'http'] as const) {
      const g = r.token.rows.find((x) => x.path === 'grant' && x.connections === 10 && x.transport === transport);
      if (g !== undefined) out.push({ target: `p99 < 10 ms at 10 conn (${transport.toUpperCase()}, token grant)`, measured: `${fixed(g.p99)} ms`, met: g.p99 < 10, note: `p50 ${fixed(g.p50)} ms` });
    }
  }
  if (r.catalogue !== undefined) {
    const m = median(r.catalogue.inProcess);
    out.push({
      target: 'catalogue against the in-process mock < 2 s',
      measured: `${int(m)} ms`,
      met: m < 2_000,
      note: `${r.catalogue.scenarios} scenarios; HTTPS ${int(median(r.catalogue.https))} ms`,
    });
  }
  if (r.startup !== undefined) {
    const m = median(r.startup.firstAnswerMs);
    out.push({
      target: 'serve answering < 1 s',
      measured: `${int(m)} ms`,
      met: m < 1_000,
      note: `median of ${r.startup.firstAnswerMs.length}: ${r.startup.firstAnswerMs.map((x) => int(x)).join(', ')} ms`,
    });
  }
  if (r.soak !== undefined) {
    // Sessions fill up at 100,000: flat means no more than 10% growth from the 200,000 sample on.
    const from = r.soak.samples.find((s) => s.requests >= 200_000);
    const last = r.soak.samples.at(-1);
    const growth = from === undefined || last === undefined || last === from ? NaN : last.rssMb / from.rssMb - 1;
    out.push({
      target: 'flat memory (RSS growth < 10% from 200k requests to the end)',
      measured: Number.isFinite(growth) ? `${fixed(100 * growth, 1)}%` : 'n/a',
      met: Number.isFinite(growth) ? growth < 0.1 : null,
      note: `${int(r.soak.sent)} requests; RSS ${fixed(from?.rssMb ?? NaN, 0)} → ${fixed(last?.rssMb ?? NaN, 0)} MB`,
    });
  }
  if (r.scaling !== undefined && r.scaling.length > 1) {
    const base = r.scaling[0]?.perSecond ?? NaN;
    const worst = Math.min(...r.scaling.map((s) => s.perSecond / base));
    out.push({ target: 'lookups do not degrade with world size (grants/s vs the smallest world)', measured: `worst ${ratio(worst, 1)}`, met: worst >= 0.8, note: 'within machine noise when ≥ 0.8×' });
  }
  return out;
}

function render(r: BenchReport): string {
  const parts: string[] = [];
  const env = r.environment;
  parts.push(
    `sfjwt bench ${r.startedAt} — node ${env.node}, ${env.cpus} × ${env.cpuModel}, load average ${env.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')} at start, ${env.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')} at end; commit ${env.commit ?? '?'}${env.dirty === true ? ' (uncommitted changes)' : ''}; ${fixed(r.durationSeconds, 0)} s`,
  );
  if (r.sections !== undefined) parts.push(renderSections(r.sections));
  if (r.crypto !== undefined) parts.push(`RS256 verify, one core, node:crypto: ${int(r.crypto.verifiesPerSecond)}/s (${fixed(r.crypto.microsecondsEach, 1)} µs each)`);
  if (r.token !== undefined) {
    parts.push(
      `Token endpoint, loopback, keep-alive, autocannon in its own process; each cell the median of ${r.options.rounds} round${r.options.rounds === 1 ? '' : 's'} of ${r.options.seconds} s (1 s warm-up first):\n\n${compactTable(r.token)}`,
    );
    parts.push(`Ratios (answers/s):\n\n${token?.ratioTable(r.token) ?? ''}`);
    parts.push(
      `Catalogue mix: ${r.token.mix.size} scenarios; answers differing from the scenario's status: ${r.token.mix.unexpected.length === 0 ? 'none' : r.token.mix.unexpected.map((u) => `${u.id} (${u.transport}: ${u.status}, expected ${u.expected})`).join(', ')}. Mock peak RSS: ${Object.entries(
        r.token.mockPeakMb,
      )
        .map(([t, mb]) => `${t.toUpperCase()} ${fixed(mb, 0)} MB`)
        .join(', ')}`,
    );
  }
  if (r.catalogue !== undefined)
    parts.push(
      `Catalogue (${r.catalogue.scenarios} scenarios) wall time, median of ${r.catalogue.inProcess.length}: in-process ${int(median(r.catalogue.inProcess))} ms, HTTPS ${int(median(r.catalogue.https))} ms`,
    );
  if (r.startup !== undefined)
    parts.push(
      `serve (${r.startup.transport.toUpperCase()}) to first answer from /__sfjwt/health: median ${int(median(r.startup.firstAnswerMs))} ms (${r.startup.firstAnswerMs.map((x) => int(x)).join(', ')})`,
    );
  if (r.soak !== undefined)
    parts.push(
      `Memory over a long load (HTTP, ${r.soak.connections} conn, good grants; ${int(r.soak.sent)} of ${int(r.soak.target)} requests in ${fixed(r.soak.seconds, 0)} s, stopped by ${r.soak.stoppedBy}; journal counted ${int(r.soak.journalTotal)}):\n\n${soakTable(r.soak)}`,
    );
  if (r.scaling !== undefined) parts.push(`World size (HTTPS, 10 conn, last user with last app):\n\n${scaling?.scalingTable(r.scaling) ?? ''}`);
  parts.push(
    `Targets:\n\n${markdownTable(
      ['target', 'measured', 'met', 'note'],
      r.targets.map((t) => [t.target, t.measured, t.met === null ? '?' : t.met ? 'yes' : 'no', t.note]),
    )}`,
  );
  return `${parts.join('\n\n')}\n`;
}

guardChildren();
const t0 = performance.now();
const startedAt = new Date();
const report: BenchReport = {
  kind: 'sfjwt-bench',
  schemaVersion: 1,
  startedAt: startedAt.toISOString(),
  finishedAt: '',
  durationSeconds: 0,
  environment: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    loadAverageAtStart: loadavg(),
    loadAverageAtEnd: [],
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: null,
  },
  options: { seconds, rounds, soakBudgetSeconds: soakBudget, quick, sections: [...only] },
  targets: [],
};
const status = git(['status', '--porcelain', '--', 'mock-server', 'src', 'lib', 'bin', 'bench']);
report.environment.dirty = status === null ? null : status !== '';
const stamp = startedAt
  .toISOString()
  .replace(/\.\d+Z$/, 'Z')
  .replace(/:/g, '-');
const trees: Tree[] = [];
try {
  if (SECTIONS.some((x) => only.has(x))) {
    trees.push(thisTree());
    const o = sectionOptions({
      quick,
      ...(opt('--seconds') === undefined ? {} : { seconds }),
      ...(opt('--rounds') === undefined ? {} : { rounds }),
      ...(opt('--runs') === undefined ? {} : { runs: Number(opt('--runs')) }),
      peer7: argv.includes('--peer7'),
      stamp,
    });
    report.sections = await runSections(trees, only, o);
  }
  if (only.has('crypto')) {
    say('[bench] RS256 ceiling');
    report.crypto = measureVerify(quick ? 1 : 3);
  }
  if (token !== undefined) report.token = await token.measureTransports({ ...token.DEFAULT_TRANSPORT_OPTIONS, seconds, rounds, warmupSeconds: 1 });
  if (only.has('catalogue')) {
    say('[bench] catalogue wall time');
    report.catalogue = await (await import('./catalogue.ts')).catalogueWallTimes(quick ? 3 : 5);
  }
  if (only.has('startup')) {
    say('[bench] serve start-up');
    report.startup = await measureStartup(quick ? 3 : 5);
  }
  if (only.has('soak')) {
    say('[bench] memory soak');
    report.soak = await soak({ budgetSeconds: soakBudget });
  }
  if (only.has('scaling')) {
    say('[bench] world size');
    const { WORLDS, measureScaling } = scaling ?? (await import('./scaling.ts'));
    report.scaling = await measureScaling({ seconds, rounds: quick ? 1 : 2, worlds: quick ? WORLDS.filter((w) => w.users <= 1_000) : WORLDS });
  }
} finally {
  await stopAll();
  closeTrees(trees);
}
report.finishedAt = new Date().toISOString();
report.durationSeconds = (performance.now() - t0) / 1000;
report.environment.loadAverageAtEnd = loadavg();
report.targets = targets(report);
const text = render(report);
process.stdout.write(text);
const dir = join(ROOT, 'reports', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(dir, `${stamp}.md`), text);
say(`[bench] wrote reports/bench/${stamp}.json and .md`);
