/**
 * The state a scenario needs the served mock in, as the calls of its admin API (docs/admin-api.md)
 * that the collection's pre-request script makes before its request, after the reset it makes before
 * every request (as `sfjwt run` resets before every scenario, so that an answer never depends on the
 * request before it, and a knob or a forced answer never outlives its scenario): the scenario's
 * `mock` section in the order the runner applies it (src/runner/mock-target.ts: knobs, forced
 * answers, the app changed, its certificates cleared, earlier logins). Data only: the script that
 * sends them is in postman-scripts.ts.
 */
import type { Scenario } from '../../scenarios/schema.ts';
import type { RequestContext } from '../client/build-request.ts';

/** One admin API call, or the certificates of an app removed one by one as the mock holds them (read from GET /world). */
export type AdminStep = { method: 'POST' | 'PATCH'; path: string; body?: Record<string, unknown> } | { clearCertificatesOf: string };

/** In plain words, for a request's description. */
export function describeStep(step: AdminStep): string {
  if ('clearCertificatesOf' in step) return `every certificate of the app ${step.clearCertificatesOf} removed (GET /world, then POST /setup/remove-certificate for each)`;
  return `${step.method} ${step.path}${step.body === undefined ? '' : ` ${JSON.stringify(step.body)}`}`;
}

/** The reset before every request. */
export const RESET: AdminStep = { method: 'POST', path: '/reset' };

/** The calls that put the reset mock in the state `scenario` needs, for the app and user of its context (none for most). */
export function mockSteps(scenario: Scenario, context: Pick<RequestContext, 'appName' | 'username'>): AdminStep[] {
  const steps: AdminStep[] = [];
  const m = scenario.mock;
  if (m === undefined) return steps;
  if (m.knobs !== undefined) steps.push({ method: 'PATCH', path: '/knobs', body: m.knobs });
  if (m.force !== undefined) steps.push({ method: 'POST', path: '/force', body: m.force });
  const app = context.appName;
  if (m.touchApp === true && app !== undefined) steps.push({ method: 'POST', path: '/setup/touch-app', body: { app } });
  if (m.clearCertificates === true && app !== undefined) steps.push({ clearCertificatesOf: app });
  if (m.priorLogins !== undefined) steps.push({ method: 'POST', path: '/setup/record-logins', body: { username: context.username, count: m.priorLogins } });
  return steps;
}
