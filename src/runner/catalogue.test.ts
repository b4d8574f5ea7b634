/**
 * The whole catalogue against both mock targets, through the same entry point users call from their
 * own vitest suites: each scenario must get exactly its expected answer, decided by its expected check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, httpsTarget, mswTarget, runScenario, type Target } from './index.ts';

const scenarios = catalogue();

describe.each(['mock-msw', 'mock-https'] as const)('the catalogue against %s', (kind) => {
  let target: Target;
  beforeAll(async () => {
    // Time frozen: the assertions' exp and the mock's clock are the same instant on every run.
    const setup = { world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7, stateDir: testStateDir('sfjwt-cat-') };
    target = kind === 'mock-msw' ? mswTarget(setup) : await httpsTarget(setup);
  });
  afterAll(async () => target.close());

  it.each(scenarios.filter((s) => s.runsOn.includes(kind)).map((s) => [s.id, s] as const))('%s', async (_id, scenario) => {
    const result = await runScenario(scenario, target);
    // A pass carries no reason; a reason names every difference from the expected answer.
    expect(result.reason).toBeUndefined();
    expect(result.verdict).toBe('pass');
    expect(result.decidedBy).toBe(scenario.expect.decidedBy);
  });
});
