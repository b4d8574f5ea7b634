/**
 * The layers run one way: dependency-cruiser checks .dependency-cruiser.cjs over the whole tree, and
 * a forbidden import fails here with the rule's name and the edge. A planted violation proves that the
 * rules bite (a config that matched nothing would pass every tree).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOTS = ['lib', 'src', 'mock-server', 'scenarios', 'bench', 'container', 'bin', 'scripts'];

async function run(roots: string[]): Promise<ICruiseResult> {
  const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as { forbidden: never; options: Record<string, unknown> };
  const result = await cruise(roots, { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true });
  return result.output as ICruiseResult;
}

const violations = (r: ICruiseResult) => r.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

describe('layers', () => {
  it('no module imports against the layer rules', async () => {
    const result = await run(ROOTS);
    expect(violations(result)).toEqual([]);
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });

  it('names the rule a planted import breaks', async () => {
    const dir = mkdtempSync(join('lib', '.probe-'));
    try {
      writeFileSync(join(dir, 'probe.ts'), "export { main } from '../../src/cli/main.ts';\n");
      const result = await run([dir]);
      expect(violations(result)).toEqual([`lib-imports-nothing-of-the-project: ${dir}/probe.ts → src/cli/main.ts`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
