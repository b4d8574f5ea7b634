/**
 * Argument parsing for every command: node:util parseArgs in strict mode, with its errors turned
 * into a UsageError that shows the command's usage, small readers for typed values, and colour and
 * progress decided by the stream and environment a command was given.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../../lib/errors.ts';
import type { Env, Output } from './context.ts';

export interface CommandSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
}

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: spec.allowPositionals ?? false });
  } catch (cause) {
    throw new UsageError(`${(cause as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`, {
      actions: [`Usage: ${spec.usage}`, `npx sfjwt ${spec.name} --help shows every option.`],
      cause,
    });
  }
}

export function intOption(value: string | undefined, name: string, range: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} takes a whole number from ${range.min} to ${range.max}, got "${value}"`);
  }
  return n;
}

/** Whether output goes to a person: a terminal, not CI. */
export function interactive(stream: Output, env: Env): boolean {
  return stream.isTTY === true && env['CI'] === undefined;
}

export type Colours = ReturnType<typeof colours>;

/** Colour only on a terminal and when NO_COLOR is not set. */
export function colours(stream: Output, env: Env) {
  const on = stream.isTTY === true && (env['NO_COLOR'] ?? '') === '';
  const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { green: wrap(32), red: wrap(31), dim: wrap(2), bold: wrap(1), yellow: wrap(33) };
}

/** A plain text table with padded columns. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
