/**
 * Turns untrusted JSON into a valid `World`, or a `WorldError` whose issues name every wrong field
 * at once (`apps[1].policy`), each with what is expected and what arrived. Shape comes from the zod
 * schema; this module adds what a schema cannot see: the cross-references (checked in the same pass,
 * on every field whose own shape is right, so a wrong field elsewhere hides none of them), PEM text
 * that is no certificate, and values nested so deep that any recursive step would overflow the
 * stack. `worldWarnings` finds what is valid but almost surely not meant: an app without a
 * certificate, a profile name a typo away from another. World files and the certificate files they
 * name are read with lib's input reader (regular files only, under a size cap, never a FIFO).
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { WorldError } from '../../lib/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../../lib/json-depth.ts';
import { readCertificate } from '../../lib/pki/certificate.ts';
import { INPUT_LIMITS, readInputText, tryReadInputFile } from '../../lib/read-input-file.ts';
import { expectedWords } from '../../lib/zod-message.ts';
import { isValidId18 } from './salesforce-id.ts';
import { API_NAME, type App, AppSchema, type DATA_FIELD_TYPES, type Org, OrgSchema, type User, UserSchema, type World, WorldSchema } from './schema.ts';

export interface WorldIssue {
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(the world)' : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  // A world may hold certificates and secrets: never echo long values back whole.
  return json.length > 60 ? `${json.slice(0, 40)}… (${json.length} characters)` : json;
}

function zodIssues(error: z.ZodError, input: unknown): WorldIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return {
        path: formatPath(issue.path),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling (field names are case-sensitive)`,
      };
    }
    const got = valueAt(input, issue.path);
    // A secret is never echoed, not even in part: say only what kind of value arrived.
    const secret = issue.path.some((k) => k === 'consumerSecret');
    const kind = typeof got === 'string' ? `a ${got.length}-character string` : Array.isArray(got) ? 'a list' : got === null ? 'null' : typeof got === 'object' ? 'an object' : `a ${typeof got}`;
    const shown = secret ? `${kind} (not shown: a secret)` : describeValue(got);
    // The schema's Ids name the valid Id a wrong one most likely meant.
    const meant = issue.code === 'custom' ? issue.params?.['didYouMean'] : undefined;
    return { path: formatPath(issue.path), message: `${expectedWords(issue)}, got ${shown}${typeof meant === 'string' ? `; did you mean "${meant}"?` : ''}` };
  });
}

/**
 * An org, app or user as far as its fields have the right shape: each right field (defaults
 * filled), none of the wrong ones. A list field keeps its right items in their places and
 * `undefined` in the places of the wrong ones, so `approvedApps[3]` is still checked when
 * `approvedApps[1]` is not a string.
 */
type Checked<T> = { [K in keyof T]?: T[K] extends readonly (infer E)[] ? readonly (E | undefined)[] : T[K] };

/** What the cross-reference checks read: a valid world, or the right parts of a wrong one. */
interface CheckedWorld {
  /** Undefined when the list itself is missing or not a list: nothing can be checked against it. */
  readonly orgs: readonly Checked<Org>[] | undefined;
  readonly apps: readonly Checked<App>[] | undefined;
  readonly users: readonly Checked<User>[] | undefined;
}

/** The field's value with its default, or (for a list) its right items in place, or undefined when it is wrong. */
function checkedField(schema: z.ZodType, raw: unknown): unknown {
  const whole = schema.safeParse(raw);
  if (whole.success) return whole.data;
  const list = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  if (!(list instanceof z.ZodArray) || !Array.isArray(raw)) return undefined;
  return raw.map((item) => {
    const one = z.safeParse(list.element, item);
    return one.success ? one.data : undefined;
  });
}

function checkedItem<T>(schema: z.ZodObject, raw: unknown, wrong: boolean): Checked<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  // Most items of a big world are right: one parse each, and field by field only the wrong ones.
  if (!wrong) {
    const whole = schema.safeParse(raw);
    if (whole.success) return whole.data as Checked<T>;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const value = checkedField(field, (raw as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out as Checked<T>;
}

function checkedList<T>(schema: z.ZodObject, raw: unknown, defaultsToEmpty: boolean, wrongItems: ReadonlySet<number>): Checked<T>[] | undefined {
  if (raw === undefined && defaultsToEmpty) return [];
  if (!Array.isArray(raw)) return undefined;
  return raw.map((item, i) => checkedItem<T>(schema, item, wrongItems.has(i)));
}

/** The right parts of a world the schema refused, for the cross-reference checks of the same pass. */
function checkedInput(input: unknown, error: z.ZodError): CheckedWorld {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { orgs: undefined, apps: undefined, users: undefined };
  const top = input as Record<string, unknown>;
  const wrongItems = (list: string) => new Set(error.issues.filter((i) => i.path[0] === list && typeof i.path[1] === 'number').map((i) => i.path[1] as number));
  // A list that is itself wrong (no orgs at all: `"orgs": []`) is no list to check references against.
  const listOf = <T>(list: string, schema: z.ZodObject, defaultsToEmpty: boolean) =>
    error.issues.some((i) => i.path.length === 1 && i.path[0] === list) ? undefined : checkedList<T>(schema, top[list], defaultsToEmpty, wrongItems(list));
  return {
    orgs: listOf<Org>('orgs', OrgSchema, false),
    apps: listOf<App>('apps', AppSchema, true),
    users: listOf<User>('users', UserSchema, true),
  };
}

function checkedWorld(world: World): CheckedWorld {
  return { orgs: world.orgs, apps: world.apps, users: world.users };
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function quotedList(names: readonly (string | undefined)[], none: string): string {
  const shown = [...new Set(names.filter((n) => n !== undefined))].map((n) => `"${n}"`);
  return shown.length === 0 ? none : shown.join(', ');
}

function crossReferenceIssues(world: CheckedWorld): WorldIssue[] {
  const issues: WorldIssue[] = [];
  const orgs = world.orgs ?? [];
  const apps = world.apps ?? [];
  const users = world.users ?? [];
  const unique = (items: readonly (string | undefined)[], field: (i: number) => string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      if (item === undefined) return;
      const key = item.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) issues.push({ path: field(i), message: `${what} ${describeValue(item)} is already used by ${field(first)}: each must be unique` });
      else seen.set(key, i);
    });
  };
  unique(
    orgs.map((o) => o.name),
    (i) => `orgs[${i}].name`,
    'org name',
  );
  unique(
    orgs.map((o) => o.id),
    (i) => `orgs[${i}].id`,
    'org Id',
  );
  unique(
    orgs.map((o) => o.myDomain),
    (i) => `orgs[${i}].myDomain`,
    'My Domain',
  );
  unique(
    apps.map((a) => a.name),
    (i) => `apps[${i}].name`,
    'app name',
  );
  unique(
    apps.map((a) => a.consumerKey),
    (i) => `apps[${i}].consumerKey`,
    'consumer key',
  );
  unique(
    users.map((u) => u.username),
    (i) => `users[${i}].username`,
    'username',
  );
  unique(
    users.map((u) => u.id),
    (i) => `users[${i}].id`,
    'user Id',
  );

  orgs.forEach((org, i) => {
    if (org.kind === undefined || org.myDomain === undefined) return;
    const isSandboxName = org.myDomain.includes('--');
    if (org.kind === 'sandbox' && !isSandboxName) {
      issues.push({ path: `orgs[${i}].myDomain`, message: `a sandbox's My Domain is "<domain>--<sandbox name>" (such as "acme--uat"), got "${org.myDomain}"` });
    }
    if (org.kind === 'production' && isSandboxName) {
      issues.push({ path: `orgs[${i}].myDomain`, message: `"--" marks a sandbox's My Domain; set kind to "sandbox" or drop the "--" part, got "${org.myDomain}"` });
    }
  });
  // No list of orgs (or apps) to check against: a reference to one is neither right nor wrong.
  const orgNames = new Set(orgs.map((o) => o.name));
  const appNames = new Set(apps.map((a) => a.name));
  const orgMissing = (name: string | undefined) => world.orgs !== undefined && name !== undefined && !orgNames.has(name);
  const appMissing = (name: string | undefined) => world.apps !== undefined && name !== undefined && !appNames.has(name);
  const knownOrgs = quotedList(
    orgs.map((o) => o.name),
    '(no orgs)',
  );
  apps.forEach((app, i) => {
    if (orgMissing(app.org)) issues.push({ path: `apps[${i}].org`, message: `no org is named "${app.org}"; expected one of ${knownOrgs}` });
    app.installedIn?.forEach((org, j) => {
      if (orgMissing(org)) issues.push({ path: `apps[${i}].installedIn[${j}]`, message: `no org is named "${org}"; expected one of ${knownOrgs}` });
    });
    if (app.kind === 'connected-app' && app.installedIn !== undefined) {
      issues.push({ path: `apps[${i}].installedIn`, message: 'only External Client Apps are installed per org; remove installedIn or set kind to "external-client-app"' });
    }
  });
  const knownApps = quotedList(
    apps.map((a) => a.name),
    '(no apps)',
  );
  users.forEach((user, i) => {
    user.loginIpRanges?.forEach((range, j) => {
      if (range !== undefined && ipNumber(range.start) > ipNumber(range.end)) issues.push({ path: `users[${i}].loginIpRanges[${j}]`, message: `start ${range.start} is after end ${range.end}` });
    });
    if (orgMissing(user.org)) issues.push({ path: `users[${i}].org`, message: `no org is named "${user.org}"; expected one of ${knownOrgs}` });
    user.approvedApps?.forEach((app, j) => {
      if (appMissing(app)) issues.push({ path: `users[${i}].approvedApps[${j}]`, message: `no app is named "${app}"; expected one of ${knownApps}` });
    });
  });
  return issues;
}

/** Why PEM text is no certificate the mock can verify with, or undefined when it is one. Never shows the text. */
function certificateProblem(pem: string): string | undefined {
  try {
    readCertificate(pem);
    return undefined;
  } catch {
    const kind = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    if (kind === undefined) return 'not a PEM certificate: expected the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----';
    if (kind === 'CERTIFICATE') return 'a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate (cut short, or changed when copied?)';
    const key = kind.includes('PRIVATE KEY') ? '; a private key belongs with the client, never in a world file' : '';
    return `a PEM "${kind}" block, not a certificate: give the certificate uploaded to the app (-----BEGIN CERTIFICATE-----)${key}`;
  }
}

/** Certificates given as PEM text that are no certificates (those given as paths are read by loadWorldFile). */
function certificateIssues(world: CheckedWorld): WorldIssue[] {
  const issues: WorldIssue[] = [];
  // A generated world gives a thousand apps the same certificate: each text is parsed once.
  const seen = new Map<string, string | undefined>();
  world.apps?.forEach((app, i) => {
    app.certificates?.forEach((pem, j) => {
      if (pem === undefined || !pem.includes('-----BEGIN')) return;
      if (!seen.has(pem)) seen.set(pem, certificateProblem(pem));
      const problem = seen.get(pem);
      if (problem !== undefined) issues.push({ path: `apps[${i}].certificates[${j}]`, message: problem });
    });
  });
  return issues;
}

/** Salesforce's standard profiles: an app may admit one that no user of the world has yet. */
const STANDARD_PROFILES: readonly string[] = [
  'System Administrator',
  'Standard User',
  'Standard Platform User',
  'Read Only',
  'Minimum Access - Salesforce',
  'Salesforce API Only System Integrations',
  'Contract Manager',
  'Marketing User',
  'Solution Manager',
  'Chatter Free User',
];

/** Levenshtein distance, two rows at a time, giving up (Infinity) past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? Number.POSITIVE_INFINITY;
}

/** The name a typo meant: another name differing only in case and spaces, or by at most two edits (one for short names). */
function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const max = name.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = distance(fold(name), fold(candidate), max);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Past this many distinct profiles, users' profiles are not offered as suggestions (each suggestion compares against all of them). */
const MAX_PROFILE_CANDIDATES = 1_000;

/**
 * What a valid world holds that is almost surely not meant, each naming its field: an app without
 * a certificate (no JWT bearer login to it can succeed), an app admitting a profile no user has
 * (not a standard one), a user's profile that nothing else names but that is a typo away from one
 * that is. `world --check` and `serve --world` print them; they do not stop the world from loading.
 */
export function worldWarnings(world: World): WorldIssue[] {
  const warnings: WorldIssue[] = [];
  world.apps.forEach((app, i) => {
    if (app.certificates.length === 0) {
      warnings.push({
        path: `apps[${i}].certificates`,
        message: `the app "${app.name}" has no certificate, so no JWT bearer login to it can succeed (a signature is verified with the app's certificates); add the PEM certificate of the key that signs the assertions`,
      });
    }
  });
  const holders = new Map<string, number>();
  for (const user of world.users) holders.set(user.profile, (holders.get(user.profile) ?? 0) + 1);
  const admitted = new Set(world.apps.flatMap((a) => a.profiles));
  const held = holders.size <= MAX_PROFILE_CANDIDATES ? [...holders.keys()] : [];
  world.apps.forEach((app, i) => {
    app.profiles.forEach((profile, j) => {
      if (holders.has(profile) || STANDARD_PROFILES.includes(profile)) return;
      const meant = closestName(profile, [...held, ...STANDARD_PROFILES]);
      warnings.push({
        path: `apps[${i}].profiles[${j}]`,
        message: `no user has the profile "${profile}", so it admits no one${meant === undefined ? '' : `; did you mean "${meant}"?`} (profile names are case-sensitive)`,
      });
    });
  });
  world.users.forEach((user, i) => {
    const profile = user.profile;
    if ((holders.get(profile) ?? 0) > 1 || admitted.has(profile) || STANDARD_PROFILES.includes(profile)) return;
    const meant = closestName(profile, new Set([...admitted, ...STANDARD_PROFILES, ...held]));
    if (meant !== undefined)
      warnings.push({ path: `users[${i}].profile`, message: `no app admits and no other user has the profile "${profile}"; did you mean "${meant}"? (profile names are case-sensitive)` });
  });
  return warnings;
}

/** Warnings as lines for a terminal, at most 20 and a count of the rest: `sfjwt: warning: FILE: apps[1].certificates: …`. */
export function formatWorldWarnings(source: string, warnings: readonly WorldIssue[]): string[] {
  const lines = warnings.slice(0, 20).map((w) => `sfjwt: warning: ${source}: ${w.path}: ${w.message}`);
  if (warnings.length > 20) lines.push(`sfjwt: warning: ${source}: … and ${warnings.length - 20} more warnings`);
  return lines;
}

/**
 * The field where a too-deep value starts: the path up to its last named key (`users[0].firstName`
 * for a name that holds 100,000 nested lists), at most 12 steps long.
 */
function deepIssue(path: readonly (string | number)[]): WorldIssue {
  let end = path.length;
  while (end > 0 && typeof path[end - 1] === 'number') end -= 1;
  const stop = end === 0 ? path.length : end;
  const shown = formatPath(path.slice(0, Math.min(stop, 12))) + (stop > 12 ? '…' : '');
  return { path: shown, message: `nested more than ${MAX_JSON_DEPTH} levels deep (lists or objects inside each other); no field of a world goes deeper than 4` };
}

function throwIssues(source: string, issues: readonly WorldIssue[]): never {
  const listed = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`);
  if (issues.length > 20) listed.push(`  … and ${issues.length - 20} more`);
  throw new WorldError(`${source} is not a valid world (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${listed.join('\n')}`, issues, {
    actions: ['Fix the fields named above; `npx sfjwt world` prints a valid world to start from.'],
  });
}

/**
 * Records of the world's data objects: every key a declared field (or `Id`, a valid 18-character
 * Id), every value of its field's type (dates YYYY-MM-DD, datetimes ISO 8601), or null.
 */
function dataObjectIssues(world: World): WorldIssue[] {
  const issues: WorldIssue[] = [];
  const badName = (path: string, name: string) =>
    issues.push({ path, message: `expected an API name of letters, digits and "_", starting with a letter (such as "Account" or "Invoice__c"), got ${describeValue(name)}` });
  for (const [name, object] of Object.entries(world.objects ?? {})) {
    if (!API_NAME.test(name)) badName(`objects.${name}`, name);
    for (const field of Object.keys(object.fields)) if (!API_NAME.test(field)) badName(`objects.${name}.fields.${field}`, field);
    const declared = new Map(Object.entries(object.fields).map(([f, t]) => [f.toLowerCase(), { f, t }]));
    if (declared.has('id')) issues.push({ path: `objects.${name}.fields.Id`, message: 'every record gets an Id: leave it out of fields' });
    object.records.forEach((record, i) => {
      for (const [key, value] of Object.entries(record)) {
        const at = `objects.${name}.records[${i}].${key}`;
        if (key.toLowerCase() === 'id') {
          if (typeof value !== 'string' || !isValidId18(value)) issues.push({ path: at, message: 'expected an 18-character Salesforce Id with a valid case-checksum suffix' });
          continue;
        }
        const field = declared.get(key.toLowerCase());
        if (field === undefined) {
          issues.push({ path: at, message: `no field "${key}" is declared in objects.${name}.fields; expected one of ${quotedList(Object.keys(object.fields), '(no fields)')}` });
          continue;
        }
        if (value !== null && !fieldValueFits(field.t, value)) issues.push({ path: at, message: `expected a ${field.t} (${FIELD_TYPE_SHAPES[field.t]}) or null, got ${describeValue(value)}` });
      }
    });
  }
  return issues;
}

const FIELD_TYPE_SHAPES: Record<(typeof DATA_FIELD_TYPES)[number], string> = {
  string: 'text',
  number: 'a JSON number',
  boolean: 'true or false',
  date: 'YYYY-MM-DD',
  datetime: 'ISO 8601 such as 2024-01-31T12:00:00Z',
};

function fieldValueFits(type: (typeof DATA_FIELD_TYPES)[number], value: string | number | boolean): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
    case 'datetime':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** Validates a parsed world; `source` names the file in messages. */
export function validateWorld(input: unknown, source = 'the world'): World {
  // Before the schema: zod, the messages (which show values) and the mock all recurse.
  const deep = tooDeepAt(input);
  if (deep !== undefined) throwIssues(source, [deepIssue(deep)]);
  const parsed = WorldSchema.safeParse(input);
  // One pass: the shape problems, then the references and certificates of every field of the right shape.
  const checked = parsed.success ? checkedWorld(parsed.data) : checkedInput(input, parsed.error);
  const issues = [...(parsed.success ? [] : zodIssues(parsed.error, input)), ...crossReferenceIssues(checked), ...certificateIssues(checked), ...(parsed.success ? dataObjectIssues(parsed.data) : [])];
  if (parsed.success && issues.length === 0) return parsed.data;
  throwIssues(source, issues);
}

/**
 * The parsed JSON of a world file. Its text lives only in here: a big world's text (327 MB for a
 * million users) is garbage before the schema makes its copy of the world, not held beside it.
 */
function readWorldJson(path: string): unknown {
  const text = readInputText(path, { what: 'world file', maxBytes: INPUT_LIMITS.world, actions: ['Check the world file path (serve --world, or SFJWT_WORLD in a container).'] });
  try {
    // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    throw new WorldError(`${path} is not valid JSON: ${(cause as Error).message}`, [{ path: '(the world)', message: 'not valid JSON' }], {
      actions: ['Fix the JSON syntax (a missing comma or quote is the usual cause).'],
      cause,
    });
  }
}

/**
 * Reads a world file. Certificates given as paths are read relative to the file, so a world and
 * its certificates can travel together; every one that cannot be read, or is no certificate, is
 * named with the world file and its field.
 */
export function loadWorldFile(path: string): World {
  const world = validateWorld(readWorldJson(path), path);
  const base = dirname(resolve(path));
  const problems: { issue: WorldIssue; detail: string; cause?: unknown }[] = [];
  world.apps.forEach((app, i) => {
    app.certificates = app.certificates.map((cert, j) => {
      if (cert.includes('-----BEGIN')) return cert;
      const field = `apps[${i}].certificates[${j}]`;
      const read = tryReadInputFile(resolve(base, cert), { maxBytes: INPUT_LIMITS.keyMaterial });
      if (!('data' in read)) {
        problems.push({ issue: { path: field, message: `cannot read ${cert}: ${read.reason}` }, detail: `cannot read the certificate file ${cert}: ${read.reason}`, cause: read.cause });
        return cert;
      }
      const text = read.data.toString('utf8');
      const problem = certificateProblem(text);
      if (problem !== undefined) problems.push({ issue: { path: field, message: `the file ${cert} holds ${problem}` }, detail: `the certificate file ${cert} holds ${problem}` });
      return text;
    });
  });
  const actions = ['Give the PEM certificate uploaded to the app (-----BEGIN CERTIFICATE-----): its text, or a path relative to the world file.'];
  const [first] = problems;
  if (first !== undefined && problems.length === 1) throw new WorldError(`${path}: ${first.issue.path}: ${first.detail}`, [first.issue], { actions, cause: first.cause });
  if (problems.length > 1) {
    const listed = problems.map((p) => `  ${p.issue.path}: ${p.issue.message}`);
    throw new WorldError(
      `${path} is not a valid world (${problems.length} problems):\n${listed.join('\n')}`,
      problems.map((p) => p.issue),
      { actions },
    );
  }
  return world;
}
