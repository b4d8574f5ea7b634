/**
 * Which scenarios the Postman export holds and the request each one makes, decided as `sfjwt run`
 * decides it, in the runner's order (runs on the target's kind, the target's prepare, its context,
 * buildRequest, its admit, then what the answer would count), so that the collection never holds a
 * request the runner would not send: a real org's safety rules (src/runner/real-target.ts) judge
 * each request with the answer the scenario expects standing in for the one nothing here asks for.
 * Nothing is sent. A request whose assertion would carry a secret the target knows (a consumer
 * secret put in iss) is left out too: no secret is written into an exported file.
 */
import { isNegative, type Scenario } from '../../scenarios/schema.ts';
import { type BuiltRequest, buildRequest, type RequestContext, UnresolvedValueError } from '../client/build-request.ts';
import type { TokenAnswer } from '../client/send.ts';
import type { KnownSecret } from '../runner/redact-secrets.ts';
import type { Target } from '../runner/target.ts';

/** What of a target the export asks: the runner's decisions, without sending or tracing anything. */
export type ExportPlanner = Pick<Target, 'kind' | 'context' | 'prepare' | 'admit' | 'after' | 'knownSecrets'>;

export interface ExportedRequest {
  scenario: Scenario;
  /** The request as buildRequest made it, assertion included (which only the environment holds). */
  request: BuiltRequest;
  /** The context it was made with (for the mock state's app and user). */
  context: RequestContext;
}

export interface LeftOut {
  id: string;
  reason: string;
}

export interface ExportPlan {
  requests: ExportedRequest[];
  leftOut: LeftOut[];
}

/** The base64url segments of a compact JWS, decoded (a secret may sit inside the payload). */
function decodedSegments(assertion: string): string[] {
  return assertion.split('.').map((part) => Buffer.from(part, 'base64url').toString('utf8'));
}

/** The first known secret the request carries, in clear or inside its assertion. */
export function carriedSecret(request: BuiltRequest, secrets: readonly KnownSecret[]): KnownSecret | undefined {
  const texts = [request.url, request.body ?? '', ...Object.entries(request.headers).flat(), ...decodedSegments(request.assertion ?? '')];
  return secrets.find((s) => s.value !== '' && texts.some((t) => t.includes(s.value)));
}

/** The scenarios of `scenarios` the target would run, each with its request; the others with the runner's reason. */
export async function planExport(scenarios: readonly Scenario[], target: ExportPlanner): Promise<ExportPlan> {
  const requests: ExportedRequest[] = [];
  const leftOut: LeftOut[] = [];
  const secrets = target.knownSecrets();
  for (const scenario of scenarios) {
    const skip = (reason: string) => leftOut.push({ id: scenario.id, reason });
    if (!scenario.runsOn.includes(target.kind)) {
      skip(`does not run on a ${target.kind} target`);
      continue;
    }
    const prepared = await target.prepare(scenario);
    if (prepared !== undefined) {
      skip(prepared);
      continue;
    }
    const context = target.context(scenario);
    if ('skip' in context) {
      skip(context.skip);
      continue;
    }
    let request: BuiltRequest;
    try {
      request = buildRequest(context, scenario.mistakes);
    } catch (error) {
      if (!(error instanceof UnresolvedValueError)) throw error;
      skip(error.message);
      continue;
    }
    const secret = carriedSecret(request, secrets);
    if (secret !== undefined) {
      skip(`its request carries ${secret.kind}, and no secret goes into an exported file`);
      continue;
    }
    const refused = await target.admit?.(scenario, request);
    if (refused !== undefined) {
      skip(refused);
      continue;
    }
    // The answer the scenario expects is what a real org's failed-login cap counts for the next ones.
    const expected: TokenAnswer = { status: scenario.expect.status, ok: !isNegative(scenario), bodyKind: scenario.expect.body };
    await target.after?.(scenario, expected, request);
    requests.push({ scenario, request, context });
  }
  return { requests, leftOut };
}
