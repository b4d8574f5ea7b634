/**
 * Where the mock's time goes on the token path: runs a checkout's `sfjwt serve` under `node
 * --cpu-prof`, drives it with autocannon (own process) on a good grant or on `invalid assertion`,
 * stops it so the profile is written, and says where the time went (bench/lib/profile-summary.ts):
 * self time grouped as socket write, TLS, RS256 verify, GC, node's HTTP stack, each dependency and
 * the checkout's own code, then the functions and files with the most self time. The `profile`
 * section of `npm run bench` and `npm run bench:compare` runs this over HTTP at 10 connections, the
 * load of the `grants` section. Alone: npm run bench:profile [-- --https] [--invalid] [--seconds N]
 * [--connections N] [--users N --apps M] (a generated world, logging in as its last user with its
 * last app) [--tree DIR] (another checkout's bin/sfjwt.js)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { guardChildren, stopAll } from './lib/children.ts';
import { fixed, int, isMain, markdownTable } from './lib/format.ts';
import { FORM, type GrantInput, grantBody, send, TOKEN_PATH, wrongKeyBody } from './lib/grant.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { type CpuProfile, OWN, type ProfileSummary, type Share, summarise } from './lib/profile-summary.ts';
import { startServe } from './lib/servers.ts';
import { closeTrees, openTree, type Tree, thisTree } from './lib/trees.ts';

export interface ProfileOptions {
  http: boolean;
  invalid: boolean;
  seconds: number;
  connections: number;
  /** A world file to serve, with the grant to send to it (the default world's otherwise). */
  world?: { file: string; grant: GrantInput };
}

export interface ProfileResult {
  tree: string;
  transport: 'http' | 'https';
  path: 'grant' | 'invalid-assertion';
  connections: number;
  load: LoadResult;
  summary: ProfileSummary;
}

export const DEFAULT_PROFILE: ProfileOptions = { http: true, invalid: false, seconds: 8, connections: 10 };

export async function profileServe(tree: Tree, o: ProfileOptions = DEFAULT_PROFILE): Promise<ProfileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-prof-'));
  try {
    // The profile starts with the process; only the samples under load are summarised.
    const spawnedAt = performance.now();
    const mock = await startServe({ http: o.http, bin: tree.bin, cwd: tree.work, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], ...(o.world === undefined ? {} : { world: o.world.file }) });
    const s = mock.info;
    let load: LoadResult;
    let window = { fromMs: 0, toMs: Infinity };
    try {
      const grant = o.world?.grant ?? { consumerKey: s.consumerKey ?? '', username: s.username ?? '', privateKeyPem: readFileSync(s.privateKeyFile ?? '', 'utf8') };
      const body = o.invalid ? await wrongKeyBody(grant) : await grantBody(grant);
      const expected = o.invalid ? 400 : 200;
      const got = await send(s.login, { method: 'POST', path: TOKEN_PATH, headers: FORM, body }, s.ca);
      if (got !== expected) throw new Error(`${tree.name}: the profiled load answered ${got}, expected ${expected}`);
      // The load generator takes a few hundred ms to start; its warm-up second is load already.
      const from = performance.now() - spawnedAt + 500;
      load = await runLoad({
        url: `${s.login}${TOKEN_PATH}`,
        connections: o.connections,
        seconds: o.seconds,
        warmupSeconds: 1,
        method: 'POST',
        headers: FORM,
        body,
        ...(s.ca === null ? {} : { caFile: s.ca }),
      });
      window = { fromMs: from, toMs: performance.now() - spawnedAt };
    } finally {
      await mock.stop();
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`${tree.name}: serve wrote no profile (did it exit on SIGTERM?)`);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return { tree: tree.name, transport: o.http ? 'http' : 'https', path: o.invalid ? 'invalid-assertion' : 'grant', connections: o.connections, load, summary: summarise(profile, tree.dir, window) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${fixed(100 * x, 1)}%` : 'n/a');

/**
 * The groups of several profiles side by side (one column pair per profile); groups under 0.5% of
 * busy time in every profile are summed into one row.
 */
export function groupsTable(rs: readonly ProfileResult[]): string {
  const names = [...new Set(rs.flatMap((r) => r.summary.groups.map((g) => g.name)))];
  const find = (r: ProfileResult, name: string) => r.summary.groups.find((g) => g.name === name);
  const biggest = (name: string) => Math.max(...rs.map((r) => find(r, name)?.busyShare ?? 0));
  names.sort((a, b) => biggest(b) - biggest(a));
  const shown = names.filter((n) => biggest(n) >= 0.005 || n.startsWith('idle'));
  const rest = names.filter((n) => !shown.includes(n));
  const sum = (r: ProfileResult, f: (s: Share) => number) => rest.reduce((n, name) => n + f(find(r, name) ?? { name, ms: 0, share: 0, busyShare: 0 }), 0);
  const head = ['where the time goes (self time)', ...rs.flatMap((r) => [`${r.tree}: of all`, `${r.tree}: of busy`])];
  // Idle time is no part of busy time: its busy column stays empty.
  const rows = shown.map((n) => [n, ...rs.flatMap((r) => [pct(find(r, n)?.share ?? 0), n.startsWith('idle') ? '—' : pct(find(r, n)?.busyShare ?? 0)])]);
  if (rest.length > 0) rows.push([`${rest.length} more groups, each < 0.5%`, ...rs.flatMap((r) => [pct(sum(r, (s) => s.share)), pct(sum(r, (s) => s.busyShare))])]);
  return markdownTable(head, rows);
}

/** One line: the named groups' shares of busy time, then all the rest together. */
export function restLine(r: ProfileResult): string {
  const g = (name: string) => r.summary.groups.find((x) => x.name === name)?.busyShare ?? 0;
  const named: [string, string[]][] = [
    ['socket write', ['socket write']],
    ['TLS', ['TLS']],
    ['RS256 verify', ['crypto: RS256 verify']],
    ['GC', ['GC']],
    ["node's HTTP, streams and events", ['node: HTTP, net, streams, events', 'socket read']],
    ["the mock's own code", [OWN]],
  ];
  const parts = named.map(([label, groups]) => [label, groups.reduce((n, x) => n + g(x), 0)] as const);
  const rest = 1 - parts.reduce((n, [, v]) => n + v, 0);
  return `${r.tree}, of busy time: ${parts.map(([l, v]) => `${l} ${pct(v)}`).join(', ')}; everything else ${pct(rest)} (dependencies, V8 built-ins, other node internals)`;
}

function shareTable(title: string, xs: readonly Share[]): string {
  return markdownTable(
    [title, 'of all', 'of busy'],
    xs.map((x) => [x.name, pct(x.share), pct(x.busyShare)]),
  );
}

export function renderProfile(r: ProfileResult, details = true): string {
  const s = r.summary;
  const head = `${r.tree}: ${r.transport.toUpperCase()} ${r.path}, ${r.connections} connections: ${int(r.load.perSecond)}/s, p50 ${fixed(r.load.p50)} ms, p99 ${fixed(r.load.p99)} ms; ${fixed(s.sampledMs / 1000, 1)} s sampled, ${pct(s.idleMs / s.sampledMs)} idle`;
  if (!details) return head;
  return [head, shareTable('own code by folder (self time)', s.ownFolders), shareTable('function (self time)', s.functions), shareTable('file (self time)', s.files)].join('\n\n');
}

if (isMain(import.meta.url)) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const treeAt = process.argv.indexOf('--tree');
  const users = arg('--users', 0);
  const apps = arg('--apps', 1);
  guardChildren();
  const spec = process.argv[treeAt + 1] ?? '';
  const tree = treeAt > 0 ? openTree(spec, basename(spec.replace(/@[^/]*$/, '')) || 'tree') : thisTree();
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-prof-world-'));
  try {
    const o: ProfileOptions = { http: !process.argv.includes('--https'), invalid: process.argv.includes('--invalid'), seconds: arg('--seconds', 8), connections: arg('--connections', 10) };
    if (users > 0) {
      // The generated world's certificate is the one of this checkout's state folder's default app.
      // Loaded here only: the profile itself runs any tree through its own bin/sfjwt.js.
      const { generateWorld } = await import('../mock-server/world/generate.ts');
      const { prepareWorld } = await import('../mock-server/world/prepare.ts');
      const { defaultStateDir } = await import('../lib/state-folder.ts');
      const appKey = prepareWorld({ stateDir: defaultStateDir() }).appKey;
      const w = generateWorld({ seed: 42, orgs: 1, usersPerOrg: users, apps, certificatePem: appKey?.certificatePem ?? '' });
      const file = join(dir, 'world.json');
      writeFileSync(file, JSON.stringify(w));
      o.world = { file, grant: { consumerKey: w.apps.at(-1)?.consumerKey ?? '', username: w.users.at(-1)?.username ?? '', privateKeyPem: appKey?.privateKeyPem ?? '' } };
    }
    const r = await profileServe(tree, o);
    process.stdout.write(
      `${renderProfile(r, false)}${users > 0 ? ` (world of ${users} users, ${apps} apps)` : ''}\n\n${groupsTable([r])}\n\n${renderProfile(r).split('\n\n').slice(1).join('\n\n')}\n`,
    );
  } finally {
    await stopAll();
    closeTrees([tree]);
    rmSync(dir, { recursive: true, force: true });
  }
}
