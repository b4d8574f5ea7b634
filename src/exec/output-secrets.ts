/**
 * Secrets an integration prints: the command's stdout and stderr are read line by line as they pass
 * through, and a line that holds an access token, a refresh token, a whole signed assertion, a
 * private key, or one of the world's consumer secrets or passwords is noted (stream, line number,
 * what it held, the line with the secret cut out). The output itself is passed on unchanged: it is
 * the user's; the report only says where to look.
 */
import type { Redactor } from '../../mock-server/core/redactor.ts';

export interface PrintedSecret {
  stream: 'stdout' | 'stderr';
  /** From 1. */
  line: number;
  what: string;
  /** The line with the secret replaced, at most 160 characters. */
  excerpt: string;
}

const SHAPES: readonly { what: string; pattern: RegExp }[] = [
  { what: 'an access token', pattern: /\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{20,}/g },
  { what: 'a refresh token', pattern: /\b5Aep[0-9A-Za-z._]{40,}/g },
  { what: 'a signed assertion', pattern: /\beyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]{20,}/g },
  { what: 'a private key', pattern: /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/g },
];

/** Longest line kept whole before it is looked at in pieces (a line with no newline for megabytes). */
const MAX_LINE = 65_536;
/** Findings kept per stream: enough to see the habit, not a copy of the output. */
const MAX_FINDINGS = 20;

export class SecretScanner {
  readonly found: PrintedSecret[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private readonly lines = { stdout: 0, stderr: 0 };

  constructor(private readonly redactor: Redactor) {}

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    let text = this.partial[stream] + chunk;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      this.line(stream, text.slice(0, nl));
      text = text.slice(nl + 1);
      nl = text.indexOf('\n');
    }
    if (text.length > MAX_LINE) {
      this.line(stream, text, false);
      text = '';
    }
    this.partial[stream] = text;
  }

  /** The last lines that ended without a newline. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.line(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private line(stream: 'stdout' | 'stderr', text: string, counts = true): void {
    if (counts) this.lines[stream] += 1;
    if (this.found.filter((f) => f.stream === stream).length >= MAX_FINDINGS) return;
    let cut = text;
    const what: string[] = [];
    for (const shape of SHAPES) {
      const next = cut.replace(shape.pattern, `[${shape.what}]`);
      if (next !== cut) what.push(shape.what);
      cut = next;
    }
    if (this.redactor.holds(cut)) {
      const next = this.redactor.text(cut);
      if (next !== cut) what.push('a secret of the world (a consumer secret or a password)');
      cut = next;
    }
    if (what.length === 0) return;
    this.found.push({ stream, line: Math.max(1, this.lines[stream]), what: what.join(', '), excerpt: cut.length > 160 ? `${cut.slice(0, 159)}…` : cut });
  }
}
