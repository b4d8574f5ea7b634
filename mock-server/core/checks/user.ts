/**
 * `sub` (or `prn`, which wins) names the user by username, looked up among the users the host can
 * log in: production orgs on login.salesforce.com, sandboxes on test.salesforce.com, one org on its
 * My Domain or site. An unknown user gets `user hasn't approved this consumer`, like an unapproved
 * one. Then the user's and the org's state: locked org, inactive user, frozen user.
 */
import type { User } from '../../world/schema.ts';
import { fail, pass, show, type Check, type TokenContext } from '../check.ts';
import { miscasedClaim } from './issuer.ts';

function servesOrg(ctx: TokenContext, user: User): boolean {
  const org = ctx.world.org(user.org);
  if (org === undefined) return false;
  switch (ctx.host.kind) {
    case 'login':
      return org.kind === 'production';
    case 'test':
      return org.kind === 'sandbox';
    default:
      return ctx.host.org === org.name;
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
  if (byEmail.length > 0) return `"${sub}" is the e-mail address of ${byEmail.length === 1 ? 'a user' : `${byEmail.length} users`}; sub must be the username (${byEmail.map((u) => `"${u.username}"`).join(', ')}).`;
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
  run(ctx) {
    if (ctx.assertion === undefined) return { verdict: 'skip', reason: 'no decodable assertion' };
    const payload = ctx.assertion.payload;
    const claim = payload['prn'] !== undefined ? 'prn' : 'sub';
    const raw = payload[claim];
    const expected = `${claim} = the username of a user served by ${ctx.host.name}`;
    if (raw === undefined) {
      const wrong = miscasedClaim(payload, 'sub');
      return fail('notApproved', expected, wrong === undefined ? 'no sub claim' : `no sub claim, but a claim named ${show(wrong)}`, wrong === undefined ? 'Add sub with the username.' : `Claim names are case-sensitive: rename ${show(wrong)} to "sub".`);
    }
    if (typeof raw !== 'string') return fail('notApproved', expected, `${claim} is a ${typeof raw}`, `Send ${claim} as a JSON string holding the username.`);
    const user = ctx.world.userByUsername(raw);
    if (user === undefined || !servesOrg(ctx, user)) return fail('notApproved', expected, `${claim} ${show(raw)}: no such user here`, whyUnknown(ctx, raw));
    ctx.user = user;
    ctx.org = ctx.world.org(user.org);
    const notes = claim === 'prn' && payload['sub'] !== undefined ? 'prn and sub both present: prn wins' : claim === 'prn' ? 'prn accepted in place of sub' : undefined;
    return pass(expected, `${show(raw)} (${user.id})`, notes);
  },
};

export const userStateCheck: Check = {
  id: 'user-state',
  title: 'User active and not frozen; org active',
  level: 'MUST',
  confidence: 'INF',
  description: 'The org must be active (not locked, closed or suspended) and the user active and not frozen.',
  outcomes: ['inactiveOrg', 'inactiveUser', 'frozenUser'],
  run(ctx) {
    if (ctx.user === undefined || ctx.org === undefined) return { verdict: 'skip', reason: 'no user identified' };
    const expected = 'an active org, an active user that is not frozen';
    if (ctx.org.status !== 'active') return fail('inactiveOrg', expected, `the org "${ctx.org.name}" is ${ctx.org.status}`, 'The org is locked, closed or suspended: contact Salesforce support or the org\'s admin.');
    if (!ctx.user.active) return fail('inactiveUser', expected, `"${ctx.user.username}" is inactive`, 'Reactivate the user (Setup > Users > Edit > Active) or use another integration user.');
    if (ctx.user.frozen) return fail('frozenUser', expected, `"${ctx.user.username}" is frozen`, 'Unfreeze the user (Setup > Users > the user > Unfreeze).');
    return pass(expected, 'active');
  },
};
