/**
 * Who may log in through the app: the profile's login IP ranges and hours (always enforced for the
 * JWT flow), the per-user login rate, and the app's access policy: "All users may self-authorize"
 * needs the user's approval (with the refresh_token scope), "Admin approved users are pre-authorized"
 * needs the profile or a permission set, and an External Client App must be installed in the org.
 */
import { type Check, fail, pass, skip, type TokenContext, type TokenFacts } from '../check.ts';

function ipToNumber(ip: string): number | undefined {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  const parts = v4.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const b = Number(p);
    if (!Number.isInteger(b) || b < 0 || b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

function minutesOfDay(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export const ipRestrictionCheck: Check = {
  id: 'ip-restriction',
  title: "Caller within the profile's login IP ranges and hours",
  level: 'MUST',
  confidence: 'DOC',
  description: "Login IP ranges and login hours on the user's profile are always enforced for the JWT Bearer flow, whatever the app's IP relaxation.",
  outcomes: ['ipRestricted'],
  knobs: [],
  rootCause: {
    title: "The caller is outside the profile's login IP ranges or hours",
    fix: "Add the caller's IP to the profile's Login IP Ranges (always enforced for JWT), or call from an allowed address and time.",
  },
  confirm: "compare the caller's public IP and the time with the profile's Login IP Ranges and Login Hours.",
  run(ctx, { user }) {
    if (user === undefined) return skip('no user identified');
    const ranges = user.loginIpRanges;
    if (ranges.length > 0) {
      const expected = `an IP in ${ranges.map((r) => `${r.start}-${r.end}`).join(', ')}`;
      const ip = ipToNumber(ctx.clientIp);
      const inside = ip !== undefined && ranges.some((r) => ip >= (ipToNumber(r.start) ?? 0) && ip <= (ipToNumber(r.end) ?? -1));
      if (!inside)
        return fail(
          'ipRestricted',
          expected,
          `caller IP ${ctx.clientIp}`,
          `Call from an address in the profile's Login IP Ranges, or add this address (${ctx.clientIp}) to them (Setup > Profiles > ${user.profile} > Login IP Ranges).`,
        );
    }
    if (user.loginHours !== undefined) {
      const now = new Date(ctx.now);
      const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
      const start = minutesOfDay(user.loginHours.start);
      const end = minutesOfDay(user.loginHours.end);
      const inside = start <= end ? minute >= start && minute < end : minute >= start || minute < end;
      if (!inside) {
        return fail(
          'ipRestricted',
          `a login between ${user.loginHours.start} and ${user.loginHours.end} UTC`,
          `a login at ${now.toISOString().slice(11, 16)} UTC`,
          `Log in within the profile's Login Hours, or widen them (Setup > Profiles > ${user.profile} > Login Hours).`,
        );
      }
    }
    return pass('no IP or hours restriction, or a caller within it', `caller IP ${ctx.clientIp}`);
  },
};

export const rateLimitCheck: Check = {
  id: 'rate-limit',
  title: 'User under the login rate limit',
  level: 'SHOULD',
  confidence: 'OBS+',
  description: 'About 3,600 logins per user per hour; past it Salesforce answers `login rate exceeded` until the hour rolls on.',
  outcomes: ['rateExceeded'],
  knobs: ['loginRatePerHour'],
  rootCause: { title: 'Too many logins for this user this hour', fix: 'Reuse the access token until it expires instead of logging in per call; wait for the hour to roll on.' },
  confirm: 'count the logins per hour: a client that logs in per call instead of reusing the access token reaches the limit.',
  run(ctx, { user }) {
    if (user === undefined) return skip('no user identified');
    const limit = ctx.knobs.loginRatePerHour;
    const count = ctx.recentLogins(user.id);
    if (limit === null) return pass('no limit (knob off)', `${count} logins in the last hour`);
    if (count >= limit) {
      return fail(
        'rateExceeded',
        `fewer than ${limit} logins in the last hour`,
        `${count} logins in the last hour`,
        'Reuse the access token until it expires instead of logging in for every call; wait for the hour to roll on.',
      );
    }
    return pass(`fewer than ${limit} logins in the last hour`, `${count} logins in the last hour`);
  },
};

function appAccess(ctx: TokenContext, { app, user, audienceIsLoginHost }: TokenFacts) {
  if (app === undefined || user === undefined) return undefined;
  if (app.kind === 'external-client-app') {
    const installed = app.installedIn ?? [app.org];
    if (!installed.includes(user.org)) {
      return fail(
        'appNotFound',
        `"${app.name}" installed in the org "${user.org}"`,
        `installed in ${installed.map((o) => `"${o}"`).join(', ')}`,
        `Install the External Client App in this org (Setup > External Client App Manager), or deploy it with its settings to the sandbox.`,
      );
    }
    if (audienceIsLoginHost === true && ctx.knobs.ecaRequiresMyDomainAudience) {
      return fail(
        'appNotFound',
        "aud = the org's My Domain URL",
        'aud = login.salesforce.com or test.salesforce.com',
        'External Client Apps take the My Domain URL (https://<domain>.my.salesforce.com) as aud; post to the My Domain too.',
      );
    }
  }
  if (app.policy === 'self-authorize') {
    const expected = `"${user.username}" approved "${app.name}" with the refresh_token scope`;
    if (!user.approvedApps.includes(app.name)) {
      return fail(
        'notApproved',
        expected,
        'the user never approved the app',
        `Approve it once: log in as the user through the web-server flow with the refresh_token scope, or set Permitted Users to "Admin approved users are pre-authorized" and admit the user's profile (${user.profile}) or a permission set.`,
      );
    }
    if (!app.scopes.includes('refresh_token')) {
      return fail(
        'notApproved',
        expected,
        'the app does not have the refresh_token scope, so no approval counts',
        'Add "Perform requests at any time (refresh_token, offline_access)" to the app\'s OAuth scopes, then approve it again.',
      );
    }
    return pass(expected, 'approved');
  }
  const expected = `profile in [${app.profiles.join(', ')}] or permission set in [${app.permissionSets.join(', ')}]`;
  const admitted = app.profiles.includes(user.profile) || user.permissionSets.some((p) => app.permissionSets.includes(p));
  if (!admitted) {
    return fail(
      'notAdminApproved',
      expected,
      `profile "${user.profile}", permission sets [${user.permissionSets.join(', ')}]`,
      `Admit the user: Setup > App Manager > "${app.name}" > Manage > Profiles (add "${user.profile}") or Permission Sets.`,
    );
  }
  return pass(expected, `profile "${user.profile}"`);
}

export const appAccessCheck: Check = {
  id: 'app-access',
  title: 'User may use the app',
  level: 'MUST',
  confidence: 'OBS+',
  description:
    "Self-authorize apps need the user's prior approval with the refresh_token scope; admin-approved apps need the user's profile or a permission set admitted; External Client Apps must be installed in the org.",
  outcomes: ['notApproved', 'notAdminApproved', 'appNotFound'],
  knobs: ['ecaRequiresMyDomainAudience'],
  rootCause: {
    title: 'The user may not use this app',
    fix: 'Self-authorize apps: approve once as the user (web-server flow with the refresh_token scope). Admin-approved apps: Setup > App Manager > (app) > Manage > Profiles or Permission Sets. External Client Apps: install the app in this org.',
  },
  confirm:
    'the username is right and the user is active: for a self-authorize app, has the user approved it (with the refresh_token scope)? For an admin-approved app, is the profile or a permission set admitted (Manage > Profiles, Permission Sets)? Is the External Client App installed in this org?',
  run(ctx, facts) {
    return appAccess(ctx, facts) ?? skip(facts.app === undefined ? 'no app identified' : 'no user identified');
  },
};
