/**
 * The org's DailyApiRequests counter: each REST call with a live session spends one, per org of the
 * world, until the `dailyApiRequests` knob is reached. The counter lives beside the MockOrg (a
 * WeakMap, so it goes with it) and belongs to the world index it was counted under: `reset()` gives
 * the MockOrg a fresh index, which starts the count again at zero. Salesforce counts over a rolling
 * 24 hours; the mock keeps one count from the start or the last reset (a test runs within a day).
 */
import type { MockOrg } from '../mock-org.ts';
import type { WireOptions, WireResponse } from '../responses.ts';
import { finishRest, requestLimitExceeded } from '../rest-errors.ts';

interface Usage {
  index: MockOrg['index'];
  used: Map<string, number>;
}

const usages = new WeakMap<MockOrg, Usage>();

function usageOf(mock: MockOrg): Usage {
  const known = usages.get(mock);
  if (known !== undefined && known.index === mock.index) return known;
  const fresh: Usage = { index: mock.index, used: new Map() };
  usages.set(mock, fresh);
  return fresh;
}

/** Calls spent so far by the org with id `orgId`. */
export function apiRequestsUsed(mock: MockOrg, orgId: string): number {
  return usageOf(mock).used.get(orgId) ?? 0;
}

/** Spends one call of `orgId`'s allocation; false (and nothing spent) when none is left. */
export function spendApiRequest(mock: MockOrg, orgId: string): boolean {
  const usage = usageOf(mock);
  const used = usage.used.get(orgId) ?? 0;
  if (used >= mock.knobs.dailyApiRequests) return false;
  usage.used.set(orgId, used + 1);
  return true;
}

/** Sets `orgId`'s count (the admin API or a test rehearsing an org near its limit). */
export function setApiRequestsUsed(mock: MockOrg, orgId: string, used: number): void {
  usageOf(mock).used.set(orgId, Math.max(0, Math.floor(used)));
}

/** Forgets every count, as `reset()` does. */
export function clearApiUsage(mock: MockOrg): void {
  usages.delete(mock);
}

/** The `Sforce-Limit-Info` value: `api-usage=<used>/<max>`. */
export function limitInfo(mock: MockOrg, orgId: string): string {
  return `api-usage=${apiRequestsUsed(mock, orgId)}/${mock.knobs.dailyApiRequests}`;
}

/**
 * A REST call of a live session of `orgId`: one of the org's DailyApiRequests spent, and `finish`,
 * which gives an answer the REST envelope and Sforce-Limit-Info; `refused`, when none was left, is
 * the 403 REQUEST_LIMIT_EXCEEDED to answer instead.
 */
export function meterRestCall(mock: MockOrg, orgId: string, wire: WireOptions): { finish: (response: WireResponse) => WireResponse; refused?: WireResponse } {
  const spent = spendApiRequest(mock, orgId);
  const finish = (response: WireResponse) => finishRest(response, wire, [['Sforce-Limit-Info', limitInfo(mock, orgId)]]);
  return spent ? { finish } : { finish, refused: finish(requestLimitExceeded()) };
}
