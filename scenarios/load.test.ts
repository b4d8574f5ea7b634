/**
 * Reading a user's scenario folder: only regular files are read (a FIFO or a link to a device among
 * the .json files is refused at once, naming it), and a value nested too deep to send is refused
 * when the file is loaded, with the field, instead of overflowing the stack when the request is built.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../lib/errors.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from '../lib/testing/fifo.ts';
import { catalogue, loadScenarios, parseScenario, ScenarioFileError } from './load.ts';

const dirs: string[] = [];
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfjwt-scenarios-'));
  dirs.push(d);
  writeFileSync(join(d, 'a.json'), JSON.stringify(catalogue()[0]));
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('loadScenarios', () => {
  it.skipIf(!HAS_FIFOS)('refuses a FIFO among the scenario files at once, naming it', () => {
    const dir = folder();
    const fifo = makeFifo(join(dir, 'b.json'));
    const error = underWatchdog(fifo, () => thrownBy(() => loadScenarios(dir)));
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as ResourceError).message).toBe(`cannot read the scenario file ${fifo}: it is a FIFO (named pipe), not a regular file`);
  });

  it.skipIf(!HAS_FIFOS)('refuses a link to /dev/zero among the scenario files instead of reading without end', () => {
    const dir = folder();
    symlinkSync('/dev/zero', join(dir, 'b.json'));
    expect(() => loadScenarios(dir)).toThrow(`cannot read the scenario file ${join(dir, 'b.json')}: it is a character device, not a regular file`);
  });

  it('refuses a claim value nested 100,000 levels deep with the field, before anything is built', () => {
    const dir = folder();
    const text = JSON.stringify({ ...catalogue()[0], id: 'deep.claim', mistakes: [{ at: 'claims', set: { sub: '@DEEP@' } }] }).replace('"@DEEP@"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    writeFileSync(join(dir, 'b.json'), text);
    const error = thrownBy(() => loadScenarios(dir));
    expect(error).toBeInstanceOf(ScenarioFileError);
    expect((error as ScenarioFileError).issues).toEqual([{ path: 'mistakes[0].set.sub[0][0][0][0][0][0][0][0]…', message: 'nested more than 100 levels deep' }]);
    expect((error as ScenarioFileError).message).toBe(`${join(dir, 'b.json')} is not a valid scenario:\n  mistakes[0].set.sub[0][0][0][0][0][0][0][0]…: nested more than 100 levels deep`);
  });
});

describe('parseScenario', () => {
  it("words typical mistakes as what belongs there and what is there, never in zod's words", () => {
    const { expect: _expected, ...withoutExpect } = catalogue()[0] as unknown as Record<string, unknown>;
    const json = { ...withoutExpect, level: 'must', mistakes: [{ at: 'claim', set: { iss: 'x' } }], budget: 10 };
    const error = thrownBy(() => parseScenario(json, 'my.json'));
    expect(error).toBeInstanceOf(ScenarioFileError);
    expect((error as ScenarioFileError).message.split('\n')).toEqual([
      'my.json is not a valid scenario:',
      '  level: expected one of "MUST", "SHOULD", "MAY", got "must"',
      '  mistakes[0].at: expected one of "claims", "payload", "header", "sign", "form", "send", got "claim"',
      '  expect: expected an object, got nothing',
      '  (the scenario): unknown field "budget": check the spelling (field names are case-sensitive)',
    ]);
    expect((error as ScenarioFileError).message).not.toMatch(/Invalid (input|option|discriminator)|received|Unrecognized/);
  });
});
