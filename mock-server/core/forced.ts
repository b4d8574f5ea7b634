/**
 * Outcomes an admin forces on the next token requests, to rehearse what tests cannot provoke: a
 * transient `unknown_error`, any Salesforce error, a slow answer or a dropped connection. The queue
 * is read when a token request is decided and used up when it is committed; `FORCED_CAUSE` is what
 * the trace, the doctor and `explain` say about such an answer.
 */
import { z } from 'zod';

export const ForcedSchema = z.strictObject({
  outcome: z.union([z.enum(['unknown_error', 'drop', 'delay']), z.strictObject({ status: z.int().min(200).max(599).default(400), error: z.string().min(1), error_description: z.string() })]),
  /** How many of the next token requests get it. */
  count: z.int().min(1).max(1_000_000).default(1),
  /** With `delay`: milliseconds before the normal answer. */
  delayMs: z.int().min(0).max(120_000).default(1_000),
});

export type Forced = z.infer<typeof ForcedSchema>;

export class ForcedQueue {
  private queue: { forced: Forced; left: number }[] = [];

  push(forced: Forced): void {
    this.queue.push({ forced, left: forced.count });
  }

  /** The outcome the next token request gets, without using it up. */
  peek(): Forced | undefined {
    return this.queue[0]?.forced;
  }

  /** Takes one use of the first queued outcome, if any. */
  take(): Forced | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.left -= 1;
    if (head.left <= 0) this.queue.shift();
    return head.forced;
  }

  pending(): { outcome: Forced['outcome']; left: number }[] {
    return this.queue.map((q) => ({ outcome: q.forced.outcome, left: q.left }));
  }

  clear(): void {
    this.queue = [];
  }
}

/** The cause that is no check: Salesforce failing on its side, which the admin API forces. */
export const FORCED_CAUSE = {
  id: 'forced',
  /** The step's title in a trace. */
  traceTitle: 'Outcome forced by the admin API',
  title: "A failure on Salesforce's side",
  description: 'Now and then Salesforce fails on its side and answers an otherwise correct request with an error; the mock gives this answer only when its admin API forces it (POST /__sfjwt/force).',
  rootCause: { title: "A transient failure on Salesforce's side", fix: 'Retry with backoff; it passes on a later attempt.' },
  confirm: 'the same request succeeds when retried a little later.',
} as const;
