/**
 * A scenario's request against a mock served elsewhere (`serve --json` / `--ready-file`): the
 * RequestContext its roles give (the same one the runner's remote mock target builds, so a role means
 * here what it means in a run) and the assertion its mistakes make, signed as the run signs it
 * (src/client/build-request.ts: claims -> header -> payload text -> signature). What `sign --scenario`
 * prints and what the field guide's reproductions post. The served mock's world is the default
 * training ground of the default seed: its consumer keys, usernames and hosts are known here without
 * asking the mock, and a mock serving another world is refused rather than signed for wrongly.
 */
import { z } from 'zod';
import { UsageError } from '../../lib/errors.ts';
import { INPUT_LIMITS, readInputText } from '../../lib/read-input-file.ts';
import { readServeLine } from '../../lib/serve-line.ts';
import { ADMIN_PREFIX } from '../../mock-server/admin/prefix.ts';
import { DEFAULT_APPS, DEFAULT_SEED, defaultWorld } from '../../mock-server/world/default-world.ts';
import type { World } from '../../mock-server/world/schema.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { buildClaimsStep, buildHeaderStep, payloadTextStep, type RequestContext, signStep } from '../client/build-request.ts';
import { remoteMockTarget } from '../runner/mock-target.ts';

/** The part of a served mock's JSON line a scenario's request needs. */
export const ServedMockLine = z.object({
  hosts: z.record(z.string(), z.string()),
  admin: z.string().endsWith(ADMIN_PREFIX),
  consumerKey: z.string().min(1),
  privateKeyFile: z.string().min(1),
  certificateFile: z.string().min(1),
  ca: z.string().min(1).nullable().optional(),
  adminToken: z.string().nullable().optional(),
});
export type ServedMockLine = z.infer<typeof ServedMockLine>;

/**
 * The served training ground: its world (the default seed's) with the certificate it serves; without
 * one, its apps carry none (enough for roles, hosts and claims, which is all the guide needs).
 */
export function servedWorld(certificatePem?: string): World {
  const world = defaultWorld({ seed: DEFAULT_SEED, certificatePem: certificatePem ?? '' });
  return certificatePem === undefined ? { ...world, apps: world.apps.map((a) => ({ ...a, certificates: [] })) } : world;
}

const LINE_ACTIONS = ['Give the file of npx sfjwt serve --ready-file FILE (or the line serve --json prints, saved to a file), of a mock serving the default world.'];

/** The served mock's line, read from `path` (already resolved against the working folder). */
export function readServedLine(path: string): ServedMockLine {
  return readServeLine(path, ServedMockLine, LINE_ACTIONS);
}

/** The served mock of the file at `path`: its line, the training ground it serves (with its certificate) and the key to sign for it. */
export function readServedMock(path: string): { line: ServedMockLine; world: World; privateKeyPem: string } {
  const line = readServedLine(path);
  const privateKeyPem = readInputText(line.privateKeyFile, { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial });
  const world = servedWorld(readInputText(line.certificateFile, { what: 'certificate file', maxBytes: INPUT_LIMITS.keyMaterial }));
  return { line, world, privateKeyPem };
}

/** The scenario of that id, or a usage error that says where the ids are listed. */
export function scenarioById(id: string): Scenario {
  const found = catalogue().find((s) => s.id === id);
  if (found === undefined) throw new UsageError(`no scenario "${id}" in the catalogue`, { actions: ['npx sfjwt scenarios lists every id.'] });
  return found;
}

/**
 * The context a scenario's roles give against the served mock: its URLs as the mock's line names
 * them, `now` as given. Refuses a mock whose default app is not the training ground's (a world
 * file, or serve --seed), since its users and apps are not the ones the roles name here.
 */
export function scenarioContext(s: Scenario, mock: { hosts: Record<string, string>; admin: string; consumerKey: string }, world: World, privateKeyPem: string, now: number): RequestContext {
  const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
  if (app?.consumerKey !== mock.consumerKey) {
    throw new UsageError("the served mock does not serve the default training ground (its app's consumer key differs), so a scenario's roles name nobody there", {
      actions: ['Serve the default world with the default seed: npx sfjwt serve --detach --ready-file mock.json (no --world, no --seed).'],
    });
  }
  // The runner's remote target takes an HTTPS mock only (its scenarios count on the tls check); a
  // mock served with --http is named as HTTPS to it, and its URLs are given back as they are.
  const plain = Object.values(mock.hosts).some((u) => u.startsWith('http://'));
  const hosts = Object.fromEntries(Object.entries(mock.hosts).map(([name, url]) => [name, url.replace(/^http:/, 'https:')]));
  const target = remoteMockTarget({ hosts, admin: mock.admin.replace(/^http:/, 'https:'), caPem: null, world, privateKeyPem }, { clock: { now: () => now, sleep: async () => undefined } });
  const ctx = target.context(s);
  if ('skip' in ctx) throw new UsageError(`the scenario ${s.id} cannot be made against this mock: ${ctx.skip}`);
  return plain ? { ...ctx, hostUrl: (role) => ctx.hostUrl(role)?.replace(/^https:/, 'http:') } : ctx;
}

/** The assertion the scenario sends: its claims, header, payload and signature mistakes applied. */
export function scenarioAssertion(s: Scenario, ctx: RequestContext): string {
  const claims = buildClaimsStep(ctx, s.mistakes);
  const header = buildHeaderStep(ctx, s.mistakes);
  return signStep(header, payloadTextStep(claims, s.mistakes), ctx, s.mistakes);
}

/** Whether the scenario's request carries an assertion at all (a form mistake may drop it or set it). */
export function sendsAssertion(s: Scenario): boolean {
  return !s.mistakes.some((m) => m.at === 'form' && (m.remove?.includes('assertion') === true || m.set?.['assertion'] !== undefined));
}
