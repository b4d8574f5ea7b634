/**
 * `npx sfjwt --help`, the command list and `--version` load no command: a real `node bin/sfjwt.js`
 * process runs with a module hook that writes down every module it loads, and the list must hold
 * only the dispatcher (main, context and its secret-prompt, registry, summaries), lib/errors and lib/edit-distance,
 * with no package at all (msw, jose, node-forge, zod) and nothing of the mock. The same hook on
 * `scenarios --help` sees that command and its packages load, so an empty list means laziness, not
 * a hook that saw nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfjwt.js');
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-lazy-help-'));

/** The modules `sfjwt <argv>` loads: project files relative to the root, and package names. */
function loadedBy(argv: string[]): { code: number | null; stdout: string; project: string[]; packages: string[] } {
  const log = join(dir, `${argv.join('_').replace(/\W/g, '') || 'none'}.log`);
  // Runs in the loader thread: appends each URL as it loads, so nothing is lost when the process ends.
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, BIN, ...argv], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const urls = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'));
  const files = urls.map((u) => relative(ROOT, fileURLToPath(u)).replaceAll('\\', '/'));
  const packages = new Set(files.filter((f) => f.includes('node_modules/')).map((f) => (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f) ?? [])[1] ?? f));
  return { code: r.status, stdout: r.stdout, project: files.filter((f) => !f.includes('node_modules/')).sort(), packages: [...packages].sort() };
}

/** What the command list may load: the dispatcher (with the context's passphrase prompt) and the error formatting, compiled or not. */
const DISPATCHER = /^(dist\/)?(src\/cli\/(main|context|secret-prompt|registry|summaries)|lib\/(errors|edit-distance))\.(js|ts)$/;

describe('the command list loads no command', () => {
  it.each([
    [['--help'], 0],
    [[], 2],
    [['bogus'], 2],
    [['--version'], 0],
  ])('sfjwt %j: only the dispatcher, lib/errors and lib/edit-distance, no package', (argv, code) => {
    const r = loadedBy(argv);
    expect(r.code).toBe(code);
    expect(r.packages).toEqual([]);
    expect(r.project.filter((f) => f !== 'bin/sfjwt.js' && !DISPATCHER.test(f))).toEqual([]);
    // The hook did see the dispatcher load (the list is not empty for want of a working hook).
    expect(r.project.some((f) => /src\/cli\/registry\.(js|ts)$/.test(f))).toBe(true);
  });

  it('sfjwt scenarios --help loads that command and the packages it needs, and no other command', () => {
    const r = loadedBy(['scenarios', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('npx sfjwt scenarios');
    expect(r.project.some((f) => /src\/cli\/scenarios\.(js|ts)$/.test(f))).toBe(true);
    expect(r.packages).toContain('zod');
    const otherCommands = r.project.filter((f) => /src\/cli\/(start|run|serve|world|keys|sign|token|doctor|explain|inspect|guide|postman)\.(js|ts)$/.test(f));
    expect(otherCommands).toEqual([]);
  });
});
