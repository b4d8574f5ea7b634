/**
 * `sfjwt exec [--world FILE] [--report DIR] -- <command …>`: starts the mock over HTTPS on free ports
 * of 127.0.0.1 and runs the command so that an unmodified Node integration talks to it when it calls
 * login.salesforce.com, test.salesforce.com, a My Domain or a site: a preload (src/exec/preload.ts,
 * through NODE_OPTIONS) sends those names to the mock and refuses every other look-up or connection
 * that would leave loopback, and NODE_EXTRA_CA_CERTS trusts the mock's CA. The command also gets
 * SFJWT_CONSUMER_KEY, SFJWT_USERNAME, SFJWT_KEY_FILE and SFJWT_CA_FILE for the world served, so a
 * test can configure the integration while it still calls the real host names. The exit code is the
 * command's (128 + the signal's number when a signal ended it); what was refused is listed on stderr
 * and, with --report, in DIR/exec.json with the mock's journal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../../lib/errors.ts';
import { serverTls } from '../../mock-server/adapters/local-ca.ts';
import { startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { describeStarted } from '../../mock-server/adapters/serve-description.ts';
import type { Trace } from '../../mock-server/core/trace.ts';
import { conformanceLine, conformanceReport } from '../exec/conformance.ts';
import { writeConformanceReport } from '../exec/conformance-render.ts';
import { armFaults, parseFault } from '../exec/faults.ts';
import { javaToolOptions } from '../exec/java.ts';
import type { Refusal } from '../exec/loopback.ts';
import { SecretScanner } from '../exec/output-secrets.ts';
import { startExecProxy } from '../exec/proxy.ts';
import { type CommandSpec, parse } from './args.ts';
import { type CommandContext, inCwd, isProcessOutput, stateDir } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const execSpec = {
  name: 'exec',
  summary: SUMMARIES.exec,
  usage: 'npx sfjwt exec [--world FILE] [--fault F …] [--report DIR] [--strict] [--state-dir DIR] -- <command …>',
  options: { world: { type: 'string' }, fault: { type: 'string', multiple: true }, report: { type: 'string' }, strict: { type: 'boolean' }, 'state-dir': { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${execSpec.usage}

${execSpec.summary}.
  --world FILE      serve this world file instead of the default training ground
  --fault F         rehearse an error, as often as wanted, in order:
                      unknown_error[:N]  the next N token requests answer unknown_error
                      drop[:N]           the next N token requests are dropped unanswered
                      delay:MS[:N]       the next N token requests are answered after MS ms
                      expire-after:N     every session expires after N API calls (once)
                      revoke-after:N     every token is revoked after N API calls (once)
                      untrusted-tls      the mock serves a certificate from a CA the command
                                         is not given: a client that logs in anyway is a finding
  --report DIR      write the client conformance report: DIR/conformance.json (with the mock's
                    journal), conformance.md, conformance.html and junit.xml
  --strict          exit 1 when the conformance report has errors and the command exited 0
  --state-dir DIR   where the local CA and the default world's keys live (default .sfjwt)

With --report or --strict the command's output is passed through a pipe, to look for secrets it
prints (an access token, an assertion, a private key); it is passed on unchanged.

The command runs with, besides your environment:
  NODE_OPTIONS          --import of sfjwt's preload: Salesforce host names go to the mock, every
                        other look-up or connection off 127.0.0.1 is refused and listed
  NODE_EXTRA_CA_CERTS   the mock's CA (also SFJWT_CA_FILE)
  SFJWT_CONSUMER_KEY, SFJWT_USERNAME, SFJWT_KEY_FILE
                        the app, the user that logs in fine and its key (default world)
  HTTPS_PROXY, HTTP_PROXY (and lower case), NO_PROXY=127.0.0.1,localhost,::1
                        a proxy on 127.0.0.1 that tunnels the mock's host names to it and refuses
                        every other host: curl, Python requests and most clients read these
  CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE, SSL_CERT_FILE
                        the mock's CA, for curl, Python requests and OpenSSL
  JAVA_TOOL_OPTIONS     (yours first) the proxy and a trust store of the mock's CA, for Java's
                        HttpClient and HttpsURLConnection
Exit code: the command's (or 1, see --strict); 2 for usage errors.

Examples:
  npx sfjwt exec -- node my-integration.js
  npx sfjwt exec --report reports -- npm test
  npx sfjwt exec --fault expire-after:1 --fault unknown_error --strict --report reports -- node my-integration.js`;

/** Where the preload is: next to this module once compiled (dist/), or the compiled one when run from the sources. */
function preloadUrl(): string {
  const compiled = new URL('../exec/preload.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled.href;
  return pathToFileURL(fileURLToPath(new URL('../../dist/src/exec/preload.js', import.meta.url))).href;
}

/** Traces exec keeps for the conformance report: the newest, when a long run makes more. */
const MAX_TRACES = 20_000;

export async function exec(ctx: CommandContext): Promise<number> {
  const dash = ctx.argv.indexOf('--');
  const own = dash === -1 ? ctx.argv : ctx.argv.slice(0, dash);
  const command = dash === -1 ? [] : ctx.argv.slice(dash + 1);
  const { values } = parse(execSpec, own);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [program, ...args] = command;
  if (program === undefined) throw new UsageError('exec needs the command to run after --', { actions: [`Usage: ${execSpec.usage}`, 'For example: npx sfjwt exec -- node my-integration.js'] });
  const faults = ((values.fault as string[] | undefined) ?? []).map(parseFault);
  const untrusted = faults.some((f) => f.kind === 'untrusted-tls');
  const world = values.world as string | undefined;
  const report = values.report as string | undefined;
  const strict = values.strict === true;
  const home = stateDir(ctx, values['state-dir'] as string | undefined);
  const work = mkdtempSync(join(tmpdir(), 'sfjwt-exec-'));
  const started = await startMockOrg({
    port: 0,
    realHostNames: true,
    stateDir: home,
    // untrusted-tls: the mock's certificate comes from a CA of its own; the command is given the usual one.
    ...(untrusted ? { tlsStateDir: join(work, 'untrusted') } : {}),
    ...(world === undefined ? {} : { worldFile: inCwd(ctx, world) }),
  }).catch((error: unknown) => {
    rmSync(work, { recursive: true, force: true });
    throw error;
  });
  const log = join(work, 'refused.jsonl');
  const routes = Object.fromEntries(Object.entries(started.hosts).map(([name, base]) => [name, Number(new URL(base).port)]));
  const traces: Trace[] = [];
  const stopListening = started.org.journal.onAdd((t) => {
    traces.push(t);
    if (traces.length > MAX_TRACES) traces.shift();
  });
  const disarm = armFaults(started.org, faults);
  const proxy = await startExecProxy(routes);
  try {
    const d = describeStarted(started);
    const ca = untrusted ? serverTls(home).caFile : started.ca;
    const javaOptions = ca === null ? undefined : javaToolOptions({ caFile: ca, stateDir: home, proxyUrl: proxy.url, env: ctx.env });
    const env: NodeJS.ProcessEnv = {
      ...ctx.env,
      NODE_OPTIONS: [ctx.env['NODE_OPTIONS'] ?? '', `--import=${preloadUrl()}`].join(' ').trim(),
      ...(ca === null ? {} : { NODE_EXTRA_CA_CERTS: ca, SFJWT_CA_FILE: ca, CURL_CA_BUNDLE: ca, REQUESTS_CA_BUNDLE: ca, SSL_CERT_FILE: ca }),
      // Every other language: the proxy tunnels the mock's names to it and refuses the rest.
      HTTPS_PROXY: proxy.url,
      https_proxy: proxy.url,
      HTTP_PROXY: proxy.url,
      http_proxy: proxy.url,
      NO_PROXY: '127.0.0.1,localhost,::1',
      no_proxy: '127.0.0.1,localhost,::1',
      ...(javaOptions === undefined ? {} : { JAVA_TOOL_OPTIONS: javaOptions }),
      SFJWT_EXEC_ROUTES: JSON.stringify(routes),
      SFJWT_EXEC_LOG: log,
      ...(d.consumerKey === null ? {} : { SFJWT_CONSUMER_KEY: d.consumerKey }),
      ...(d.username === null ? {} : { SFJWT_USERNAME: d.username }),
      ...(d.privateKeyFile === null ? {} : { SFJWT_KEY_FILE: d.privateKeyFile }),
    };
    const startedAt = new Date().toISOString();
    // The output is read for secrets when a report is asked for; otherwise a terminal is handed over as it is.
    const scanner = report !== undefined || strict ? new SecretScanner(started.org.redactor()) : undefined;
    const code = await runCommand(ctx, program, args, env, scanner);
    scanner?.end();
    const refused: Refusal[] = [
      ...(existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as Refusal)
        : []),
      ...proxy.refused,
    ];
    if (refused.length > 0) {
      const listed = [...new Set(refused.map((r) => (r.port === undefined ? `${r.kind} ${r.host}` : `${r.kind} ${r.host}:${r.port}`)))];
      ctx.stderr.write(`sfjwt exec: refused ${refused.length} attempt${refused.length === 1 ? '' : 's'} to leave loopback: ${listed.join(', ')}\n`);
    }
    if (scanner === undefined) return code;
    const conformance = conformanceReport({ command, exitCode: code, startedAt, finishedAt: new Date().toISOString(), faults, traces, refused, printed: scanner.found });
    const written = report === undefined ? [] : writeConformanceReport(inCwd(ctx, report), conformance, traces);
    const md = written.find((f) => f.endsWith('.md'));
    const shown = md === undefined ? undefined : relative(ctx.cwd ?? process.cwd(), md);
    ctx.stderr.write(`sfjwt exec: conformance: ${conformanceLine(conformance)}${md === undefined ? '' : `; see ${shown === undefined || shown.startsWith('..') ? md : shown}`}\n`);
    for (const c of conformance.checks) if (c.result === 'error' || c.result === 'warning') ctx.stderr.write(`  ${c.result}: ${c.title}: ${c.saw}\n`);
    return strict && code === 0 && conformance.summary.errors > 0 ? 1 : code;
  } finally {
    disarm();
    stopListening();
    await proxy.close();
    await started.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the command to its end; its output goes to ctx's streams (and the scanner), or the terminal is handed over. */
function runCommand(ctx: CommandContext, program: string, args: string[], env: NodeJS.ProcessEnv, scanner: SecretScanner | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const inherit = scanner === undefined && isProcessOutput(ctx.stdout, process.stdout) && isProcessOutput(ctx.stderr, process.stderr);
    const child = spawn(program, args, { cwd: ctx.cwd, env, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      scanner?.write('stdout', c);
      ctx.stdout.write(c);
    });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      scanner?.write('stderr', c);
      ctx.stderr.write(c);
    });
    ctx.signal?.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new UsageError(`exec cannot run ${program}: no such command`, { actions: ['Check the command after --, and that it is on the PATH.'] }) : error),
    );
    // 'exit', not 'close': a process the command started may keep its output open after it ended.
    const ended = (stream: NodeJS.ReadableStream | null) => (stream === null ? Promise.resolve() : new Promise<void>((done) => stream.once('end', done)));
    const output = Promise.all([ended(child.stdout), ended(child.stderr)]);
    child.once('exit', (exitCode, signal) => {
      const code = exitCode ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
      // What it wrote last is still passed on, for a moment at most.
      void Promise.race([output, new Promise((done) => setTimeout(done, 500).unref())]).then(() => resolve(code));
    });
  });
}
