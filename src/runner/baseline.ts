/**
 * A real org's baseline decides whether its other answers mean anything. `baseline.login` is the
 * correct request; when a real org refuses it, what is broken is the setup (the key, its certificate
 * on the app, the consumer key, the user or its approval), not Salesforce, and every other answer from
 * that org speaks of the broken setup. So the baseline's result is a failure with the setup as its
 * fix (not a divergence with "nothing to fix"), the run gets a finding that says so and names the
 * doctor command to run, and the org's other answers are not judged (verdict `inconclusive`, the
 * answer kept): a wrong answer there is no divergence, nor a right one a pass. On the mock a failed
 * baseline is an ordinary failure: the mock itself is wrong.
 */
import { type Answer, answerLine } from './answer.ts';
import type { ScenarioResult } from './run.ts';

/** The scenario whose failure on a real org means its setup is broken. */
export const BASELINE_SCENARIO = 'baseline.login';

/** A finding about a whole target, beyond its single results. */
export interface RunFinding {
  kind: 'setup-broken';
  target: string;
  /** The scenario that showed it (the baseline). */
  scenario: string;
  /** What the org answered to it. */
  answer?: Answer;
  /** How many other answers of the target are therefore not judged. */
  notJudged: number;
  /** The finding in one sentence. */
  message: string;
  /** What to run to find the cause. */
  command: string;
}

/**
 * Judges each real target's baseline, in place: a failed one becomes a failure of the setup and the
 * target's other answers (passes and divergences alike) become inconclusive. Returns one finding per
 * such target. Results are replaced, never changed, so a copy handed out as progress stays as it was.
 */
export function judgeBaselines(results: ScenarioResult[]): RunFinding[] {
  const findings: RunFinding[] = [];
  results.forEach((baseline, index) => {
    // A baseline that was not sent (skipped) says nothing; one that passed says the setup works.
    if (baseline.scenario !== BASELINE_SCENARIO || baseline.targetKind !== 'real' || baseline.verdict !== 'divergence') return;
    const target = baseline.target;
    const command = `npx sfjwt doctor --target ${target}`;
    let notJudged = 0;
    results.forEach((r, i) => {
      if (r.target !== target || i === index || (r.verdict !== 'pass' && r.verdict !== 'divergence')) return;
      notJudged += 1;
      const why = 'not judged, as the baseline login failed on this target';
      results[i] = {
        ...r,
        verdict: 'inconclusive',
        reason: r.verdict === 'divergence' ? `${why}: ${r.reason ?? ''}` : `${why} (the expected answer came, which says nothing while the setup is broken)`,
      };
    });
    const answer = answerLine(baseline.actual);
    results[index] = {
      ...baseline,
      verdict: 'fail',
      reason: `the setup of target "${target}" is broken: the baseline login got ${answer}${baseline.reason === undefined ? '' : ` (${baseline.reason})`}`,
      fix: `Repair the setup of "${target}" (the key, its certificate on the connected app, the consumer key, the username, the user's approval of the app): ${command} checks each and names the cause.`,
    };
    const others =
      notJudged === 0
        ? `no other scenario ran on "${target}"`
        : notJudged === 1
          ? `the other answer from "${target}" is not judged: it is no divergence`
          : `the other ${notJudged} answers from "${target}" are not judged: none is a divergence`;
    findings.push({
      kind: 'setup-broken',
      target,
      scenario: BASELINE_SCENARIO,
      ...(baseline.actual === undefined ? {} : { answer: baseline.actual }),
      notJudged,
      message: `the baseline login failed against target "${target}": its setup is broken (answer ${answer}); ${others}`,
      command,
    });
  });
  return findings;
}
