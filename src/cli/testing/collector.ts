/** For CLI tests: an output stream that keeps what a command writes, for running commands in-process. */
import type { Output } from '../context.ts';

/** A stream that keeps what is written; `onWrite` sees the whole text after each write. */
export function collector(onWrite?: (text: string) => void): Output & { text: string } {
  const out = {
    text: '',
    write(chunk: string) {
      out.text += chunk;
      onWrite?.(out.text);
      return true;
    },
  };
  return out;
}
