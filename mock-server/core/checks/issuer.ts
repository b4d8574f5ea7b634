/**
 * `iss` names the connected app by its consumer key. Missing (often sent as `Iss`), unknown, the
 * consumer secret or the app's name instead of its key, or an app changed within the propagation
 * delay: all are `invalid_client_id` / `client identifier invalid`.
 */
import { type Check, fail, found, show, skip } from '../check.ts';

/** A claim sent with the wrong letter case, such as `Iss` for `iss`. */
export function miscasedClaim(payload: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(payload).find((k) => k !== name && k.toLowerCase() === name);
}

export const issuerCheck: Check = {
  id: 'issuer',
  title: 'iss is the consumer key of a known app',
  level: 'MUST',
  confidence: 'OBS+',
  description: "iss is the connected app's consumer key (Setup > App Manager > View > Manage Consumer Details). Claim names are case-sensitive. A new or changed app takes minutes to propagate.",
  outcomes: ['missingIssuer', 'invalidClientId'],
  knobs: ['propagationDelaySeconds'],
  rootCause: {
    title: 'The consumer key is not known here',
    fix: 'Copy the consumer key from Setup > App Manager > (app) > View > Manage Consumer Details; check the app exists in this org or environment; after creating or changing an app, wait up to 10 minutes.',
  },
  confirm:
    'compare iss (npx sfjwt inspect <JWT>) with the consumer key in Setup > App Manager > View > Manage Consumer Details, in the org this host serves; a new or changed app takes up to 10 minutes.',
  run(ctx, { assertion }) {
    if (assertion === undefined) return skip('no decodable assertion');
    const payload = assertion.payload;
    const expected = 'iss = the consumer key of a connected app';
    const iss = payload['iss'];
    if (iss === undefined) {
      const wrong = miscasedClaim(payload, 'iss');
      return fail(
        'missingIssuer',
        expected,
        wrong === undefined ? 'no iss claim' : `no iss claim, but a claim named ${show(wrong)}`,
        wrong === undefined ? 'Add the iss claim with the consumer key.' : `Claim names are case-sensitive: rename ${show(wrong)} to "iss".`,
      );
    }
    if (typeof iss !== 'string') return fail('invalidClientId', expected, `iss is a ${typeof iss}`, 'Send iss as a JSON string holding the consumer key.');
    const app = ctx.world.appByConsumerKey(iss);
    if (app === undefined) {
      const trimmed = ctx.world.appByConsumerKey(iss.trim());
      const bySecret = ctx.world.world.apps.find((a) => a.consumerSecret === iss);
      const byName = ctx.world.world.apps.find((a) => a.name.toLowerCase() === iss.toLowerCase());
      let fix = 'Copy the consumer key from Setup > App Manager > (the app) > View > Manage Consumer Details; check the app is in this org or this environment.';
      let actual = `iss ${show(iss.length > 24 ? `${iss.slice(0, 12)}…` : iss)}, not the consumer key of any app here`;
      if (trimmed !== undefined) fix = 'Remove the white space or line break around the consumer key.';
      if (bySecret !== undefined) {
        actual = `iss is the consumer secret of "${bySecret.name}"`;
        fix = 'Use the consumer key, not the consumer secret, as iss (and keep the secret secret).';
      }
      if (byName !== undefined) {
        actual = `iss is the name of the app "${byName.name}"`;
        fix = "Use the app's consumer key, not its name, as iss.";
      }
      return fail('invalidClientId', expected, actual, fix);
    }
    const changedAt = Date.parse(app.lastModified);
    const readyAt = changedAt + ctx.knobs.propagationDelaySeconds * 1000;
    if (ctx.now < readyAt) {
      const waited = Math.max(0, Math.round((ctx.now - changedAt) / 1000));
      return fail(
        'invalidClientId',
        `the app "${app.name}" propagated (${ctx.knobs.propagationDelaySeconds} s after its last change)`,
        `the app changed ${waited} s ago`,
        `Wait: changes to a connected app take minutes to reach every server (here ${Math.ceil((readyAt - ctx.now) / 1000)} s more). Then retry.`,
      );
    }
    return found({ app }, expected, `the consumer key of "${app.name}"`);
  },
};
