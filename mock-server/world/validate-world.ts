/**
 * Turns untrusted JSON into a valid `World`, or a `WorldError` whose issues each name the exact
 * field (`apps[1].policy`), what is expected and what arrived. Shape comes from the zod schema;
 * this module adds what a schema cannot see: the cross-references, and values nested so deep that
 * any recursive step would overflow the stack. World files and the certificate files they name are
 * read with lib's input reader (regular files only, under a size cap, never a FIFO or a device).
 */
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { WorldError } from '../../lib/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../../lib/json-depth.ts';
import { INPUT_LIMITS, readInputText, tryReadInputFile } from '../../lib/read-input-file.ts';
import { type World, WorldSchema } from './schema.ts';

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
    return { path: formatPath(issue.path), message: `${issue.message}, got ${shown}` };
  });
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function crossReferenceIssues(world: World): WorldIssue[] {
  const issues: WorldIssue[] = [];
  const orgNames = new Set(world.orgs.map((o) => o.name));
  const appNames = new Set(world.apps.map((a) => a.name));
  const unique = (items: readonly string[], field: (i: number) => string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = item.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) issues.push({ path: field(i), message: `${what} ${describeValue(item)} is already used by ${field(first)}: each must be unique` });
      else seen.set(key, i);
    });
  };
  unique(
    world.orgs.map((o) => o.name),
    (i) => `orgs[${i}].name`,
    'org name',
  );
  unique(
    world.orgs.map((o) => o.id),
    (i) => `orgs[${i}].id`,
    'org Id',
  );
  unique(
    world.orgs.map((o) => o.myDomain),
    (i) => `orgs[${i}].myDomain`,
    'My Domain',
  );
  unique(
    world.apps.map((a) => a.name),
    (i) => `apps[${i}].name`,
    'app name',
  );
  unique(
    world.apps.map((a) => a.consumerKey),
    (i) => `apps[${i}].consumerKey`,
    'consumer key',
  );
  unique(
    world.users.map((u) => u.username),
    (i) => `users[${i}].username`,
    'username',
  );
  unique(
    world.users.map((u) => u.id),
    (i) => `users[${i}].id`,
    'user Id',
  );

  world.orgs.forEach((org, i) => {
    const isSandboxName = org.myDomain.includes('--');
    if (org.kind === 'sandbox' && !isSandboxName) {
      issues.push({ path: `orgs[${i}].myDomain`, message: `a sandbox's My Domain is "<domain>--<sandbox name>" (such as "acme--uat"), got "${org.myDomain}"` });
    }
    if (org.kind === 'production' && isSandboxName) {
      issues.push({ path: `orgs[${i}].myDomain`, message: `"--" marks a sandbox's My Domain; set kind to "sandbox" or drop the "--" part, got "${org.myDomain}"` });
    }
  });
  const knownOrgs = [...orgNames].map((n) => `"${n}"`).join(', ');
  world.apps.forEach((app, i) => {
    if (!orgNames.has(app.org)) issues.push({ path: `apps[${i}].org`, message: `no org is named "${app.org}"; expected one of ${knownOrgs}` });
    app.installedIn?.forEach((org, j) => {
      if (!orgNames.has(org)) issues.push({ path: `apps[${i}].installedIn[${j}]`, message: `no org is named "${org}"; expected one of ${knownOrgs}` });
    });
    if (app.kind === 'connected-app' && app.installedIn !== undefined) {
      issues.push({ path: `apps[${i}].installedIn`, message: 'only External Client Apps are installed per org; remove installedIn or set kind to "external-client-app"' });
    }
  });
  world.users.forEach((user, i) => {
    user.loginIpRanges.forEach((range, j) => {
      if (ipNumber(range.start) > ipNumber(range.end)) issues.push({ path: `users[${i}].loginIpRanges[${j}]`, message: `start ${range.start} is after end ${range.end}` });
    });
    if (!orgNames.has(user.org)) issues.push({ path: `users[${i}].org`, message: `no org is named "${user.org}"; expected one of ${knownOrgs}` });
    user.approvedApps.forEach((app, j) => {
      if (!appNames.has(app))
        issues.push({ path: `users[${i}].approvedApps[${j}]`, message: `no app is named "${app}"; expected one of ${[...appNames].map((n) => `"${n}"`).join(', ') || '(no apps)'}` });
    });
  });
  return issues;
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

/** Validates a parsed world; `source` names the file in messages. */
export function validateWorld(input: unknown, source = 'the world'): World {
  // Before the schema: zod, the messages (which show values) and the mock all recurse.
  const deep = tooDeepAt(input);
  if (deep !== undefined) throwIssues(source, [deepIssue(deep)]);
  const parsed = WorldSchema.safeParse(input);
  const issues = parsed.success ? crossReferenceIssues(parsed.data) : zodIssues(parsed.error, input);
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
 * its certificates can travel together.
 */
export function loadWorldFile(path: string): World {
  const world = validateWorld(readWorldJson(path), path);
  const base = dirname(resolve(path));
  world.apps.forEach((app, i) => {
    app.certificates = app.certificates.map((cert, j) => {
      if (cert.includes('-----BEGIN')) return cert;
      const read = tryReadInputFile(resolve(base, cert), { maxBytes: INPUT_LIMITS.keyMaterial });
      if ('data' in read) return read.data.toString('utf8');
      throw new WorldError(
        `${path}: apps[${i}].certificates[${j}]: cannot read the certificate file ${cert}: ${read.reason}`,
        [{ path: `apps[${i}].certificates[${j}]`, message: `cannot read ${cert}: ${read.reason}` }],
        {
          actions: ['Give PEM text, or a path relative to the world file.'],
          cause: read.cause,
        },
      );
    });
  });
  return world;
}
