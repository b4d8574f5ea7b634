/**
 * The identity service: `GET /id/<org>/<user>` and OpenID `GET /services/oauth2/userinfo`, with the
 * documented fields and `urls` map. Without `?version=` the API URLs carry the literal `{version}`;
 * `?version=NN.0` (or `latest`) puts that version in. `format` (json, xml) wins over `Accept`, whose
 * list is read left to right (`*\/*` is JSON; urlencoded is accepted there too); JSON is the default.
 */
import type { Org, User } from '../../world/schema.ts';
import { LATEST_API_VERSION } from './versions.ts';

export type IdentityFormat = 'json' | 'xml' | 'urlencoded';

export const IDENTITY_CONTENT_TYPES: Record<IdentityFormat, string> = {
  json: 'application/json;charset=UTF-8',
  xml: 'application/xml;charset=UTF-8',
  urlencoded: 'application/x-www-form-urlencoded;charset=UTF-8',
};

/** The format an identity request asks for: `format` first, then the `Accept` list left to right. */
export function identityFormat(format: string | null, accept: string | null): IdentityFormat {
  const f = format?.trim().toLowerCase();
  if (f === 'json' || f === 'xml') return f;
  for (const item of (accept ?? '').split(',')) {
    const type = item.split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'application/json' || type === '*/*') return 'json';
    if (type === 'application/xml') return 'xml';
    if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  }
  return 'json';
}

/** What stands for the version in the API URLs: `{version}`, or `NN.0` for `?version=NN[.0]` / `latest`. */
export function urlVersion(param: string | null): string {
  if (param === null) return '{version}';
  const p = param.trim().toLowerCase();
  if (p === 'latest') return `${LATEST_API_VERSION}.0`;
  const m = /^(\d{1,3})(?:\.0)?$/.exec(p);
  return m === null ? '{version}' : `${Number(m[1])}.0`;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function urls(user: User, org: Org, base: string, v: string): Record<string, string> {
  const rest = (p: string) => `${base}/services/data/v${v}/${p}`;
  return {
    enterprise: `${base}/services/Soap/c/${v}/${org.id}`,
    metadata: `${base}/services/Soap/m/${v}/${org.id}`,
    partner: `${base}/services/Soap/u/${v}/${org.id}`,
    rest: rest(''),
    sobjects: rest('sobjects/'),
    search: rest('search/'),
    query: rest('query/'),
    recent: rest('recent/'),
    tooling_soap: `${base}/services/Soap/T/${v}/${org.id}`,
    tooling_rest: rest('tooling/'),
    profile: `${base}/${user.id}`,
    feeds: rest('chatter/feeds'),
    groups: rest('chatter/groups'),
    users: rest('chatter/users'),
    feed_items: rest('chatter/feed-items'),
    feed_elements: rest('chatter/feed-elements'),
    custom_domain: base,
  };
}

const nick = (user: User) => user.username.split('@')[0] ?? user.username;
const fullName = (user: User) => `${user.firstName} ${user.lastName}`.trim();

/** The identity URL's answer for `user` of `org`; `base` is the org's My Domain, `v` what urlVersion gave. */
export function identityBody(user: User, org: Org, base: string, idUrl: string, v: string): { [k: string]: Json } {
  return {
    id: idUrl,
    asserted_user: true,
    user_id: user.id,
    organization_id: org.id,
    username: user.username,
    nick_name: nick(user),
    display_name: fullName(user),
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(user, org, base, v),
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28_800_000,
    last_modified_date: '2024-01-01T00:00:00.000+0000',
    is_app_installed: true,
  };
}

/** The UserInfo endpoint's answer: OpenID Connect claims plus Salesforce's ids, photos and urls. */
export function userInfoBody(user: User, org: Org, base: string, idUrl: string, v: string): { [k: string]: Json } {
  return {
    sub: idUrl,
    user_id: user.id,
    organization_id: org.id,
    preferred_username: user.username,
    nickname: nick(user),
    name: fullName(user),
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    profile: `${base}/${user.id}`,
    picture: `${base}/profilephoto/005/F`,
    address: {},
    is_salesforce_integration_user: false,
    urls: urls(user, org, base, v),
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28_800_000,
    updated_at: '2024-01-01T00:00:00Z',
    is_app_installed: true,
  };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xmlValue(name: string, value: Json): string {
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object' && !Array.isArray(value))
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => xmlValue(k, v))
      .join('')}</${name}>`;
  if (Array.isArray(value)) return value.map((v) => xmlValue(name, v)).join('');
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function flatten(prefix: string, value: Json, out: [string, string][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix === '' ? k : `${prefix}.${k}`, v, out);
  } else out.push([prefix, value === null ? '' : Array.isArray(value) ? value.join(',') : String(value)]);
}

/** The body in the asked format: compact JSON, XML under `<user>`, or form fields with dotted names. */
export function serialiseIdentity(body: { [k: string]: Json }, format: IdentityFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(body);
    case 'xml':
      return `<?xml version="1.0" encoding="UTF-8"?><user xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${Object.entries(body)
        .map(([k, v]) => xmlValue(k, v))
        .join('')}</user>`;
    case 'urlencoded': {
      const out: [string, string][] = [];
      flatten('', body, out);
      return new URLSearchParams(out).toString();
    }
  }
}
