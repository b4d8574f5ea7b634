/**
 * `sub` (or `prn`, which wins) names the user by username, looked up among the users the host can
 * log in: production orgs on login.salesforce.com, sandboxes on test.salesforce.com, one org on its
 * My Domain or site. An unknown user gets `user hasn't approved this consumer`, like an unapproved
 * one. Then the user's and the org's state: locked org, inactive user, frozen user.
 */
import type { Org, User } from '../../world/schema.ts';
import { type Check, fail, found, pass, show, skip, type TokenContext } from '../check.ts';
import { miscasedClaim } from './issuer.ts';

/** The user's org when this host logs that org's users in. */
function servedOrg(ctx: TokenContext, user: User): Org | undefined {
  const org = ctx.world.org(user.org);
  if (org === undefined) return undefined;
  switch (ctx.host.kind) {
    case 'login':
      return org.kind === 'production' ? org : undefined;
    case 'test':
      return org.kind === 'sandbox' ? org : undefined;
    default:
      return ctx.host.org === org.name ? org : undefined;
  }
}

function whyUnknown(ctx: TokenContext, sub: string): string {
  const elsewhere = ctx.world.userByUsername(sub);
  if (elsewhere !== undefined) {
    const org = ctx.world.org(elsewhere.org);
    if (org?.kind === 'sandbox') return `"${sub}" is a sandbox user: post to https://test.salesforce.com (aud https://test.salesforce.com) or to the sandbox's My Domain.`;
    return `"${sub}" is a user of the production org "${org?.name ?? elsewhere.org}": post to https://login.salesforce.com or that org's My Domain.`;
  }
  const byEmail = ctx.world.usersByEmailAddress(sub);
  if (byEmail.length > 0)
    return `"${sub}" is the e-mail address of ${byEmail.length === 1 ? 'a user' : `${byEmail.length} users`}; sub must be the username (${byEmail.map((u) => `"${u.username}"`).join(', ')}).`;
  const byId = ctx.world.userById(sub);
  if (byId !== undefined) return `"${sub}" is a user Id; sub must be the username ("${byId.username}").`;
  if (ctx.host.kind === 'login' && /@[^@]+\.[a-z0-9]+\.[a-z0-9]+$/i.test(sub)) return 'Usernames with a sandbox suffix (such as .uat) belong to sandboxes: use test.salesforce.com.';
  return 'Set sub to the username (Setup > Users), exactly as in the org this host serves; a new sandbox may not be copied yet.';
}

export const userCheck: Check = {
  id: 'user',
  title: 'sub is a user of this environment',
  level: 'MUST',
  confidence: 'OBS+',
  description: 'sub (or prn) is the username of a user in the org(s) this host serves: production on login, sandboxes on test. Not the e-mail, not the Id.',
  outcomes: ['notApproved'],
  knobs: [],
  rootCause: {
    title: 'The username is not a user of this environment',
    fix: 'sub is the username of a user in the org behind this host: production users at login.salesforce.com, sandbox users at test.salesforce.com.',
  },
  confirm:
    'the username is not a user of the org(s) behind the host: check its spelling against Setup > Users (the username, not the e-mail or Id; npx sfjwt inspect <JWT> flags an Id) and the environment (a sandbox username such as name@acme.com.uat logs in at test.salesforce.com).',
  run(ctx, { assertion }) {
    if (assertion === undefined) return skip('no decodable assertion');
    const payload = assertion.payload;
    const claim = payload['prn'] !== undefined ? 'prn' : 'sub';
    const raw = payload[claim];
    const expected = `${claim} = the username of a user served by ${ctx.host.name}`;
    if (raw === undefined) {
      const wrong = miscasedClaim(payload, 'sub');
      return fail(
        'notApproved',
        expected,
        wrong === undefined ? 'no sub claim' : `no sub claim, but a claim named ${show(wrong)}`,
        wrong === undefined ? 'Add sub with the username.' : `Claim names are case-sensitive: rename ${show(wrong)} to "sub".`,
      );
    }
    if (typeof raw !== 'string') return fail('notApproved', expected, `${claim} is a ${typeof raw}`, `Send ${claim} as a JSON string holding the username.`);
    const user = ctx.world.userByUsername(raw);
    const org = user === undefined ? undefined : servedOrg(ctx, user);
    if (user === undefined || org === undefined) return fail('notApproved', expected, `${claim} ${show(raw)}: no such user here`, whyUnknown(ctx, raw));
    const notes = claim === 'prn' && payload['sub'] !== undefined ? 'prn and sub both present: prn wins' : claim === 'prn' ? 'prn accepted in place of sub' : undefined;
    return found({ user, org }, expected, `${show(raw)} (${user.id})`, notes);
  },
};

export const userStateCheck: Check = {
  id: 'user-state',
  title: 'User active and not frozen; org active',
  level: 'MUST',
  confidence: 'INF',
  description: 'The org must be active (not locked, closed or suspended) and the user active and not frozen.',
  outcomes: ['inactiveOrg', 'inactiveUser', 'frozenUser'],
  knobs: [],
  rootCause: {
    title: 'The user or the org is not active',
    fix: 'Reactivate or unfreeze the user (Setup > Users), or use an active integration user; a locked org needs its admin or Salesforce support.',
  },
  confirm: 'Setup > Users shows the user Inactive or Frozen; a locked, closed or suspended org answers inactive_org.',
  run(_ctx, { user, org }) {
    if (user === undefined || org === undefined) return skip('no user identified');
    const expected = 'an active org, an active user that is not frozen';
    if (org.status !== 'active')
      return fail('inactiveOrg', expected, `the org "${org.name}" is ${org.status}`, "The org is locked, closed or suspended: contact Salesforce support or the org's admin.");
    if (!user.active) return fail('inactiveUser', expected, `"${user.username}" is inactive`, 'Reactivate the user (Setup > Users > Edit > Active) or use another integration user.');
    if (user.frozen) return fail('frozenUser', expected, `"${user.username}" is frozen`, 'Unfreeze the user (Setup > Users > the user > Unfreeze).');
    return pass(expected, 'active');
  },
};
