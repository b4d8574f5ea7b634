/**
 * The world a mock org serves, as JSON: orgs, connected apps / External Client Apps and users. The
 * zod schema is the single source of the shape: it validates world files (with errors that name the
 * exact field), fills defaults, gives the TypeScript types, and is the source of the JSON Schema
 * editors validate world files with (sfjwt.world.schema.json, written by scripts/write-world-schema.ts).
 * Cross-references (a user's org, an app a user approved, unique usernames and consumer keys) are
 * checked in `validate-world.ts`.
 */
import { z } from 'zod';
import { USER_ROLES } from '../../lib/roles.ts';
import { KnobsSchema } from '../core/knobs.ts';
import { isValidId18, suggestId18 } from './salesforce-id.ts';

/**
 * An 18-character Id. A wrong one carries the Id it most likely meant (`params.didYouMean`), which
 * the validator adds to its message. The JSON Schema gets the length and prefix as a pattern; the
 * checksum no JSON Schema can express.
 */
const id18 = (
  prefix: string,
  what: string, // `what` carries its article: "an organization"
) =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (!isValidId18(v)) {
        const meant = suggestId18(v);
        ctx.addIssue({ code: 'custom', message: 'expected an 18-character Salesforce Id with a valid case-checksum suffix', ...(meant === undefined ? {} : { params: { didYouMean: meant } }) });
      }
      if (!v.startsWith(prefix)) ctx.addIssue({ code: 'custom', message: `expected ${what} Id, which starts with "${prefix}"` });
    })
    .meta({
      pattern: `^${prefix}[a-zA-Z0-9]{15}$`,
      description: `The 18-character Id of ${what}: it starts with "${prefix}", and its last 3 characters record which of the first 15 are upper case.`,
    });

const handle = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: 'expected a short name of letters, digits, ".", "_" or "-"' });

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = z.string().regex(new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`), { message: 'expected an IPv4 address such as 203.0.113.10' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time of day as HH:MM (24-hour, UTC)' });

export const SiteSchema = z.strictObject({
  /** Site name as shown in Setup > Digital Experiences. */
  name: z.string().min(1),
  /** URL path prefix: `customers` serves https://<myDomain>.my.site.com/customers. */
  urlPathPrefix: z.string().regex(/^[a-zA-Z0-9_-]+$/, { message: 'expected a path prefix such as "customers" (no slashes)' }),
  id: id18('0DB', 'a site'),
});

export const OrgSchema = z.strictObject({
  /** The handle other parts of the world use to name this org. */
  name: handle,
  id: id18('00D', 'an organization'),
  kind: z.enum(['production', 'sandbox']),
  /** My Domain name: `acme` (acme.my.salesforce.com) or, for a sandbox, `acme--uat` (acme--uat.sandbox.my.salesforce.com). */
  myDomain: z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { message: 'expected a My Domain name of lower-case letters, digits and "-", such as "acme" or "acme--uat"' }),
  /** Display name of the company. */
  companyName: z.string().min(1).optional(),
  status: z.enum(['active', 'locked']).default('active'),
  /** Session timeout in seconds (Setup > Session Settings): how long an access token stays valid. */
  sessionTimeoutSeconds: z.int().min(60).max(86_400).default(7_200),
  sites: z.array(SiteSchema).default([]),
});

export const AppSchema = z.strictObject({
  /** The app's name, unique in the world; users' `approvedApps` name apps by it. */
  name: z.string().min(1),
  kind: z.enum(['connected-app', 'external-client-app']).default('connected-app'),
  /** The org where the app was created. */
  org: handle,
  /** Orgs where an External Client App is installed (its own org included unless listed otherwise). */
  installedIn: z.array(handle).optional(),
  consumerKey: z.string().regex(/^[\x21-\x7e]{8,255}$/, { message: 'expected a consumer key: 8 to 255 printable ASCII characters without spaces' }),
  consumerSecret: z.string().min(1).optional(),
  /** Certificates uploaded with "Use digital signatures": PEM text, or a path relative to the world file. */
  certificates: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'Certificates of the app ("Use digital signatures"): PEM text, or a path relative to the world file. An app without one accepts no JWT bearer login.' }),
  /** Selected OAuth scopes: api, web, id, openid, refresh_token (refresh_token, offline_access), full, … */
  scopes: z
    .array(
      z.enum(['api', 'web', 'id', 'openid', 'profile', 'email', 'address', 'phone', 'refresh_token', 'full', 'chatter_api', 'custom_permissions', 'visualforce', 'wave_api', 'cdp_api', 'sfap_api']),
    )
    .default(['api', 'refresh_token']),
  /** Permitted Users: "All users may self-authorize" or "Admin approved users are pre-authorized". */
  policy: z.enum(['self-authorize', 'admin-approved']).default('self-authorize'),
  /** Profiles admitted when the policy is admin-approved. */
  profiles: z.array(z.string().min(1)).default([]),
  /** Permission sets admitted when the policy is admin-approved. */
  permissionSets: z.array(z.string().min(1)).default([]),
  /** Callback URLs of the app's OAuth settings: where the authorize flows may send the browser back to. */
  callbackUrls: z
    .array(z.url({ protocol: /^https?$/ }))
    .default([])
    .meta({ description: 'Callback URLs (OAuth settings): the redirect_uri values /services/oauth2/authorize accepts, such as http://localhost:1717/OauthRedirect.' }),
  /** When the app was last created or changed (ISO 8601): changes take minutes to propagate. */
  lastModified: z.iso.datetime({ offset: true }).default('2024-01-01T00:00:00Z'),
});

export const UserSchema = z.strictObject({
  id: id18('005', 'a user'),
  /** The login username (an e-mail-shaped string, unique across all of Salesforce). */
  username: z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: 'expected a username shaped like an e-mail address, such as "ana@acme.com"' }),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: 'expected an e-mail address' }),
  firstName: z.string().default(''),
  lastName: z.string().min(1),
  org: handle,
  profile: z.string().min(1).default('Standard User'),
  permissionSets: z.array(z.string().min(1)).default([]),
  active: z.boolean().default(true),
  frozen: z.boolean().default(false),
  /** Apps this user approved (by app name), which "All users may self-authorize" requires. */
  approvedApps: z.array(z.string().min(1)).default([]),
  /** Login IP ranges of the user's profile; empty means no restriction. */
  loginIpRanges: z.array(z.strictObject({ start: ipv4, end: ipv4 })).default([]),
  /** Login hours of the user's profile, in UTC; absent means any time. */
  loginHours: z.strictObject({ start: hhmm, end: hhmm }).optional(),
  /** The user's password, for the login page of the authorize flows; never logged, never in a report. */
  password: z.string().min(8).optional().meta({ description: "The user's password for the mock's login page (authorize flows): 8 characters or more. Never logged or reported." }),
  /** The scenario role this user plays (`default` logs in; `frozen`, `sandbox`, …): targets find users by it. */
  role: z.enum(USER_ROLES).optional(),
  /** A note for trainers: the situation this user is there to show ("logs in", "frozen", …). Free text. */
  situation: z.string().optional(),
});

/** The type of a field of a data object the world declares (see DataObjectSchema). */
export const DATA_FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'datetime'] as const;

/**
 * Object and field API names, checked in validate-world.ts: the maps are objects with a catch-all
 * rather than records, as the JSON Schema of record keys would need `propertyNames`.
 */
export const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A data object served to SOQL and describe (read-only): its fields, its records and/or records made from a seed. */
export const DataObjectSchema = z.strictObject({
  /** The label describe gives; the API name when absent. */
  label: z.string().min(1).optional(),
  /** Field API names (letters, digits and "_", starting with a letter) and their types; every record also gets an `Id`. */
  fields: z.object({}).catchall(z.enum(DATA_FIELD_TYPES)).default({}),
  /** Records, by field API name (dates as YYYY-MM-DD, datetimes as ISO 8601); an `Id` is derived unless given. */
  records: z.array(z.object({}).catchall(fieldValue)).default([]),
  /** More records made with faker from a seed, after the listed ones: the same seed gives the same records. */
  generate: z.strictObject({ count: z.int().min(1).max(100_000), seed: z.int().default(1) }).optional(),
});

export const WorldSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .meta({ description: 'The JSON Schema of world files, for editors: "./node_modules/sfjwt/sfjwt.world.schema.json" in a world file at the root of a project that depends on sfjwt.' }),
    /** A note for readers of the file; `sfjwt world` says in it whose certificate the apps hold. */
    $comment: z.string().optional().meta({ description: 'A note for readers of the file; sfjwt ignores it.' }),
    /** Format version of world files. */
    version: z.literal(1).default(1),
    /** The seed the world was generated from, if it was. */
    seed: z.int().optional(),
    orgs: z.array(OrgSchema).min(1, { message: 'a world needs at least one org' }),
    apps: z.array(AppSchema).default([]),
    users: z.array(UserSchema).default([]),
    /** Data objects by API name (Account, Invoice__c, …) with records, served read-only to SOQL and describe by every org. */
    objects: z.object({}).catchall(DataObjectSchema).optional(),
    /** Behaviour knobs for this world (see docs/knobs.md); unset knobs keep their defaults. */
    knobs: KnobsSchema.partial().optional(),
  })
  .meta({
    title: 'sfjwt world',
    description: 'The orgs, apps and users a mock Salesforce org serves (npx sfjwt serve --world FILE). npx sfjwt world prints a complete one; npx sfjwt world --check FILE names every wrong field.',
  });

export type Site = z.infer<typeof SiteSchema>;
export type Org = z.infer<typeof OrgSchema>;
export type App = z.infer<typeof AppSchema>;
export type User = z.infer<typeof UserSchema>;
export type DataObject = z.infer<typeof DataObjectSchema>;
export type World = z.infer<typeof WorldSchema>;
/** A world as written in a file: every field with a default may be left out. */
export type WorldInput = z.input<typeof WorldSchema>;

/** The JSON Schema of a world file as written (defaults may be left out): sfjwt.world.schema.json. */
export function worldJsonSchema(): unknown {
  return z.toJSONSchema(WorldSchema, { io: 'input' });
}
