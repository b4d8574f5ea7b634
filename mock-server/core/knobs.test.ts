/**
 * Every knob takes exactly the values its range says, wherever the value comes from: merged in code
 * (resolveKnobs, and so `new MockOrg({knobs})` and `startMockOrg({knobs})`), sent to the admin API, or
 * written in a world file. Each number knob is tried at its min and max (taken) and at min-1, max+1,
 * a fraction, a string and null (refused unless null means "none"), and each refusal is one message
 * naming the knob, the value and the range. The ranges are written out here, not read from RANGES,
 * so a bound that moves is a failing test and a deliberate change of docs/knobs.md's promise.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SfjwtError, WorldError } from '../../lib/errors.ts';
import { startMockOrg } from '../adapters/node-server.ts';
import { handleAdmin } from '../admin/routes.ts';
import { testOrg, testStateDir, testWorld } from '../testing/fixtures.ts';
import { LOGIN_HOST, realHostUrls } from '../world/hosts.ts';
import { loadWorldFile, validateWorld } from '../world/validate-world.ts';
import { fromFetchRequest } from './incoming.ts';
import { DEFAULT_KNOBS, KNOBS, KnobError, KnobsSchema, knobProblem, RANGES, rangeText, resolveKnobs } from './knobs.ts';

const FIX = 'docs/knobs.md (in the sfjwt package) lists every knob with its range.';

/** knob, min, max, whether null is taken (null = no limit / the org's own setting). */
const NUMBER_KNOBS: readonly [string, number, number, boolean][] = [
  ['expLeewaySeconds', 0, 86_400, false],
  ['expMaxFutureSeconds', 1, 31_536_000, true],
  ['loginRatePerHour', 1, 100_000, true],
  ['propagationDelaySeconds', 0, 3_600, false],
  ['sessionTimeoutSeconds', 1, 86_400, true],
  ['maxBodyBytes', 1_024, 4_194_304, false],
  ['maxFormParameters', 1, 10_000, false],
  ['journalSize', 1, 10_000, false],
  ['dailyApiRequests', 1, 10_000_000, false],
  ['retiredApiVersionsUpTo', 0, 67, false],
  ['queryLocatorIdleSeconds', 1, 172_800, false],
];

const expects = (min: number, max: number, nullable: boolean) => `must be ${nullable ? 'null or ' : ''}an integer from ${min} to ${max}`;

/** Every value a number knob is tried with: [what, value, taken]. */
function numberCases(min: number, max: number, nullable: boolean): [string, unknown, boolean][] {
  return [
    ['min', min, true],
    ['max', max, true],
    ['min-1', min - 1, false],
    ['max+1', max + 1, false],
    ['a fraction', min + 0.5, false],
    ['a string', String(min), false],
    ['a boolean', true, false],
    ['null', null, nullable],
  ];
}

/** Every knob, every value: [knob, what, value, taken, the refusal's message]. */
const CASES: [string, string, unknown, boolean, string][] = [
  ...NUMBER_KNOBS.flatMap(([knob, min, max, nullable]) =>
    numberCases(min, max, nullable).map(([what, value, taken]): [string, string, unknown, boolean, string] => [
      knob,
      what,
      value,
      taken,
      `${knob}: ${expects(min, max, nullable)}, got ${JSON.stringify(value)}`,
    ]),
  ),
  ...KNOBS.filter((k) => typeof k.default === 'boolean').flatMap((k): [string, string, unknown, boolean, string][] => [
    [k.name, 'true', true, true, ''],
    [k.name, 'false', false, true, ''],
    [k.name, 'a string', 'true', false, `${k.name}: must be true or false, got "true"`],
    [k.name, 'a number', 1, false, `${k.name}: must be true or false, got 1`],
    [k.name, 'null', null, false, `${k.name}: must be true or false, got null`],
  ]),
  ...['audience-invalid', 'not-approved', 'accept'].map((v): [string, string, unknown, boolean, string] => ['myDomainAudience', v, v, true, '']),
  ['myDomainAudience', 'another word', 'reject', false, 'myDomainAudience: must be "audience-invalid", "not-approved" or "accept", got "reject"'],
  ['myDomainAudience', 'a number', 1, false, 'myDomainAudience: must be "audience-invalid", "not-approved" or "accept", got 1'],
];

const rangeOf = (knob: string) => {
  const row = NUMBER_KNOBS.find(([name]) => name === knob);
  return row === undefined ? undefined : { min: row[1], max: row[2], ...(row[3] ? { nullable: true } : {}) };
};

describe('the knob table', () => {
  it('every integer knob of the schema has a range in KNOBS, the one written here; no other knob has one', () => {
    for (const knob of KNOBS) {
      const integer = JSON.stringify(z.toJSONSchema(KnobsSchema.shape[knob.name])).includes('"type":"integer"');
      expect(knob.range, knob.name).toEqual(integer ? rangeOf(knob.name) : undefined);
      if (integer) expect(rangeOf(knob.name), `${knob.name} needs a row in NUMBER_KNOBS`).toBeDefined();
    }
    expect(NUMBER_KNOBS.map(([name]) => name)).toEqual(Object.keys(RANGES));
  });

  it('every default is inside its range', () => {
    for (const knob of KNOBS) expect(knobProblem({ [knob.name]: knob.default }), knob.name).toBeUndefined();
  });

  it.each([
    [RANGES.maxBodyBytes, 'an integer from 1024 to 4194304'],
    [RANGES.loginRatePerHour, 'null or an integer from 1 to 100000'],
  ])('rangeText(%j) is "%s"', (range, text) => {
    expect(rangeText(range)).toBe(text);
  });
});

describe('resolveKnobs (new MockOrg({knobs}), startMockOrg({knobs}))', () => {
  it.each(CASES)('%s = %s (%j): taken %s', (knob, _what, value, taken, message) => {
    if (taken) {
      expect(resolveKnobs({ [knob]: value })).toEqual({ ...DEFAULT_KNOBS, [knob]: value });
      return;
    }
    let thrown: unknown;
    try {
      resolveKnobs({ [knob]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KnobError);
    expect(thrown).toMatchObject({ code: 'ERR_KNOB', exitCode: 2, message, actions: [FIX] });
  });

  it('an unknown knob is named, with the list of knobs', () => {
    expect(() => resolveKnobs({ noSuchKnob: 1 } as never)).toThrow(KnobError);
    expect(() => resolveKnobs({ noSuchKnob: 1 } as never)).toThrow(/^unknown knob "noSuchKnob"$/);
    expect(knobProblem({ noSuchKnob: 1 })).toEqual({ knob: 'noSuchKnob', value: 1, message: 'unknown knob "noSuchKnob"', fix: `Knobs: ${KNOBS.map((k) => k.name).join(', ')}.` });
  });

  it('a later layer cannot smuggle a value past the check, and an undefined one keeps the value', () => {
    expect(() => resolveKnobs({ maxBodyBytes: 2_048 }, { maxBodyBytes: 104_857_600 })).toThrow('maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600');
    expect(resolveKnobs({ maxBodyBytes: 2_048 }, { maxBodyBytes: undefined }).maxBodyBytes).toBe(2_048);
  });

  it('a long value is not echoed whole', () => {
    expect(knobProblem({ journalSize: 'x'.repeat(1_000) })).toEqual({
      knob: 'journalSize',
      value: `"${'x'.repeat(39)}… (1002 characters)`,
      range: { min: 1, max: 10_000 },
      message: `journalSize: must be an integer from 1 to 10000, got "${'x'.repeat(39)}… (1002 characters)`,
      fix: FIX,
    });
  });

  it('startMockOrg({knobs}) with a body limit of 100 MiB: an SfjwtError, before anything listens', async () => {
    const started = startMockOrg({ world: testWorld(), port: 0, tls: false, stateDir: testStateDir('sfjwt-knobs-'), knobs: { maxBodyBytes: 104_857_600 } });
    await expect(started).rejects.toBeInstanceOf(SfjwtError);
    await expect(started).rejects.toThrow('maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600');
  });
});

describe('PATCH /__sfjwt/knobs', () => {
  const MSW = { host: LOGIN_HOST, secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };
  async function patch(org: ReturnType<typeof testOrg>['org'], body: string, method = 'PATCH') {
    const request = new Request(`https://${LOGIN_HOST}/__sfjwt/knobs`, { method, headers: { 'Content-Type': 'application/json' }, body });
    const res = await handleAdmin(org, fromFetchRequest(request), MSW);
    return { status: res.status, body: JSON.parse(await res.text()) as unknown };
  }

  it.each(CASES)('%s = %s (%j): taken %s', async (knob, _what, value, taken, message) => {
    const { org } = testOrg();
    const res = await patch(org, JSON.stringify({ [knob]: value }));
    if (taken) {
      expect(res).toEqual({ status: 200, body: { ...DEFAULT_KNOBS, [knob]: value } });
      expect(org.knobs).toEqual({ ...DEFAULT_KNOBS, [knob]: value });
      return;
    }
    const range = rangeOf(knob);
    expect(res).toEqual({ status: 400, body: { error: message, knob, value, ...(range === undefined ? {} : { range }), fix: FIX } });
    expect(org.knobs).toEqual(DEFAULT_KNOBS);
  });

  it('PUT {"maxBodyBytes":104857600} (100 MiB): 400, exactly this body, the limit unchanged', async () => {
    const { org } = testOrg();
    const res = await patch(org, '{"maxBodyBytes":104857600}', 'PUT');
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600',
        knob: 'maxBodyBytes',
        value: 104_857_600,
        range: { min: 1_024, max: 4_194_304 },
        fix: FIX,
      },
    });
    expect(org.knobs.maxBodyBytes).toBe(1_048_576);
  });

  it('one bad knob among good ones changes none of them', async () => {
    const { org } = testOrg();
    const res = await patch(org, '{"expLeewaySeconds":0,"loginRatePerHour":1000000}');
    expect(res.status).toBe(400);
    expect((res.body as { knob: string }).knob).toBe('loginRatePerHour');
    expect(org.knobs).toEqual(DEFAULT_KNOBS);
  });

  it.each([
    ['an unknown knob', '{"noSuchKnob":true}', { error: 'unknown knob "noSuchKnob"', knob: 'noSuchKnob', value: true, fix: `Knobs: ${KNOBS.map((k) => k.name).join(', ')}.` }],
    ['"constructor"', '{"constructor":1}', { error: 'unknown knob "constructor"', knob: 'constructor', value: 1, fix: `Knobs: ${KNOBS.map((k) => k.name).join(', ')}.` }],
    ['a list', '[1]', { error: 'knobs must be an object of knob names and values, got [1]', fix: FIX }],
    ['a string', '"journalSize"', { error: 'knobs must be an object of knob names and values, got "journalSize"', fix: FIX }],
  ])('%s: 400 naming it', async (_name, body, answer) => {
    const { org } = testOrg();
    expect(await patch(org, body)).toEqual({ status: 400, body: answer });
  });
});

describe('a world file', () => {
  const withKnobs = (knobs: Record<string, unknown>) => ({ ...(JSON.parse(JSON.stringify(testWorld())) as Record<string, unknown>), knobs });

  it.each(CASES)('%s = %s (%j): taken %s', (knob, _what, value, taken, message) => {
    if (taken) {
      expect(validateWorld(withKnobs({ [knob]: value })).knobs).toEqual({ [knob]: value });
      return;
    }
    let thrown: unknown;
    try {
      validateWorld(withKnobs({ [knob]: value }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    // The world's issue is the knob's message under the field's path in the file.
    expect((thrown as WorldError).issues).toEqual([{ path: `knobs.${message.slice(0, message.indexOf(':'))}`, message: message.slice(message.indexOf(':') + 2) }]);
  });

  it('serve --world with maxBodyBytes 100 MiB: WorldError (exit code 2) naming the file, the knob, the value and the range', () => {
    const file = join(testStateDir('sfjwt-knobs-world-'), 'world.json');
    writeFileSync(file, JSON.stringify(withKnobs({ maxBodyBytes: 104_857_600 })));
    expect(() => loadWorldFile(file)).toThrow(WorldError);
    try {
      loadWorldFile(file);
    } catch (error) {
      expect((error as WorldError).exitCode).toBe(2);
      expect((error as WorldError).message).toContain(`${file} is not a valid world (1 problem):`);
      expect((error as WorldError).message).toContain('knobs.maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600');
    }
  });
});
