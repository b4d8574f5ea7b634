/**
 * The static checks of `npm test`, at the same time rather than one after another (each leaves a
 * core idle part of the time): the type check and build (`tsc -b`, then prune-dist), the formatter
 * and linter (`biome ci .`) and unused files, exports and dependencies (`knip`). Each one's output is
 * printed whole when it failed, in that order, once all have ended; the exit code is 1 if any failed. Plain
 * JavaScript, so it runs with node alone.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(repo, 'node_modules', '.bin', name);

function run(name, command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', (error) => resolve({ name, code: 1, out: `${out}${error.message}\n` }));
    child.once('close', (code) => resolve({ name, code: code ?? 1, out }));
  });
}

const build = run('tsc -b', bin('tsc'), ['-b', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.types.json']).then(async (r) =>
  r.code !== 0 ? r : { ...(await run('prune-dist', process.execPath, [join(repo, 'scripts', 'prune-dist.mjs')])), name: 'tsc -b, prune-dist' },
);
const results = await Promise.all([build, run('biome ci', bin('biome'), ['ci', '.']), run('knip', bin('knip'), ['--no-progress'])]);
for (const r of results) {
  if (r.code !== 0) process.stdout.write(`> ${r.name} (exit ${r.code})\n${r.out}`);
}
const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
if (failed.length > 0) {
  process.stderr.write(`npm test: ${failed.join(', ')} failed\n`);
  process.exitCode = 1;
}
