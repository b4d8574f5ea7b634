/**
 * Choosing scenarios by tag and id, as `run` and `scenarios` both do: a tag or an id the catalogue
 * does not have is a usage mistake (exit 2, nothing run, no report written) with the same message
 * from both commands, the close match a typo most likely meant, and where the list of what there is
 * can be read.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { catalogue } from '../../scenarios/load.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-selection-'));
const env = { SFJWT_HOME: home, NO_COLOR: '1' };
const TAGS = [...new Set(catalogue().flatMap((s) => s.tags))].sort();

async function sfjwt(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env, now: () => NOW, cwd: home });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('an unknown --tag', () => {
  it.each([
    ['nope', []],
    ['audd', ['  → Did you mean --tag aud?']],
    ['Claims', ['  → Did you mean --tag claims?']],
  ])('--tag %s: run and scenarios both exit 2 with the same message, the close match and the known tags', async (tag, meant) => {
    const out = join(home, `reports-${tag}`);
    const run = await sfjwt(['run', '--target', 'mock-msw', '--tag', tag, '--out', out]);
    const list = await sfjwt(['scenarios', '--tag', tag]);
    const message = [`sfjwt: no scenario has the tag "${tag}"`, ...meant, `  → Tags: ${TAGS.join(', ')}.`, ''].join('\n');
    for (const r of [run, list]) expect(r).toEqual({ code: 2, stdout: '', stderr: message });
    expect(existsSync(out)).toBe(false);
  });

  it('a known tag beside an unknown one is still a mistake: nothing runs on a typo', async () => {
    const r = await sfjwt(['run', '--target', 'mock-msw', '--tag', 'aud', '--tag', 'exq']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['sfjwt: no scenario has the tag "exq"', '  → Did you mean --tag exp?']);
  });

  it('a known tag lists its scenarios', async () => {
    const r = await sfjwt(['scenarios', '--tag', 'aud', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((s) => s.id)).toEqual(
      catalogue()
        .filter((s) => s.tags.includes('aud'))
        .map((s) => s.id),
    );
  });
});

describe('an unknown --scenario', () => {
  it.each([
    ['claims.iss-capitalisd', ['  → Did you mean --scenario claims.iss-capitalised?']],
    ['baseline.logn', ['  → Did you mean --scenario baseline.login?']],
    ['zzzz.nothing-like-it', []],
  ])('run --scenario %s: exit 2 with the close match', async (id, meant) => {
    const r = await sfjwt(['run', '--target', 'mock-msw', '--scenario', id]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: [`sfjwt: no scenario "${id}"`, ...meant, '  → npx sfjwt scenarios lists the ids.', ''].join('\n') });
  });
});
