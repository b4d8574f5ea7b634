/**
 * Finding the command a user typed, in this process through `main(argv, io)`: a name that is a
 * property of every object (toString, constructor, __proto__) is an unknown command like any other
 * (exit 2, the list of commands, no stack trace), and a near miss is answered with the command meant.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from './context.ts';
import { main } from './main.ts';

const COMMAND_LIST = '  → Commands: start, run, scenarios, serve, stop, exec, world, keys, sign, token, doctor, explain, inspect, guide, lab, postman.';
const HELP_LINE = '  → npx sfjwt --help lists them.';

function collector(): Output & { text: string } {
  const out = {
    text: '',
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out;
}

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1' } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('an unknown command', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'bogus', ''])('sfjwt %j: exit 2, the commands listed, no stack', async (name) => {
    expect(await run([name])).toEqual({ code: 2, stdout: '', stderr: `sfjwt: unknown command "${name}"\n${COMMAND_LIST}\n${HELP_LINE}\n` });
  });

  it.each([
    ['serv', 'serve'],
    ['Serve', 'serve'],
    ['scenario', 'scenarios'],
    ['doctr', 'doctor'],
    ['inpsect', 'inspect'],
    ['kyes', 'keys'],
  ])('sfjwt %s: exit 2, and the command meant (%s) first', async (typed, meant) => {
    expect(await run([typed, '--json'])).toEqual({ code: 2, stdout: '', stderr: `sfjwt: unknown command "${typed}"\n  → Did you mean npx sfjwt ${meant}?\n${COMMAND_LIST}\n${HELP_LINE}\n` });
  });
});
