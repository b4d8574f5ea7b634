/**
 * What a command gets from the world, as arguments: its argv, the streams it writes to, standard
 * input, the environment, the clock, the working folder, and a signal that stops a long-running
 * command. A command reads nothing of `process` itself, so a test runs it in-process with captured
 * output, a frozen clock and an env of its own; `withProcess` is the one place that reads the process,
 * and it also keeps a reader that went away (`sfjwt scenarios | head`) from ending in a stack trace.
 */
import { resolve } from 'node:path';
import { type AskSecret, askOnTerminal } from './secret-prompt.ts';

/** Where a command writes: process.stdout, or anything that collects strings. */
export interface Output {
  write(chunk: string): boolean;
  readonly isTTY?: boolean | undefined;
}

/** Standard input, read to its end by `inspect -`. */
export interface Input extends AsyncIterable<string | Uint8Array> {
  readonly isTTY?: boolean | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface CommandIo {
  stdout: Output;
  stderr: Output;
  stdin: Input;
  env: Env;
  /** Milliseconds since the epoch: what "now" is for expiry checks, certificates and reports. */
  now: () => number;
  /** The folder of relative paths and default files (sfjwt.config.json, reports/, .sfjwt/); the process's when absent. */
  cwd?: string | undefined;
  /** Stops a long-running command (serve) when aborted; without one, serve stops on SIGINT or SIGTERM. */
  signal?: AbortSignal | undefined;
  /** Asks for a passphrase without echo; undefined answers (or none given) when there is no terminal to ask on. */
  askSecret?: AskSecret | undefined;
}

export interface CommandContext extends CommandIo {
  /** The arguments after the command's name. */
  argv: string[];
}

/** A command: its exit code (0 done, 1 findings, 2 usage) once it has finished. */
export type Command = (ctx: CommandContext) => number | Promise<number>;

/** A reader that closed the pipe wants no more: later writes are dropped, not thrown as EPIPE. */
function closable(stream: NodeJS.WriteStream): Output {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw error;
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    write: (chunk) => !closed && stream.write(chunk),
  };
}

/** process.stdin, touched only when a command reads it (opening it early can hold a terminal). */
const processStdin: Input = {
  get isTTY() {
    return process.stdin.isTTY;
  },
  [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator](),
};

const outputs = new Map<NodeJS.WriteStream, Output>();

/** One wrapper (and one error listener) per process stream, however often main runs. */
function processOutput(stream: NodeJS.WriteStream): Output {
  let output = outputs.get(stream);
  if (output === undefined) {
    output = closable(stream);
    outputs.set(stream, output);
  }
  return output;
}

/** Whether `output` is this process's own stdout or stderr (a child may then share it as it is). */
export function isProcessOutput(output: Output, stream: NodeJS.WriteStream): boolean {
  return outputs.get(stream) === output;
}

/** What the caller gave, and the process's streams, environment and clock for the rest. */
export function withProcess(io: Partial<CommandIo>): CommandIo {
  return {
    stdout: io.stdout ?? processOutput(process.stdout),
    stderr: io.stderr ?? processOutput(process.stderr),
    stdin: io.stdin ?? processStdin,
    env: io.env ?? process.env,
    now: io.now ?? Date.now,
    cwd: io.cwd,
    signal: io.signal,
    // The process's terminal only with the process's stdin (read when asked: opening it early can hold a terminal).
    askSecret: io.askSecret ?? (io.stdin === undefined ? (question) => askOnTerminal(process.stdin, process.stderr)(question) : undefined),
  };
}

/** A path the user gave, relative to the context's folder when it has one (else left as given). */
export function inCwd(ctx: Pick<CommandIo, 'cwd'>, path: string): string {
  return ctx.cwd === undefined ? path : resolve(ctx.cwd, path);
}

/** The state folder: --state-dir, else SFJWT_HOME, else .sfjwt (as lib/state-folder's default, read from the context). */
export function stateDir(ctx: Pick<CommandIo, 'cwd' | 'env'>, flag?: string): string {
  return resolve(inCwd(ctx, flag ?? ctx.env['SFJWT_HOME'] ?? '.sfjwt'));
}
