/**
 * The terminal prompt for a passphrase, against a stand-in terminal (an EventEmitter with isTTY and
 * setRawMode, as process.stdin has on a TTY): nothing typed is written back (no echo; only the
 * question and a newline), raw mode is on while it reads and restored after, Backspace edits, Enter
 * ends, Ctrl-C cancels as a usage error, and without a terminal nothing is asked at all.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors.ts';
import { askOnTerminal } from './secret-prompt.ts';

class FakeTerminal extends EventEmitter {
  isRaw = false;
  readonly modes: boolean[] = [];
  paused = true;
  constructor(readonly isTTY: boolean) {
    super();
  }
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.modes.push(mode);
  }
  setEncoding() {}
  resume() {
    this.paused = false;
  }
  pause() {
    this.paused = true;
  }
  type(...chunks: string[]) {
    for (const c of chunks) this.emit('data', c);
  }
}

function prompt(isTTY = true) {
  const terminal = new FakeTerminal(isTTY);
  let written = '';
  const ask = askOnTerminal(terminal, { write: (c: string) => (written += c) });
  return { terminal, ask, written: () => written };
}

describe('askOnTerminal', () => {
  it('reads up to Enter without echo, in raw mode, and restores the mode after', async () => {
    const { terminal, ask, written } = prompt();
    const answer = ask('Passphrase: ');
    expect(terminal.isRaw).toBe(true);
    terminal.type('se', 'cx\u007fret', '\r', 'after');
    expect(await answer).toBe('secret');
    expect(written()).toBe('Passphrase: \n');
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.paused).toBe(true);
    expect(terminal.listenerCount('data')).toBe(0);
  });

  it('Ctrl-C cancels with a usage error, the terminal given back', async () => {
    const { terminal, ask } = prompt();
    const answer = ask('Passphrase: ');
    terminal.type('abc\u0003');
    await expect(answer).rejects.toThrow(UsageError);
    await expect(answer).rejects.toThrow('cancelled at the passphrase prompt');
    expect(terminal.isRaw).toBe(false);
  });

  it('without a terminal: asks nothing and answers undefined', async () => {
    const { terminal, ask, written } = prompt(false);
    expect(await ask('Passphrase: ')).toBeUndefined();
    expect(written()).toBe('');
    expect(terminal.modes).toEqual([]);
  });
});
