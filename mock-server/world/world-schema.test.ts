/**
 * sfjwt.world.schema.json, the JSON Schema editors validate world files with, is generated from the
 * world's zod schema; this keeps the committed file in step (regenerate with: npx tsx
 * scripts/write-world-schema.ts) and checks that the worlds sfjwt prints pass it and broken ones do
 * not. No JSON Schema validator is a dependency, so the file is checked with the small one below,
 * which knows exactly the keywords the schema uses: a keyword it does not know fails the test
 * rather than passing unchecked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../testing/fixtures.ts';
import { defaultWorld } from './default-world.ts';
import { generateWorld } from './generate.ts';
import { makeId } from './salesforce-id.ts';
import { worldJsonSchema } from './schema.ts';
import { validateWorld } from './validate-world.ts';

type Schema = { readonly [keyword: string]: unknown };

const committed = JSON.parse(readFileSync(new URL('../../sfjwt.world.schema.json', import.meta.url), 'utf8')) as Schema;

/** Keywords that only annotate (editors show them) and those the validator below checks. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'format']);
const CHECKED = new Set(['type', 'const', 'enum', 'pattern', 'minLength', 'minimum', 'maximum', 'minItems', 'items', 'properties', 'required', 'additionalProperties', 'anyOf']);

/** Every keyword used anywhere in a schema (property names under `properties` are names, not keywords). */
function keywordsOf(schema: Schema, into = new Set<string>()): Set<string> {
  for (const [keyword, value] of Object.entries(schema)) {
    into.add(keyword);
    if (keyword === 'properties') for (const sub of Object.values(value as Record<string, Schema>)) keywordsOf(sub, into);
    else if (keyword === 'anyOf') for (const sub of value as Schema[]) keywordsOf(sub, into);
    else if ((keyword === 'items' || keyword === 'additionalProperties') && typeof value === 'object') keywordsOf(value as Schema, into);
  }
  return into;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/** The places where `value` breaks `schema`, as "path: what" (JSON Schema 2020-12, the keywords in CHECKED). */
function schemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
  const type = schema['type'] as string | undefined;
  if (type !== undefined && !hasType(value, type)) return [`${at}: expected ${type}`];
  const out: string[] = [];
  if ('const' in schema && value !== schema['const']) out.push(`${at}: expected ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) out.push(`${at}: expected one of ${JSON.stringify(schema['enum'])}`);
  if (typeof value === 'string') {
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) out.push(`${at}: does not match ${schema['pattern']}`);
    if (typeof schema['minLength'] === 'number' && [...value].length < schema['minLength']) out.push(`${at}: shorter than ${schema['minLength']}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) out.push(`${at}: below ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) out.push(`${at}: above ${schema['maximum']}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) out.push(`${at}: fewer than ${schema['minItems']} items`);
    const items = schema['items'];
    if (isObject(items)) for (const [i, item] of value.entries()) out.push(...schemaErrors(items, item, `${at}[${i}]`));
  }
  if (isObject(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const name of (schema['required'] ?? []) as string[]) if (!(name in value)) out.push(`${at}.${name}: required`);
    for (const [name, v] of Object.entries(value)) {
      const sub = properties[name];
      if (sub !== undefined) out.push(...schemaErrors(sub, v, `${at}.${name}`));
      else if (schema['additionalProperties'] === false) out.push(`${at}.${name}: not allowed`);
      else if (isObject(schema['additionalProperties'])) out.push(...schemaErrors(schema['additionalProperties'], v, `${at}.${name}`));
    }
  }
  if (Array.isArray(schema['anyOf']) && (schema['anyOf'] as Schema[]).every((sub) => schemaErrors(sub, value, at).length > 0)) out.push(`${at}: matches none of anyOf`);
  return out;
}

const printedDefault = () => JSON.parse(JSON.stringify({ $comment: 'a note', ...defaultWorld({ seed: 42, certificatePem: testKeys().certificatePem }) }));

describe('world JSON Schema (sfjwt.world.schema.json)', () => {
  it('the committed file is the one the zod schema generates', () => {
    expect(committed).toEqual(worldJsonSchema());
  });

  it('uses only keywords the checks below understand', () => {
    const unknown = [...keywordsOf(committed)].filter((k) => !ANNOTATIONS.has(k) && !CHECKED.has(k));
    expect(unknown).toEqual([]);
    // And it does describe a world: the three lists, strict objects, Ids with their prefix.
    expect(committed['required']).toEqual(['orgs']);
    expect(committed['additionalProperties']).toBe(false);
    expect(JSON.stringify(committed)).toContain('"pattern":"^005[a-zA-Z0-9]{15}$"');
  });

  it.each([
    ['the default world as `sfjwt world` prints it', printedDefault],
    ['a generated world', () => JSON.parse(JSON.stringify(generateWorld({ seed: 7, orgs: 2, usersPerOrg: 30, apps: 2, certificatePem: testKeys().certificatePem })))],
    [
      'a minimal world (every default left out) that names the schema',
      () => ({
        $schema: './node_modules/sfjwt/sfjwt.world.schema.json',
        orgs: [{ name: 'acme', id: makeId('00D', '5g', 1), kind: 'production', myDomain: 'acme' }],
        apps: [{ name: 'App', org: 'acme', consumerKey: '3MVG9abcdefgh', certificates: ['certs/app.crt'] }],
        users: [{ id: makeId('005', '5g', 1), username: 'ana@acme.com', email: 'ana@acme.com', lastName: 'Lopez', org: 'acme' }],
        knobs: { expLeewaySeconds: 60, loginRatePerHour: null },
      }),
    ],
  ])('%s passes it (and sfjwt accepts it)', (_name, world) => {
    const input = world();
    expect(schemaErrors(committed, input)).toEqual([]);
    expect(() => validateWorld(input)).not.toThrow();
  });

  it.each([
    ['a policy outside the enum', (w: any) => (w.apps[0].policy = 'all'), ['$.apps[0].policy: expected one of ["self-authorize","admin-approved"]']],
    ['an unknown field', (w: any) => (w.users[2].Username = 'x'), ['$.users[2].Username: not allowed']],
    ['a missing last name', (w: any) => delete w.users[0].lastName, ['$.users[0].lastName: required']],
    ['a user Id with an account prefix', (w: any) => (w.users[0].id = makeId('001', '5g', 1)), ['$.users[0].id: does not match ^005[a-zA-Z0-9]{15}$']],
    ['a 15-character org Id', (w: any) => (w.orgs[0].id = w.orgs[0].id.slice(0, 15)), ['$.orgs[0].id: does not match ^00D[a-zA-Z0-9]{15}$']],
    ['no orgs', (w: any) => (w.orgs = []), ['$.orgs: fewer than 1 items']],
    ['version 2', (w: any) => (w.version = 2), ['$.version: expected 1']],
    ['a knob of the wrong type', (w: any) => (w.knobs = { loginRatePerHour: 'many' }), ['$.knobs.loginRatePerHour: matches none of anyOf']],
    ['a bad IPv4 address', (w: any) => (w.users[5].loginIpRanges[0].end = '::1'), [expect.stringMatching(/^\$\.users\[5\]\.loginIpRanges\[0\]\.end: does not match /)]],
  ])('refuses %s, where sfjwt does too', (_name, mutate, errors) => {
    const input = printedDefault();
    mutate(input);
    expect(schemaErrors(committed, input)).toEqual(errors);
    expect(() => validateWorld(input)).toThrow();
  });

  it('ships in the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('sfjwt.world.schema.json');
  });
});
