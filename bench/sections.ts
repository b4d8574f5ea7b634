/**
 * The sections that decide whether the package work is done, run over one checkout (`npm run bench`)
 * or several in the same run (`npm run bench:compare`), with the figures and targets each prints:
 * `help` (`sfjwt --help` wall time, < 250 ms), `serve` (`serve --json --port 0` to the answer of its
 * first grant, < 400 ms), `grants` (HTTP, 10 connections: ≥ 0.4 × the bare node:http server and
 * ≥ 5 × oauth2-mock-server 9.3's jwt-bearer grant), `profile` (where the mock's time goes under that
 * load) and `npm-test` (one `npm test`, < 60 s). Every tree is run as its users run it: its own
 * bin/sfjwt.js after its own install, from a scratch folder of its own (bench/lib/trees.ts).
 */
import { type GrantsOptions, type GrantsResult, grantRatios, measureGrants, renderGrants } from './grants.ts';
import { type HelpTimes, measureHelp } from './help.ts';
import { fixed, int, markdownTable, median, ratio, say } from './lib/format.ts';
import type { Tree } from './lib/trees.ts';
import { type NpmTestTime, timeNpmTest } from './npm-test.ts';
import { groupsTable, type ProfileResult, profileServe, renderProfile, restLine } from './profile.ts';
import { measureServeStart, type ServeStartTimes } from './serve-start.ts';

export const SECTIONS = ['help', 'serve', 'grants', 'profile', 'npm-test'] as const;
export type Section = (typeof SECTIONS)[number];

export interface SectionOptions {
  helpRuns: number;
  serveRuns: number;
  grants: GrantsOptions;
  profileSeconds: number;
  /** For the names of the npm test logs. */
  stamp: string;
}

export function sectionOptions(o: { quick: boolean; seconds?: number; rounds?: number; runs?: number; peer7: boolean; stamp: string }): SectionOptions {
  return {
    helpRuns: o.runs ?? (o.quick ? 5 : 11),
    serveRuns: o.runs ?? (o.quick ? 3 : 7),
    grants: { seconds: o.seconds ?? (o.quick ? 2 : 5), rounds: o.rounds ?? (o.quick ? 1 : 3), warmupSeconds: 1, connections: 10, peer7: o.peer7 },
    profileSeconds: o.quick ? 4 : 8,
    stamp: o.stamp,
  };
}

export interface SectionResults {
  trees: { name: string; dir: string; commit: string | null; installMs: number | null }[];
  help?: HelpTimes[];
  serve?: ServeStartTimes[];
  grants?: GrantsResult;
  profile?: ProfileResult[];
  npmTest?: NpmTestTime[];
}

export function parseSections(list: string | undefined, fallback: readonly string[]): Set<string> {
  const names = (list ?? fallback.join(',')).split(',').filter((s) => s !== '');
  return new Set(names);
}

export async function runSections(trees: readonly Tree[], only: ReadonlySet<string>, o: SectionOptions): Promise<SectionResults> {
  const r: SectionResults = { trees: trees.map((t) => ({ name: t.name, dir: t.dir, commit: t.commit, installMs: t.installMs })) };
  if (only.has('help')) {
    say('[bench] sfjwt --help');
    r.help = await measureHelp(trees, o.helpRuns);
  }
  if (only.has('serve')) {
    say('[bench] serve to its first answer');
    r.serve = await measureServeStart(trees, o.serveRuns);
  }
  if (only.has('grants')) r.grants = await measureGrants(trees, o.grants);
  if (only.has('profile')) {
    r.profile = [];
    for (const t of trees) {
      say(`[bench] profile of ${t.name} under the grants load`);
      r.profile.push(await profileServe(t, { http: true, invalid: false, seconds: o.profileSeconds, connections: o.grants.connections }));
    }
  }
  if (only.has('npm-test')) {
    r.npmTest = [];
    for (const t of trees) {
      say(`[bench] npm test in ${t.name} (${t.dir})`);
      r.npmTest.push(await timeNpmTest(t, o.stamp));
    }
  }
  return r;
}

/** vitest's summary lines use `|`, which would split a Markdown cell. */
const cell = (s: string) => s.replace(/\s*\|\s*/g, ' · ');

export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
  note: string;
}

export function sectionTargets(r: SectionResults): Target[] {
  const out: Target[] = [];
  for (const h of r.help ?? []) {
    const m = median(h.ms);
    out.push({ target: `${h.tree}: sfjwt --help < 250 ms`, measured: `${int(m)} ms`, met: m < 250, note: `median of ${h.ms.length}` });
  }
  for (const s of r.serve ?? []) {
    const m = median(s.firstGrantMs);
    out.push({
      target: `${s.tree}: serve to its first answer < 400 ms`,
      measured: `${int(m)} ms`,
      met: m < 400,
      note: `first grant answered, median of ${s.firstGrantMs.length}; --json line at ${int(median(s.jsonLineMs))} ms`,
    });
  }
  if (r.grants !== undefined) {
    for (const x of grantRatios(r.grants)) {
      out.push({ target: `${x.tree}: grants ≥ 0.4 × bare node:http (HTTP, ${r.grants.connections} conn)`, measured: ratio(x.perBare, 1), met: x.perBare >= 0.4, note: `${int(x.perSecond)} grants/s` });
      out.push({
        target: `${x.tree}: grants ≥ 5 × oauth2-mock-server ${r.grants.peerVersion} jwt-bearer (HTTP, ${r.grants.connections} conn)`,
        measured: ratio(x.perPeer, 1),
        met: x.perPeer >= 5,
        note: Number.isFinite(x.perPeer7) ? `vs 7.2.1 client_credentials: ${ratio(x.perPeer7, 1)}` : '',
      });
    }
  }
  for (const n of r.npmTest ?? []) {
    out.push({
      target: `${n.tree}: npm test < 60 s`,
      measured: `${fixed(n.ms / 1000, 1)} s`,
      met: n.exitCode === 0 ? n.ms < 60_000 : null,
      note: `exit ${n.exitCode}${n.tests === null ? '' : `; tests ${cell(n.tests)}`}`,
    });
  }
  return out;
}

/** A column per tree, and the last tree's ratio to the first when there are two or more. */
function perTree(head: string, names: readonly string[], rows: readonly (readonly [string, readonly number[], (n: number) => string])[]): string {
  const cmp = names.length > 1;
  return markdownTable(
    [head, ...names, ...(cmp ? [`${names.at(-1)} / ${names[0]}`] : [])],
    rows.map(([label, xs, f]) => [label, ...xs.map(f), ...(cmp ? [ratio(xs.at(-1) ?? NaN, xs[0] ?? NaN)] : [])]),
  );
}

export function renderSections(r: SectionResults): string {
  const parts: string[] = [];
  parts.push(
    `Trees: ${r.trees.map((t) => `${t.name} = ${t.dir} (${t.commit === null ? '?' : /^[0-9a-f]{40}$/.test(t.commit) ? t.commit.slice(0, 7) : t.commit}${t.installMs === null ? '' : `; npm ci ${fixed(t.installMs / 1000, 1)} s`})`).join('; ')}`,
  );
  if (r.help !== undefined) {
    const names = r.help.map((h) => h.tree);
    parts.push(
      `\`sfjwt --help\`, spawn to exit, ms (one discarded start each, then ${r.help[0]?.ms.length ?? 0} in turn):\n\n${perTree('', names, [
        ['median', r.help.map((h) => median(h.ms)), int],
        ['min', r.help.map((h) => Math.min(...h.ms)), int],
        ['max', r.help.map((h) => Math.max(...h.ms)), int],
      ])}\n\nEach run: ${r.help.map((h) => `${h.tree} ${h.ms.map((x) => int(x)).join(', ')}`).join('; ')}`,
    );
  }
  if (r.serve !== undefined) {
    const names = r.serve.map((s) => s.tree);
    parts.push(
      `\`sfjwt serve --json --port 0\` (HTTPS), spawn to the 200 of its first grant, ms (one discarded start each, then ${r.serve[0]?.firstGrantMs.length ?? 0} in turn):\n\n${perTree('', names, [
        ['first grant answered, median', r.serve.map((s) => median(s.firstGrantMs)), int],
        ['--json line printed, median', r.serve.map((s) => median(s.jsonLineMs)), int],
        ['first grant, min', r.serve.map((s) => Math.min(...s.firstGrantMs)), int],
        ['first grant, max', r.serve.map((s) => Math.max(...s.firstGrantMs)), int],
      ])}\n\nEach run (first grant): ${r.serve.map((s) => `${s.tree} ${s.firstGrantMs.map((x) => int(x)).join(', ')}`).join('; ')}`,
    );
  }
  if (r.grants !== undefined) parts.push(renderGrants(r.grants));
  if (r.profile !== undefined && r.profile.length > 0) {
    parts.push(
      `Where the mock's time goes under the grants load (CPU profile of serve, \`node --cpu-prof\`, self time; "busy" leaves out idle):\n\n${r.profile.map((p) => renderProfile(p, false)).join('\n')}\n\n${groupsTable(r.profile)}\n\n${r.profile.map((p) => `- ${restLine(p)}`).join('\n')}`,
    );
    for (const p of r.profile)
      parts.push(
        renderProfile(p)
          .split('\n\n')
          .slice(1)
          .map((t) => `${p.tree}:\n\n${t}`)
          .join('\n\n'),
      );
  }
  if (r.npmTest !== undefined) {
    parts.push(
      `One \`npm test\` per tree, in turn:\n\n${markdownTable(
        ['tree', 'wall time', 'exit', 'tests', 'vitest duration', 'log'],
        r.npmTest.map((n) => [n.tree, `${fixed(n.ms / 1000, 1)} s`, String(n.exitCode), cell(n.tests ?? '?'), cell(n.vitestDuration ?? '?'), n.log]),
      )}`,
    );
  }
  return parts.join('\n\n');
}
