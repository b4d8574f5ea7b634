/**
 * `sfjwt inspect`: decodes and lints an assertion (given as an argument or on standard input, bare
 * or inside a form body), optionally verifies its signature against the app's certificate, and
 * never prints the signature or the whole JWT back. Exit code 0: no errors; 1: errors; 2: usage.
 */

import { UsageError } from '../../lib/errors.ts';
import { loadCertificate } from '../../lib/pki/certificate.ts';
import { INPUT_LIMITS, readInputFile } from '../../lib/read-input-file.ts';
import { extractAssertion, hostName, inspectAssertion } from '../diagnose/inspect.ts';
import { countBySeverity, renderInspection } from '../diagnose/inspect-render.ts';
import { type CommandSpec, colours, parse } from './args.ts';
import { type CommandContext, type Input, inCwd, type Output } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const inspectSpec = {
  name: 'inspect',
  summary: SUMMARIES.inspect,
  usage: 'npx sfjwt inspect <JWT | -> [--cert FILE] [--host HOST] [--json]',
  options: {
    cert: { type: 'string' },
    host: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const HELP = `${inspectSpec.usage}

${inspectSpec.summary}.
  JWT            the assertion (header.payload.signature), or "assertion=<JWT>", or a whole form body
  -              read it from standard input (e.g. pbpaste | npx sfjwt inspect -)
  --cert FILE    the certificate uploaded to the connected app: verifies the RS256 signature with it
  --host HOST    the host it is posted to (login.salesforce.com, test.salesforce.com, a My Domain),
                 to check aud against it
  --json         {header, payload, findings, signature: {bytes, verified?}}

The signature and the whole JWT are never printed: the signature shows as its length only.
Exit code 0: no errors; 1: errors found; 2: usage errors.

Examples:
  npx sfjwt inspect eyJhbGciOiJSUzI1NiJ9.eyJpc3Mi… --host login.salesforce.com --cert server.crt
  npx sfjwt inspect - < request-body.txt`;

/**
 * The most `inspect -` reads from standard input: a token endpoint takes bodies of at most 1 MiB
 * (413 past it), so no assertion or form body is larger. `inspect < /dev/zero` stops here.
 */
export const MAX_STDIN_BYTES = 1024 * 1024;

async function readAll(stdin: Input, stderr: Output): Promise<string> {
  // On a terminal, nothing arrives until end of input: say how to end it rather than seem to hang.
  if (stdin.isTTY === true) stderr.write('Paste the JWT, then press Ctrl-D (Ctrl-Z Enter on Windows).\n');
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total += bytes.length;
    // Leaving the loop ends the stream (for-await returns it): nothing more is read or kept.
    if (total > MAX_STDIN_BYTES) {
      throw new UsageError(`standard input holds more than ${MAX_STDIN_BYTES / 1024 / 1024} MiB, more than any assertion or token request body`, {
        actions: ['Give the JWT itself (header.payload.signature) or the form body that was posted, e.g. pbpaste | npx sfjwt inspect -.'],
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readCert(path: string) {
  const data = readInputFile(path, { what: 'certificate file', maxBytes: INPUT_LIMITS.keyMaterial, actions: ['Give the certificate uploaded to the connected app (server.crt).'] });
  return { info: loadCertificate(data, path), source: path };
}

export async function inspect(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse(inspectSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('inspect needs a JWT, or - to read it from standard input', { actions: [`Usage: ${inspectSpec.usage}`] });
  if (positionals.length > 1) throw new UsageError(`inspect takes one JWT, got ${positionals.length} arguments`, { actions: ['Quote the JWT, or pipe it in with -.', `Usage: ${inspectSpec.usage}`] });
  const given = positionals[0] === '-' ? await readAll(ctx.stdin, ctx.stderr) : (positionals[0] ?? '');
  const jwt = extractAssertion(given);
  if (jwt === '') throw new UsageError(positionals[0] === '-' ? 'no JWT on standard input' : 'the JWT given is empty', { actions: [`Usage: ${inspectSpec.usage}`] });
  const hostOption = values.host as string | undefined;
  const host = hostOption === undefined ? undefined : hostName(hostOption);
  if (hostOption !== undefined && host === undefined)
    throw new UsageError(`--host takes a host name or URL, got "${hostOption}"`, { actions: ['For example --host login.salesforce.com or --host https://acme.my.salesforce.com.'] });
  const certificate = values.cert === undefined ? undefined : readCert(inCwd(ctx, values.cert as string));
  const result = inspectAssertion({ jwt, now: ctx.now(), host, certificate });
  if (values.json === true) {
    const { header, payload, findings, signature } = result;
    ctx.stdout.write(`${JSON.stringify({ header, payload, findings, signature })}\n`);
  } else {
    ctx.stdout.write(`${renderInspection(result, colours(ctx.stdout, ctx.env))}\n`);
  }
  return countBySeverity(result).error > 0 ? 1 : 0;
}
