/**
 * A successful grant as data: the access token (the org Id, `!AQ`, and 94 random characters), the
 * fields of the token response in Salesforce's order, and the session it opens. The random source
 * is drawn in a fixed order (token, then signature) so a seeded org replays its tokens.
 */
import { myDomainHost } from '../../world/hosts.ts';
import type { App, Org, User } from '../../world/schema.ts';
import type { TokenFacts } from '../check.ts';
import type { Random } from '../clock.ts';
import type { Knobs } from '../knobs.ts';
import type { Session } from '../sessions.ts';
import type { Changes, TokenAnswer } from './decision.ts';
import type { TokenRequest } from './request.ts';

export const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

export interface Grantee {
  readonly user: User;
  readonly org: Org;
  readonly app: App;
}

/** A new access token of `org`: its Id, `!AQ`, and 94 random characters. */
export function newAccessToken(org: Org, random: Random): string {
  return `${org.id.slice(0, 15)}!AQ${random.string(94, TOKEN_ALPHABET)}`;
}

/** The `signature` field of a token response. */
export function newSignature(random: Random): string {
  return Buffer.from(random.string(32, TOKEN_ALPHABET)).toString('base64');
}

/** The session a new access token opens: it ends after the org's session timeout (or the knob's) without use. */
export function newSession(who: Grantee, knobs: Pick<Knobs, 'sessionTimeoutSeconds'>, now: number): Session {
  const timeout = knobs.sessionTimeoutSeconds ?? who.org.sessionTimeoutSeconds;
  return { userId: who.user.id, orgId: who.org.id, app: who.app.name, issuedAt: now, expiresAt: now + timeout * 1000 };
}

export function grant(request: TokenRequest, facts: TokenFacts, who: Grantee, knobs: Knobs, random: Random, now: number): { answer: TokenAnswer; session: NonNullable<Changes['session']> } {
  const { user, org, app } = who;
  const token = newAccessToken(org, random);
  const fields: [string, string][] = [['access_token', token]];
  if (knobs.issuedAtAndSignature) fields.push(['signature', newSignature(random)]);
  fields.push(
    ['scope', app.scopes.filter((s) => s !== 'refresh_token').join(' ')],
    ['instance_url', request.urls.baseUrl(myDomainHost(org))],
    ['id', `${request.urls.baseUrl(request.host.name)}${request.sitePrefix ?? ''}/id/${org.id}/${user.id}`],
    ['token_type', 'Bearer'],
  );
  if (knobs.issuedAtAndSignature) fields.push(['issued_at', String(now)]);
  if (facts.community !== undefined) fields.push(['sfdc_community_url', facts.community.url], ['sfdc_community_id', facts.community.id]);
  return {
    answer: { kind: 'token', status: 200, accessToken: token, fields },
    session: { token, session: newSession(who, knobs, now), rateLimit: knobs.loginRatePerHour },
  };
}
