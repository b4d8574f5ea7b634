/**
 * `npm start` / `sfjwt start`: the main job on the embedded mock. It starts the mock org over HTTPS,
 * logs every user of the training ground in (in-process through msw, and over HTTPS on loopback),
 * checks each answer is the one Salesforce gives in that situation, prints the table and writes a
 * JSON report under reports/. On a terminal it then keeps serving, as `serve` does; in CI, or with
 * --once, it stops. Exit code 1 when any answer differs from the expected one.
 */
import { mkdirSync, readFileSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { salesforceHandlers } from '../../mock-server/adapters/msw.ts';
import { startMockOrg, type StartedMockOrg } from '../../mock-server/adapters/node-server.ts';
import { MockOrg } from '../../mock-server/core/mock-org.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { LOGIN_HOST, TEST_HOST } from '../../mock-server/world/hosts.ts';
import { defaultStateDir } from '../keys/local-store.ts';
import { buildClaims, importPrivateKey, signAssertion, tokenForm } from '../client/assertion.ts';
import { fetchTrusting, type FetchLike } from '../client/https-fetch.ts';
import { colours, interactive, parse, table, type CommandSpec } from './args.ts';
import { describeAsText } from './serve.ts';

export const startSpec = {
  name: 'start',
  summary: 'The main job: log every training-ground user in against the embedded mock, then keep serving on a terminal',
  usage: 'npx sfjwt start [--once] [--json] [--reports DIR]',
  options: { once: { type: 'boolean' }, json: { type: 'boolean' }, reports: { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** What Salesforce answers each training-ground situation, and how the request is made. */
const EXPECTED: Record<string, { app?: string; answer: string }> = {
  'logs in': { answer: '200' },
  'never approved the app': { answer: "invalid_grant: user hasn't approved this consumer" },
  'profile not admitted by an admin-approved app': { app: DEFAULT_APPS.adminApproved, answer: 'invalid_app_access: user is not admin approved to access this app' },
  inactive: { answer: 'invalid_grant: inactive user' },
  frozen: { answer: 'invalid_grant: user is frozen' },
  'IP restricted': { answer: 'invalid_grant: ip restricted' },
  'sandbox user': { answer: '200' },
  'org locked': { answer: 'inactive_org: organization is locked, closed, or suspended' },
};

interface Attempt {
  target: 'in-process' | 'https';
  username: string;
  situation: string;
  app: string;
  expected: string;
  actual: string;
  decidedBy: string | null;
  ok: boolean;
}

async function attempt(send: FetchLike, base: (host: string) => string, org: MockOrg, started: StartedMockOrg, target: Attempt['target']): Promise<Attempt[]> {
  const world = org.index.world;
  const key = importPrivateKey(readFileSync(started.appKey?.privateKeyFile ?? '', 'utf8'));
  const out: Attempt[] = [];
  for (const user of world.users) {
    const situation = user.situation ?? 'logs in';
    const plan = EXPECTED[situation] ?? { answer: '200' };
    const app = world.apps.find((a) => a.name === (plan.app ?? DEFAULT_APPS.selfAuthorized));
    const sandbox = world.orgs.find((o) => o.name === user.org)?.kind === 'sandbox';
    const host = sandbox ? TEST_HOST : LOGIN_HOST;
    const claims = buildClaims({ consumerKey: app?.consumerKey ?? '', username: user.username, audience: `https://${host}`, now: Date.now() });
    const res = await send(`${base(host)}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: tokenForm(await signAssertion(claims, key)),
    });
    const text = await res.text();
    let actual = String(res.status);
    if (res.status !== 200) {
      try {
        const body = JSON.parse(text) as { error?: string; error_description?: string };
        actual = `${body.error ?? '?'}: ${body.error_description ?? '?'}`;
      } catch {
        actual = `${res.status} (not JSON)`;
      }
    }
    const traceId = res.headers.get('x-sfjwt-trace');
    const decidedBy = traceId === null ? null : (org.journal.get(traceId)?.decidedBy ?? null);
    out.push({ target, username: user.username, situation, app: app?.name ?? '', expected: plan.answer, actual, decidedBy, ok: actual === plan.answer });
  }
  return out;
}

function writeReport(dir: string, report: unknown): string {
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(dir, runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'start.json'), `${JSON.stringify(report, null, 2)}\n`);
  const latest = join(dir, 'latest');
  rmSync(latest, { recursive: true, force: true });
  cpSync(runDir, latest, { recursive: true });
  return runDir;
}

export async function start(argv: string[]): Promise<void> {
  const { values } = parse(startSpec, argv);
  if (values.help === true) {
    process.stdout.write(`${startSpec.usage}\n\n${startSpec.summary}.\n\n  --once         stop after the check even on a terminal\n  --json         print the report as JSON\n  --reports DIR  where reports go (default reports/)\n`);
    return;
  }
  const started = await startMockOrg({ stateDir: defaultStateDir() });
  try {
    const https = await attempt(fetchTrusting(started.caPem), (h) => started.hosts[h] ?? '', started.org, started, 'https');
    const inProcessOrg = new MockOrg({ world: started.org.index.world });
    const msw = setupServer(...salesforceHandlers(inProcessOrg));
    msw.listen({ onUnhandledRequest: 'bypass' });
    let inProcess: Attempt[];
    try {
      inProcess = await attempt((i, init) => fetch(i, init), (h) => `https://${h}`, inProcessOrg, started, 'in-process');
    } finally {
      msw.close();
    }
    const attempts = [...inProcess, ...https];
    const failed = attempts.filter((a) => !a.ok);
    const report = { kind: 'sfjwt-start', schemaVersion: 1, time: new Date().toISOString(), passed: attempts.length - failed.length, failed: failed.length, attempts };
    const runDir = writeReport(values.reports as string | undefined ?? 'reports', report);
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      const c = colours();
      process.stdout.write(
        `${table(
          ['target', 'username', 'situation', 'answer', 'decided by', ''],
          attempts.map((a) => [a.target, a.username, a.situation, a.actual, a.decidedBy ?? '-', a.ok ? c.green('ok') : c.red(`expected ${a.expected}`)]),
        )}\n\n${attempts.length - failed.length} passed, ${failed.length} failed\nreport: ${join(runDir, 'start.json')}\n`,
      );
    }
    if (failed.length > 0) process.exitCode = 1;
    if (values.once !== true && values.json !== true && interactive()) {
      process.stdout.write(`\n${describeAsText(started)}\n\nStill serving; Ctrl-C stops it.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    await started.close();
  }
}
