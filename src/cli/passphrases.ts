/**
 * Where the keys commands get a passphrase or store password from, in order: the flag (which other
 * local users can read in the process list), its environment variable (which they cannot), and, when
 * one is needed and neither is given, a prompt on the terminal without echo. Without a terminal
 * (a pipe, CI) there is nobody to ask: a secret that is needed is then a usage error saying how to
 * give it. An empty variable counts as unset, as everywhere in sfjwt.
 */
import { UsageError } from '../../lib/errors.ts';
import type { CommandContext } from './context.ts';

export interface SecretSource {
  /** The flag, e.g. --passphrase. */
  flag: string;
  /** Its environment variable, e.g. SFJWT_KEY_PASSPHRASE. */
  env: string;
}

export const KEY_PASSPHRASE: SecretSource = { flag: '--passphrase', env: 'SFJWT_KEY_PASSPHRASE' };
export const STORE_PASSWORD: SecretSource = { flag: '--storepass', env: 'SFJWT_STOREPASS' };

/** The flag's value, else the variable's; undefined when neither is given. */
export function givenSecret(ctx: Pick<CommandContext, 'env'>, value: unknown, source: SecretSource): string | undefined {
  if (typeof value === 'string') return value;
  const fromEnv = ctx.env[source.env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** Given, else asked on the terminal (twice when `confirm`, for a new password); undefined without a terminal. */
export async function secretOrAsk(ctx: Pick<CommandContext, 'env' | 'askSecret'>, value: unknown, source: SecretSource, question: string, confirm = false): Promise<string | undefined> {
  const given = givenSecret(ctx, value, source);
  if (given !== undefined || ctx.askSecret === undefined) return given;
  const answer = await ctx.askSecret(`${question}: `);
  if (answer === undefined || !confirm) return answer;
  if ((await ctx.askSecret(`${question} (again): `)) !== answer) throw new UsageError('the two entries differ', { actions: ['Run the command again and type the same password twice.'] });
  return answer;
}

/** Given, else asked; else a UsageError naming `what` and the ways to give it. */
export async function requiredSecret(ctx: Pick<CommandContext, 'env' | 'askSecret'>, value: unknown, source: SecretSource, what: string, confirm = false): Promise<string> {
  const secret = await secretOrAsk(ctx, value, source, what.charAt(0).toUpperCase() + what.slice(1), confirm);
  if (secret !== undefined) return secret;
  throw new UsageError(`${what} is needed, and standard input is not a terminal to ask on`, {
    actions: [`Set ${source.env} (other local users cannot read it, as they can a flag), or pass ${source.flag}.`],
  });
}
