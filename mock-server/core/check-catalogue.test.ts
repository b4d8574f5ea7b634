/**
 * The check catalogue holds together: ids unique and in the order of CHECK_IDS, every check says
 * what the doctor and `explain` derive from it, and every outcome has a step that decides it, so a
 * new check or outcome cannot be half-added.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from './check.ts';
import { CHECKS, DECIDED_OUTSIDE_CHECKS } from './check-catalogue.ts';
import { KNOBS } from './knobs.ts';
import { OUTCOMES, type OutcomeName } from './outcomes.ts';

describe('the check catalogue', () => {
  it('lists each check once, in the order of CHECK_IDS', () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s says what the doctor and explain derive from it', (_id, check) => {
    for (const text of [check.title, check.description, check.rootCause.title, check.rootCause.fix, check.confirm]) expect(text.trim().length).toBeGreaterThan(5);
    expect(check.outcomes.length).toBeGreaterThan(0);
    for (const knob of check.knobs) expect(KNOBS.map((k) => k.name)).toContain(knob);
  });

  it('no knob is claimed by two checks', () => {
    const knobs = CHECKS.flatMap((c) => c.knobs);
    expect(new Set(knobs).size).toBe(knobs.length);
  });

  it.each(Object.keys(OUTCOMES) as OutcomeName[])('the outcome %s is decided by a check or a named step, and has a meaning', (name) => {
    const deciders = [...CHECKS.filter((c) => c.outcomes.includes(name)).map((c) => c.id), ...((DECIDED_OUTSIDE_CHECKS as Partial<Record<OutcomeName, string>>)[name] ?? [])];
    expect(deciders.length).toBeGreaterThan(0);
    expect(OUTCOMES[name].meaning.length).toBeGreaterThan(10);
  });
});
