/**
 * Where the mock's time goes on the token path: runs `sfjwt serve` under `node --cpu-prof`, drives it
 * with autocannon (own process) on a good grant or on `invalid assertion`, stops it so the profile is
 * written, and prints the functions and the files with the most self time. Not part of `npm run
 * bench`. Run: npm run bench:profile [-- --http] [--invalid] [--seconds N] [--connections N]
 * [--users N --apps M] (a generated world, logging in as its last user with its last app)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateWorld } from '../mock-server/world/generate.ts';
import { prepareWorld } from '../mock-server/world/prepare.ts';
import { defaultStateDir } from '../lib/state-folder.ts';
import { guardChildren, stopAll } from './lib/children.ts';
import { fixed, int, markdownTable } from './lib/format.ts';
import { runLoad } from './lib/load.ts';
import { FORM, TOKEN_PATH, grantBody, wrongKeyBody } from './lib/requests.ts';
import { ROOT, startServe } from './lib/servers.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const http = process.argv.includes('--http');
const invalid = process.argv.includes('--invalid');
const seconds = arg('--seconds', 8);
const connections = arg('--connections', 10);
const users = arg('--users', 0);
const apps = arg('--apps', 1);

guardChildren();
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-prof-'));
try {
  let world: { file: string; consumerKey: string; username: string; privateKeyPem: string } | undefined;
  if (users > 0) {
    const appKey = prepareWorld({ stateDir: defaultStateDir() }).appKey;
    const w = generateWorld({ seed: 42, orgs: 1, usersPerOrg: users, apps, certificatePem: appKey?.certificatePem ?? '' });
    const file = join(dir, 'world.json');
    writeFileSync(file, JSON.stringify(w));
    world = { file, consumerKey: w.apps.at(-1)?.consumerKey ?? '', username: w.users.at(-1)?.username ?? '', privateKeyPem: appKey?.privateKeyPem ?? '' };
  }
  const mock = await startServe({ http, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], ...(world === undefined ? {} : { world: world.file }) });
  const s = mock.info;
  const grant = world ?? { consumerKey: s.consumerKey ?? '', username: s.username ?? '', privateKeyPem: readFileSync(s.privateKeyFile ?? '', 'utf8') };
  const body = invalid ? await wrongKeyBody(grant) : await grantBody(grant);
  const r = await runLoad({ url: `${s.login}${TOKEN_PATH}`, connections, seconds, warmupSeconds: 1, method: 'POST', headers: FORM, body, ...(s.ca === null ? {} : { caFile: s.ca }) });
  await mock.stop();
  process.stdout.write(`${http ? 'HTTP' : 'HTTPS'} ${invalid ? 'invalid assertion' : 'grant'}${users > 0 ? ` (world of ${users} users, ${apps} apps)` : ''}, ${connections} connections: ${int(r.perSecond)}/s, p50 ${fixed(r.p50)} ms, p99 ${fixed(r.p99)} ms\n\n`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('serve wrote no profile');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)?.callFrame.functionName ?? '')).reduce((n, [, v]) => n + v, 0);
  const where = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    return url === '' ? '(native)' : url.startsWith('node:') ? url : relative(ROOT, url);
  };
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}:${n.callFrame.lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    fileSelf.set(where(n), (fileSelf.get(where(n)) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => [name, `${fixed((100 * us) / total, 1)}%`]);
  process.stdout.write(`profile: ${fixed(total / 1e6, 1)} s sampled, ${fixed((100 * idle) / total, 1)}% idle/program/GC\n\n`);
  process.stdout.write(`${markdownTable(['function (self time)', 'share'], top(fnSelf, 30))}\n\n${markdownTable(['file (self time)', 'share'], top(fileSelf, 20))}\n`);
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
