/**
 * Asking for a passphrase on the terminal, without echo: standard input in raw mode, the question on
 * standard error (so that `--json` output on stdout stays clean), the answer read up to Enter, with
 * Backspace working and Ctrl-C or Ctrl-D cancelling. Only on a terminal: when standard input is not
 * one (a pipe, CI), there is nobody to ask and the caller says what to pass instead. A command gets
 * this through its context (`askSecret`), so a test gives its own.
 */
import { UsageError } from '../../lib/errors.ts';

/** What a command calls: the answer, or undefined when there is no terminal to ask on. */
export type AskSecret = (question: string) => Promise<string | undefined>;

interface Terminal {
  readonly isTTY?: boolean | undefined;
  readonly isRaw?: boolean | undefined;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Reads one secret line from `input` (a TTY in raw mode), writing only the question and a newline to `output`. */
export function askOnTerminal(input: Terminal, output: { write(chunk: string): unknown }): AskSecret {
  return (question) => {
    if (input.isTTY !== true || input.setRawMode === undefined) return Promise.resolve(undefined);
    const setRawMode = input.setRawMode.bind(input);
    output.write(question);
    const wasRaw = input.isRaw === true;
    setRawMode(true);
    input.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let answer = '';
      const finish = (error?: Error) => {
        input.off('data', onData);
        setRawMode(wasRaw);
        input.pause();
        output.write('\n');
        if (error === undefined) resolve(answer);
        else reject(error);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return finish();
          // Raw mode turns Ctrl-C into a character rather than SIGINT: it cancels, as it would otherwise.
          if (ch === '\u0003' || ch === '\u0004')
            return finish(new UsageError('cancelled at the passphrase prompt', { actions: ['Run the command again, or pass the passphrase in its environment variable.'] }));
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else if (ch >= ' ') answer += ch;
        }
        return undefined;
      };
      input.on('data', onData);
      input.resume();
    });
  };
}
