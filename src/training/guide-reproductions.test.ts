/**
 * Every reproduction in the field guide, run as a trainee runs it: the snippets are read out of the
 * generated Markdown (the helpers block, then each `<!-- reproduction: ID -->` block and the text
 * block it prints), and each is run by `sh -e` in a folder of its own holding the ready file of a
 * mock started here on free ports of 127.0.0.1. `npx sfjwt …` in a snippet is the built CLI itself
 * (bin/sfjwt.js, through an `npx` shim on PATH), so `sign --scenario`, and for plain http a second
 * `serve --http --require-tls --detach` and its `stop`, run exactly as printed. Standard output must
 * be byte for byte what the guide says it prints, and the mock must be back in its starting state
 * after the snippets that change it. Snippets that leave the mock's state alone run a few at a time;
 * those that change it run one by one, after them.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { describeStarted } from '../../mock-server/adapters/serve-description.ts';
import { testStateDir } from '../../mock-server/testing/fixtures.ts';
import { catalogue } from '../../scenarios/load.ts';
import { renderGuideMarkdown } from './guide-markdown.ts';
import { buildGuideModel } from './guide-model.ts';
import { START } from './guide-reproduction.ts';

const BIN = fileURLToPath(new URL('../../bin/sfjwt.js', import.meta.url));
const markdown = renderGuideMarkdown(buildGuideModel());

/** The fenced block of `lang` that starts first after `from`. */
function blockAfter(text: string, from: number, lang: string): { code: string; end: number } {
  const open = text.indexOf(`\`\`\`${lang}\n`, from);
  const close = text.indexOf('\n```', open + lang.length + 4);
  if (open < 0 || close < 0) throw new Error(`no ${lang} block after offset ${from}`);
  return { code: text.slice(open + lang.length + 4, close), end: close + 4 };
}

interface Snippet {
  id: string;
  script: string;
  prints: string;
}

const helpersBlock = blockAfter(markdown, markdown.indexOf('<!-- reproduction helpers -->'), 'sh').code.split('\n');
const snippets: Snippet[] = [...markdown.matchAll(/<!-- reproduction: (\S+) -->\n/g)].map((m) => {
  const sh = blockAfter(markdown, m.index, 'sh');
  return { id: m[1] ?? '', script: sh.code, prints: `${blockAfter(markdown, sh.end, 'text').code}\n` };
});
const stateful = new Set(catalogue().flatMap((s) => (s.mock === undefined ? [] : [s.id])));

describe('the field guide reproductions, run against the mock', () => {
  const home = mkdtempSync(join(tmpdir(), 'sfjwt-guide-repro-'));
  const stateDir = testStateDir('sfjwt-guide-repro-state-');
  const shim = join(home, 'bin');
  let mock: StartedMockOrg;
  let line = '';
  let knobsBefore = '';

  beforeAll(async () => {
    mock = await startMockOrg({ port: 0, stateDir });
    line = JSON.stringify(describeStarted(mock));
    knobsBefore = JSON.stringify(mock.org.knobs);
    mkdirSync(shim);
    // `npx sfjwt …` is the built CLI of this checkout, and npx never reaches a registry here.
    writeFileSync(join(shim, 'npx'), `#!/bin/sh\n[ "$1" = sfjwt ] || { echo "npx shim: only sfjwt" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(shim, 'npx'), 0o755);
  });

  afterAll(async () => {
    await mock?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Runs the helpers and the snippet with sh -e in a folder of its own; resolves with its output. */
  function run(s: Snippet): Promise<{ id: string; code: number; stdout: string; stderr: string }> {
    const cwd = join(home, s.id);
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'mock.json'), `${line}\n`);
    // A second mock a snippet starts (plain http) finds its key material made already.
    cpSync(stateDir, join(cwd, '.sfjwt'), { recursive: true });
    const env: NodeJS.ProcessEnv = { PATH: `${shim}:${process.env['PATH'] ?? ''}`, HOME: home, NO_COLOR: '1' };
    const script = [...helpersBlock.slice(1), s.script].join('\n');
    return new Promise((resolve) => {
      execFile('sh', ['-ec', script], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
        const done = () => resolve({ id: s.id, code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
        // A snippet that failed before its own `stop` must not leave its second mock running.
        const left = join(cwd, 'http-mock.json');
        if (existsSync(left)) execFile(process.execPath, [BIN, 'stop', '--ready-file', left], { cwd, env }, done);
        else done();
      });
    });
  }

  it('the guide has one reproduction per scenario, and its helpers follow the command that starts the mock', () => {
    expect(snippets.map((s) => s.id)).toEqual(catalogue().map((s) => s.id));
    expect(helpersBlock[0]).toBe(START);
  });

  it('every snippet that leaves the mock alone prints exactly what the guide says', { timeout: 180_000 }, async () => {
    const queue = snippets.filter((s) => !stateful.has(s.id));
    const results: Awaited<ReturnType<typeof run>>[] = [];
    const worker = async () => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) results.push(await run(s));
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const expected = new Map(snippets.map((s) => [s.id, s.prints]));
    const wrong = results.filter((r) => r.code !== 0 || r.stdout !== expected.get(r.id)).map((r) => ({ id: r.id, code: r.code, stdout: r.stdout, stderr: r.stderr.slice(-600) }));
    expect(wrong).toEqual([]);
    expect(results).toHaveLength(snippets.length - stateful.size);
  });

  it('every snippet that changes the mock prints exactly what the guide says, and leaves it as it was', { timeout: 120_000 }, async () => {
    expect(stateful.size).toBeGreaterThan(0);
    for (const s of snippets.filter((x) => stateful.has(x.id))) {
      const r = await run(s);
      expect({ id: s.id, code: r.code, stdout: r.stdout }, r.stderr).toEqual({ id: s.id, code: 0, stdout: s.prints });
      expect(JSON.stringify(mock.org.knobs)).toBe(knobsBefore);
    }
  });
});
