/**
 * The objects SOQL and describe see, derived on each query from the current world and the org's
 * state (read-only): Organization, User, UserLogin, Profile, PermissionSet, PermissionSetAssignment,
 * ConnectedApplication, SetupEntityAccess, OauthToken and LoginHistory of the session's org, plus the
 * data objects the world file declares (`objects`). Each object has its API name, key prefix and
 * fields (API spelling, type, reference target); rows are plain maps by API field name with values as
 * the REST API writes them (datetimes `2024-01-01T00:00:00.000+0000`). Ids the world does not give are
 * derived from names, so the same world gives the same Ids.
 */
import { seededFaker } from '../../world/generate.ts';
import { makeId } from '../../world/salesforce-id.ts';
import type { App, DataObject, Org, User, World } from '../../world/schema.ts';
import type { LoginHistory } from '../login-history.ts';

export type FieldType = 'id' | 'string' | 'email' | 'boolean' | 'double' | 'int' | 'date' | 'datetime' | 'reference' | 'picklist';
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** For a reference: the object it points to and the name of the relationship (`ProfileId` → `Profile`). */
  referenceTo?: string;
  relationshipName?: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  fields: readonly FieldDef[];
  /** Field by lower-case API name (SOQL names are case-insensitive). */
  byName: ReadonlyMap<string, FieldDef>;
  /** Reference field by lower-case relationship name. */
  byRelationship: ReadonlyMap<string, FieldDef>;
}

/** What the rows are derived from: the world now, the session's org, the org's Login History. */
export interface SourceState {
  world: World;
  org: Org;
  loginHistory: LoginHistory;
}

/** The date every derived record was created (the world records no creation dates). */
const CREATED = '2024-01-01T00:00:00.000+0000';

function label(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
}

function define(name: string, keyPrefix: string, fields: readonly (readonly [string, FieldType, string?])[], custom = false, objectLabel?: string): ObjectDef {
  const defs: FieldDef[] = fields.map(([n, type, ref]) => {
    const def: FieldDef = { name: n, type, label: n === 'Id' ? `${objectLabel ?? label(name)} ID` : label(n.replace(/Id$/, type === 'reference' ? ' ID' : 'Id')) };
    if (type === 'reference' && ref !== undefined) {
      def.referenceTo = ref;
      def.relationshipName = n.replace(/Id$/, '');
    }
    return def;
  });
  const objLabel = objectLabel ?? label(name);
  return {
    name,
    label: objLabel,
    labelPlural: objLabel.endsWith('s') ? objLabel : `${objLabel}s`,
    keyPrefix,
    custom,
    fields: defs,
    byName: new Map(defs.map((f) => [f.name.toLowerCase(), f])),
    byRelationship: new Map(defs.filter((f) => f.relationshipName !== undefined).map((f) => [(f.relationshipName as string).toLowerCase(), f])),
  };
}

const STANDARD: readonly ObjectDef[] = [
  define('Organization', '00D', [
    ['Id', 'id'],
    ['Name', 'string'],
    ['IsSandbox', 'boolean'],
    ['OrganizationType', 'picklist'],
    ['InstanceName', 'string'],
    ['NamespacePrefix', 'string'],
    ['TrialExpirationDate', 'datetime'],
    ['CreatedDate', 'datetime'],
  ]),
  define('User', '005', [
    ['Id', 'id'],
    ['Username', 'string'],
    ['Email', 'email'],
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Name', 'string'],
    ['IsActive', 'boolean'],
    ['ProfileId', 'reference', 'Profile'],
    ['UserType', 'picklist'],
    ['LastLoginDate', 'datetime'],
    ['CreatedDate', 'datetime'],
  ]),
  define('UserLogin', '060', [
    ['Id', 'id'],
    ['UserId', 'reference', 'User'],
    ['IsFrozen', 'boolean'],
    ['IsPasswordLocked', 'boolean'],
  ]),
  define('Profile', '00e', [
    ['Id', 'id'],
    ['Name', 'string'],
    ['UserType', 'picklist'],
  ]),
  define('PermissionSet', '0PS', [
    ['Id', 'id'],
    ['Name', 'string'],
    ['Label', 'string'],
    ['IsOwnedByProfile', 'boolean'],
    ['ProfileId', 'reference', 'Profile'],
  ]),
  define('PermissionSetAssignment', '0Pa', [
    ['Id', 'id'],
    ['AssigneeId', 'reference', 'User'],
    ['PermissionSetId', 'reference', 'PermissionSet'],
  ]),
  define(
    'ConnectedApplication',
    '0H4',
    [
      ['Id', 'id'],
      ['Name', 'string'],
      ['OptionsAllowAdminApprovedUsersOnly', 'boolean'],
      ['OptionsRefreshTokenValidityMetric', 'boolean'],
      ['CreatedDate', 'datetime'],
      ['LastModifiedDate', 'datetime'],
    ],
    false,
    'Connected App',
  ),
  define('SetupEntityAccess', '0J0', [
    ['Id', 'id'],
    ['ParentId', 'reference', 'PermissionSet'],
    ['SetupEntityId', 'reference', 'ConnectedApplication'],
    ['SetupEntityType', 'picklist'],
  ]),
  define(
    'OauthToken',
    '0CQ',
    [
      ['Id', 'id'],
      ['UserId', 'reference', 'User'],
      ['AppName', 'string'],
      ['CreatedDate', 'datetime'],
      ['LastUsedDate', 'datetime'],
      ['UseCount', 'int'],
    ],
    false,
    'OAuth Token',
  ),
  define('LoginHistory', '0Ya', [
    ['Id', 'id'],
    ['UserId', 'reference', 'User'],
    ['LoginTime', 'datetime'],
    ['Status', 'string'],
    ['LoginType', 'picklist'],
    ['Application', 'string'],
    ['SourceIp', 'string'],
    ['LoginUrl', 'string'],
  ]),
];

/** Key prefixes of the standard objects a world may declare; custom ones get `a00`, `a01`, …. */
const DATA_PREFIXES: Record<string, string> = { account: '001', contact: '003', opportunity: '006', lead: '00Q', case: '500', product2: '01t', campaign: '701', task: '00T', event: '00U' };

const DATA_TYPES: Record<string, FieldType> = { string: 'string', number: 'double', boolean: 'boolean', date: 'date', datetime: 'datetime' };

/** FNV-1a of a text: stable numbers to derive Ids from names. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 14_776_336; // 62^4: the counter makeId keeps
}

/** The Id of a record the world names but gives no Id (a profile, a permission set, …). */
export function derivedId(prefix: string, org: Org, name: string): string {
  return makeId(prefix, org.id.slice(3, 5), hash(`${org.id.slice(0, 15)}/${prefix}/${name.toLowerCase()}`));
}

/** A time as the REST API writes datetimes: `2024-01-01T00:00:00.000+0000`. */
export function wireDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function toWireDateTime(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : wireDateTime(ms);
}

const dataDefs = new WeakMap<World, readonly ObjectDef[]>();

/** The data objects a world declares, defined once per world. */
function dataObjects(world: World): readonly ObjectDef[] {
  let defs = dataDefs.get(world);
  if (defs === undefined) {
    let custom = 0;
    defs = Object.entries(world.objects ?? {}).map(([name, object]) => {
      const prefix = DATA_PREFIXES[name.toLowerCase()] ?? `a0${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[custom++ % 36]}`;
      const fields: [string, FieldType][] = [['Id', 'id'], ...Object.entries(object.fields).map(([f, t]): [string, FieldType] => [f, DATA_TYPES[t] ?? 'string'])];
      return define(name, prefix, fields, name.endsWith('__c'), object.label);
    });
    dataDefs.set(world, defs);
  }
  return defs;
}

/** Every object a query may name, standard objects first. */
export function objectDefs(world: World): readonly ObjectDef[] {
  return [...STANDARD, ...dataObjects(world)];
}

export function findObject(world: World, name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return STANDARD.find((o) => o.name.toLowerCase() === lower) ?? dataObjects(world).find((o) => o.name.toLowerCase() === lower);
}

const dataRows = new WeakMap<DataObject, readonly Row[]>();

/** The records of a data object: the listed ones, then the generated ones; computed once per world object. */
function dataObjectRows(def: ObjectDef, object: DataObject): readonly Row[] {
  let rows = dataRows.get(object);
  if (rows !== undefined) return rows;
  const out: Row[] = [];
  const fields = Object.entries(object.fields);
  object.records.forEach((record) => {
    const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
    const row: Row = { Id: (lower.get('id') as string | undefined) ?? makeId(def.keyPrefix, '5g', out.length + 1) };
    for (const [f, t] of fields) {
      const v = lower.get(f.toLowerCase()) ?? null;
      row[f] = t === 'datetime' && typeof v === 'string' ? toWireDateTime(v) : v;
    }
    out.push(row);
  });
  if (object.generate !== undefined) {
    const faker = seededFaker(object.generate.seed);
    const base = Date.UTC(2024, 0, 1);
    for (let i = 0; i < object.generate.count; i += 1) {
      const row: Row = { Id: makeId(def.keyPrefix, '5g', out.length + 1) };
      for (const [f, t] of fields) {
        if (t === 'number') row[f] = faker.number.int({ min: 0, max: 10_000_000 });
        else if (t === 'boolean') row[f] = faker.datatype.boolean();
        else if (t === 'date') row[f] = new Date(base + faker.number.int({ min: 0, max: 730 }) * 86_400_000).toISOString().slice(0, 10);
        else if (t === 'datetime') row[f] = wireDateTime(base + faker.number.int({ min: 0, max: 730 * 86_400 }) * 1000);
        else row[f] = /name/i.test(f) ? faker.company.name() : faker.lorem.word();
      }
      out.push(row);
    }
  }
  rows = out;
  dataRows.set(object, rows);
  return rows;
}

function appsOf(world: World, org: Org): App[] {
  return world.apps.filter((a) => a.org === org.name || a.installedIn?.includes(org.name) === true);
}

function profileNames(users: readonly User[], apps: readonly App[]): string[] {
  return [...new Set(['System Administrator', 'Standard User', ...users.map((u) => u.profile), ...apps.flatMap((a) => a.profiles)])];
}

/** The rows of an object in the session's org, as they are now. */
export function rowsOf(def: ObjectDef, state: SourceState): readonly Row[] {
  const { world, org, loginHistory } = state;
  const users = world.users.filter((u) => u.org === org.name);
  const apps = appsOf(world, org);
  const id = (prefix: string, name: string) => derivedId(prefix, org, name);
  const profileId = (name: string) => id('00e', name);
  const ownedPermSetId = (profile: string) => id('0PS', `profile:${profile}`);
  const permSetId = (name: string) => id('0PS', name);
  const appId = (app: App) => id('0H4', app.name);
  switch (def.name) {
    case 'Organization':
      return [
        {
          Id: org.id,
          Name: org.companyName ?? org.name,
          IsSandbox: org.kind === 'sandbox',
          OrganizationType: 'Enterprise Edition',
          InstanceName: 'NA1',
          NamespacePrefix: null,
          TrialExpirationDate: null,
          CreatedDate: CREATED,
        },
      ];
    case 'User':
      return users.map((u) => {
        const last = loginHistory.forUser(u.id).find((e) => e.status === 'Success');
        return {
          Id: u.id,
          Username: u.username,
          Email: u.email,
          FirstName: u.firstName === '' ? null : u.firstName,
          LastName: u.lastName,
          Name: `${u.firstName} ${u.lastName}`.trim(),
          IsActive: u.active,
          ProfileId: profileId(u.profile),
          UserType: 'Standard',
          LastLoginDate: last === undefined ? null : toWireDateTime(last.loginTime),
          CreatedDate: CREATED,
        };
      });
    case 'UserLogin':
      return users.map((u) => ({ Id: id('060', u.id), UserId: u.id, IsFrozen: u.frozen, IsPasswordLocked: false }));
    case 'Profile':
      return profileNames(users, apps).map((name) => ({ Id: profileId(name), Name: name, UserType: 'Standard' }));
    case 'PermissionSet': {
      const owned = profileNames(users, apps).map((p) => ({ Id: ownedPermSetId(p), Name: `X00e${profileId(p).slice(3, 15)}`, Label: p, IsOwnedByProfile: true, ProfileId: profileId(p) }));
      const names = [...new Set([...users.flatMap((u) => u.permissionSets), ...apps.flatMap((a) => a.permissionSets)])];
      return [...owned, ...names.map((n) => ({ Id: permSetId(n), Name: n.replace(/\W+/g, '_'), Label: n, IsOwnedByProfile: false, ProfileId: null }))];
    }
    case 'PermissionSetAssignment':
      return users.flatMap((u) => [
        { Id: id('0Pa', `${u.id}/profile`), AssigneeId: u.id, PermissionSetId: ownedPermSetId(u.profile) },
        ...u.permissionSets.map((p) => ({ Id: id('0Pa', `${u.id}/${p}`), AssigneeId: u.id, PermissionSetId: permSetId(p) })),
      ]);
    case 'ConnectedApplication':
      return apps.map((a) => ({
        Id: appId(a),
        Name: a.name,
        OptionsAllowAdminApprovedUsersOnly: a.policy === 'admin-approved',
        OptionsRefreshTokenValidityMetric: false,
        CreatedDate: CREATED,
        LastModifiedDate: toWireDateTime(a.lastModified),
      }));
    case 'SetupEntityAccess':
      return apps.flatMap((a) => [
        ...a.profiles.map((p) => ({ Id: id('0J0', `${a.name}/profile:${p}`), ParentId: ownedPermSetId(p), SetupEntityId: appId(a), SetupEntityType: 'ConnectedApplication' })),
        ...a.permissionSets.map((p) => ({ Id: id('0J0', `${a.name}/${p}`), ParentId: permSetId(p), SetupEntityId: appId(a), SetupEntityType: 'ConnectedApplication' })),
      ]);
    case 'OauthToken':
      return users.flatMap((u) => {
        const history = loginHistory.forUser(u.id);
        return u.approvedApps.map((name) => {
          const uses = history.filter((e) => e.status === 'Success' && e.application === name);
          const last = uses[0];
          return {
            Id: id('0CQ', `${u.id}/${name}`),
            UserId: u.id,
            AppName: name,
            CreatedDate: CREATED,
            LastUsedDate: last === undefined ? null : toWireDateTime(last.loginTime),
            UseCount: uses.length,
          };
        });
      });
    case 'LoginHistory':
      return users.flatMap((u) =>
        loginHistory.forUser(u.id).map((e) => ({
          Id: makeId('0Ya', org.id.slice(3, 5), Number(/\d+$/.exec(e.traceId)?.[0] ?? 0)),
          UserId: u.id,
          LoginTime: toWireDateTime(e.loginTime),
          Status: e.status,
          LoginType: e.loginType,
          Application: e.application,
          SourceIp: e.sourceIp,
          LoginUrl: e.loginUrl,
        })),
      );
    default: {
      const object = Object.entries(world.objects ?? {}).find(([n]) => n === def.name)?.[1];
      return object === undefined ? [] : dataObjectRows(def, object);
    }
  }
}
