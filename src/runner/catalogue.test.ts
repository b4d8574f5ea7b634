/**
 * The whole catalogue against both mock targets, through the same entry point users call from their
 * own vitest suites: each scenario must get exactly its expected answer, decided by its expected check.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, httpsTarget, mswTarget, runScenario, type Target } from './index.ts';

const scenarios = catalogue();

describe.each(['mock-msw', 'mock-https'] as const)('the catalogue against %s', (kind) => {
  let target: Target;
  beforeAll(async () => {
    const setup = { world: testWorld(), privateKeyPem: testKeys().privateKeyPem, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-cat-')) };
    target = kind === 'mock-msw' ? mswTarget(setup) : await httpsTarget(setup);
  });
  afterAll(async () => target.close());

  it.each(scenarios.filter((s) => s.runsOn.includes(kind)).map((s) => [s.id, s] as const))('%s', async (_id, scenario) => {
    const result = await runScenario(scenario, target);
    expect(result.reason ?? '').toBe('');
    expect(result.verdict).toBe('pass');
    expect(result.decidedBy).toBe(scenario.expect.decidedBy);
  });
});
