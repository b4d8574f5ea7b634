/**
 * The Postman environment of an export, as a pure function: each host's base URL, the served mock's
 * admin API and its token (a secret-typed variable: it changes the mock's state), and each signed
 * assertion (secret-typed: a bearer credential for its few minutes) with its exp beside it. Also how
 * long the collection keeps getting its expected answers: until the first assertion that is meant to
 * be within its time passes exp plus the leeway (exp.within-leeway's, signed 100 s in the past, is
 * the first); an assertion the expiry check is meant to refuse, or with no usable exp, counts not.
 */
import { assertionVariable, type HostVariable, stableId } from './postman-collection.ts';
import type { ExportedRequest, ExportPlan } from './postman-requests.ts';

export interface EnvironmentInput {
  /** Starts with "sfjwt:" (the writer replaces only a file whose name does). */
  name: string;
  plan: ExportPlan;
  hosts: readonly HostVariable[];
  /** The served mock's admin API (its base URL and token; null for a mock without one). */
  admin?: { url: string; token: string | null };
  /** Milliseconds since the epoch: when the assertions were signed. */
  signedAt: number;
}

type Value = { key: string; value: string; type: 'default' | 'secret'; enabled: true };

const plain = (key: string, value: string): Value => ({ key, value, type: 'default', enabled: true });
const secret = (key: string, value: string): Value => ({ key, value, type: 'secret', enabled: true });

/** exp in seconds since the epoch, when the claim can be read as a time (a number, or a string of digits; milliseconds too). */
export function expSeconds(claims: Record<string, unknown>): number | undefined {
  const exp = claims['exp'];
  const n = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d{1,16}$/.test(exp) ? Number(exp) : undefined;
  if (n === undefined || !Number.isFinite(n)) return undefined;
  return n > 1e11 ? Math.floor(n / 1000) : n;
}

/** The exp as the environment shows it: the claim as signed, and the time it names. */
function expText(claims: Record<string, unknown>): string {
  if (!Object.hasOwn(claims, 'exp')) return '(no exp claim)';
  const seconds = expSeconds(claims);
  return `${JSON.stringify(claims['exp'])}${seconds === undefined ? '' : ` (${new Date(seconds * 1000).toISOString()})`}`;
}

const hasAssertion = (r: ExportedRequest): r is ExportedRequest & { request: { assertion: string } } => r.request.assertion !== undefined && r.request.assertion !== '';

export function postmanEnvironment(input: EnvironmentInput) {
  const values: Value[] = [
    ...input.hosts.map((h) => plain(h.variable, h.url)),
    ...(input.admin === undefined ? [] : [plain('admin_url', input.admin.url), secret('admin_token', input.admin.token ?? '')]),
    plain('signed_at', new Date(input.signedAt).toISOString()),
    ...input.plan.requests.filter(hasAssertion).flatMap((r) => {
      const name = assertionVariable(r.scenario.id);
      return [secret(name, r.request.assertion), plain(`${name}_exp`, expText(r.request.claims))];
    }),
  ];
  return {
    id: stableId(`environment ${input.name}`),
    name: input.name,
    values,
    _postman_variable_scope: 'environment',
    _postman_exported_at: new Date(input.signedAt).toISOString(),
    _postman_exported_using: 'sfjwt postman',
  };
}

export interface Validity {
  /** Milliseconds since the epoch: the collection gets its expected answers until then; undefined when no assertion expires. */
  until: number | undefined;
  /** The scenario whose assertion is the first to pass exp plus the leeway. */
  first: string | undefined;
}

/** Until when the signed assertions keep their answers: the earliest exp + leeway of those meant to be in time. */
export function assertionValidity(plan: ExportPlan, leewaySeconds: number): Validity {
  let until: number | undefined;
  let first: string | undefined;
  for (const r of plan.requests) {
    if (!hasAssertion(r) || r.scenario.expect.decidedBy === 'expiry') continue;
    const exp = expSeconds(r.request.claims);
    if (exp === undefined) continue;
    const end = (exp + leewaySeconds) * 1000;
    if (until === undefined || end < until) {
      until = end;
      first = r.scenario.id;
    }
  }
  return { until, first };
}
