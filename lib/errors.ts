/**
 * The one error hierarchy of sfjwt. Findings about a target are data and never throw; these errors
 * are for a user's mistake (bad config, bad world file, bad arguments, unreadable key) and for bugs
 * of the harness. Each has a stable `code`, a message that says what failed and why, and `actions`:
 * what to do next. The CLI prints message and actions (never a stack) and exits with `exitCode`.
 */
export class SfjwtError extends Error {
  readonly code: string = 'ERR_SFJWT';
  /** Exit code of the CLI when this error ends a command: 2 for usage and configuration errors. */
  readonly exitCode: number = 2;
  readonly actions: readonly string[];

  constructor(message: string, options: { actions?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.actions = options.actions ?? [];
  }
}

/** Command-line arguments that cannot be understood. */
export class UsageError extends SfjwtError {
  override readonly code = 'ERR_USAGE';
}

/** A world file (the mock org's data) that does not describe a valid world. */
export class WorldError extends SfjwtError {
  override readonly code: string = 'ERR_WORLD';
  readonly issues: readonly { path: string; message: string }[];

  constructor(message: string, issues: readonly { path: string; message: string }[], options: { actions?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
    this.issues = issues;
  }
}

/** A file that cannot be read or written (missing, unreadable, port in use, …). */
export class ResourceError extends SfjwtError {
  override readonly code = 'ERR_RESOURCE';
}

/** Key or certificate material that cannot be used. */
export class KeyMaterialError extends SfjwtError {
  override readonly code = 'ERR_KEY_MATERIAL';
}

/** Formats an error for a terminal: the message, then each action on its own line. */
export function formatError(error: unknown): string {
  if (error instanceof SfjwtError) {
    const actions = error.actions.map((a) => `  → ${a}`);
    return [`sfjwt: ${error.message}`, ...actions].join('\n');
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `sfjwt: internal error (a bug in sfjwt, please report it):\n${detail}`;
}
