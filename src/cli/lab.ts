/**
 * `sfjwt lab`: hands-on exercises on the mock. `start N` sets lab N up on the lab's mock (started in
 * the background on first use, or the one --from-serve names), writes its folder (request.json with
 * the mistake, login.mjs, README.md) and tells the story and the symptom only; `hint` gives the next
 * hint; `check` reads the mock's journal and says whether the integration's newest login works and
 * what is still wrong; `reset` sets the lab up again; `list` shows the labs and the progress, which
 * the mock keeps in its state folder. The labs themselves live in mock-server/labs/ (the console's
 * Labs page drives the same ones).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { type AdminAnswer, adminClient } from '../../mock-server/admin/client.ts';
import type { CurrentLab } from '../../mock-server/labs/routes.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { writeLabFolder } from '../training/lab-folder.ts';
import { type CommandSpec, parse } from './args.ts';
import { detachServe, runningServe, stopServe } from './background.ts';
import { type CommandContext, inCwd, stateDir } from './context.ts';
import { readReadyLine } from './ready-file.ts';
import { SUMMARIES } from './summaries.ts';

const labSpec = {
  name: 'lab',
  summary: SUMMARIES.lab,
  usage: 'npx sfjwt lab list | start N | hint | check | reset | stop  [--from-serve FILE] [--dir DIR] [--state-dir DIR] [--json]',
  allowPositionals: true,
  options: { 'from-serve': { type: 'string' }, dir: { type: 'string' }, 'state-dir': { type: 'string' }, json: { type: 'boolean' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const HELP = `${labSpec.usage}

${labSpec.summary}.
  list                 the labs, easiest first, and how far you got
  start N              set lab N up (a number, or an id such as iss-capitalised): its story and symptom
  hint                 the next hint for the lab in hand
  check                does the integration's newest login work now? If not, what is still wrong
  reset                set the lab in hand up again (your request.json is kept as request.json.bak)
  stop                 stop the lab's own mock (progress is kept for next time)
  --from-serve FILE    use the mock of this ready file (serve --ready-file), e.g. one shared by a class
  --dir DIR            where the lab folders go (default sfjwt-lab)
  --state-dir DIR      the state folder (default .sfjwt) [SFJWT_HOME]
  --json               print the mock's answer as JSON

Without --from-serve, the lab's own mock runs in the background (its ready file is
<state dir>/lab-mock.json; npx sfjwt lab stop stops it).
Progress is kept in the mock's state folder. Exit code 0: done (check: solved); 1: check: not yet;
2: usage errors, or no lab started.

Then run the integration of the lab folder (node sfjwt-lab/01-grant-type-typo/login.mjs), fix it, and check.

Examples:
  npx sfjwt lab start 1
  npx sfjwt lab check
  npx sfjwt lab start key-certificate-mismatch --from-serve class.json`;

const LAB_READY_FILE = 'lab-mock.json';
const SUBCOMMANDS = ['list', 'start', 'hint', 'check', 'reset', 'stop'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** The part of the mock's ready line the labs read. */
const LabMockLine = z.object({
  admin: z.string().min(1),
  adminToken: z.string().nullable().optional(),
  ca: z.string().min(1).nullable().optional(),
  privateKeyFile: z.string().min(1).nullable().optional(),
  console: z.string().nullable().optional(),
  hosts: z.record(z.string(), z.string()).default({}),
});

interface Mock {
  line: z.output<typeof LabMockLine>;
  /** The ready file: login.mjs reads which of the mock's ports plays which Salesforce host. */
  readyFile: string;
  client: ReturnType<typeof adminClient>;
}

function mockOf(raw: unknown, file: string): Mock {
  const parsed = LabMockLine.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file} is not the ready file of npx sfjwt serve (it names no admin URL)`, { actions: ['Give the file of serve --ready-file FILE.'] });
  const line = parsed.data;
  const fetch = fetchTrusting(line.ca == null ? null : readFileSync(line.ca, 'utf8'), { timeoutMs: 60_000 });
  return { line, readyFile: file, client: adminClient(line.admin, { fetch, token: line.adminToken ?? null }) };
}

/** The value of an admin answer, or its refusal as a usage error with the mock's fix. */
function answered<T>(answer: AdminAnswer<T>): T {
  if (answer.ok) return answer.value;
  throw new UsageError(answer.message, answer.fix === undefined ? {} : { actions: [answer.fix] });
}

/** The mock the labs run on: --from-serve's, the running lab mock, or (start/reset) a new one in the background. */
async function labMock(ctx: CommandContext, values: Record<string, unknown>, sub: Sub): Promise<Mock> {
  const given = values['from-serve'] as string | undefined;
  if (given !== undefined) {
    const file = inCwd(ctx, given);
    // Bounded, and never through a link: what readReadyLine reads of a ready file.
    const line = readReadyLine(file);
    if (line === undefined)
      throw new UsageError(`${file} is not the ready file of a running npx sfjwt serve`, { actions: ['Give the file of npx sfjwt serve --ready-file FILE (the mock must be running).'] });
    return mockOf(line, file);
  }
  const state = stateDir(ctx, values['state-dir'] as string | undefined);
  const ready = join(state, LAB_READY_FILE);
  const running = runningServe(ready);
  if (running !== undefined) return mockOf(running, ready);
  if (sub !== 'start' && sub !== 'reset' && sub !== 'list') throw new UsageError('no lab mock is running', { actions: ['Start a lab first: npx sfjwt lab start 1'] });
  const quiet = { ...ctx, stdout: { write: () => true }, argv: [] } as CommandContext;
  const code = await detachServe(quiet, ['--port', '0'], ready, state, false);
  const line = runningServe(ready);
  if (code !== 0 || line === undefined) throw new ResourceError('the lab mock did not start', { actions: ['Run npx sfjwt serve in the foreground to see why.'] });
  ctx.stderr.write(`sfjwt lab: the lab mock runs in the background (${String(line['login'])}); npx sfjwt lab stop stops it\n`);
  return mockOf(line, ready);
}

function printStarted(ctx: CommandContext, mock: Mock, values: Record<string, unknown>, { lab, starter }: CurrentLab, fresh: boolean): void {
  const { privateKeyFile: keyFile, ca } = mock.line;
  if (keyFile == null || ca == null)
    throw new UsageError('this mock names no key file or CA (a world file, or plain HTTP): the lab folder needs both', {
      actions: ['Run the labs on the training ground over HTTPS: npx sfjwt lab start N without --from-serve.'],
    });
  const root = inCwd(ctx, (values['dir'] as string | undefined) ?? 'sfjwt-lab');
  // request.json names Salesforce's host, as the integration would; login.mjs maps it to the mock's port.
  const url = new URL(starter.url);
  const real = Object.entries(mock.line.hosts).find(([, base]) => new URL(base).origin === url.origin)?.[0];
  const request = real === undefined ? starter : { ...starter, url: `https://${real}${url.pathname}` };
  const folder = writeLabFolder({ root, lab, starter: request, keyFile, caFile: ca, readyFile: mock.readyFile, fresh });
  const shown = (p: string) => p.replace(`${ctx.cwd ?? process.cwd()}/`, '');
  const out = [
    `Lab ${lab.number}: ${lab.title}`,
    '',
    lab.story,
    '',
    `The integration logs in as ${lab.as.username} with "${lab.as.app}" and gets:`,
    `  HTTP ${lab.symptom.status} ${lab.symptom.body}`,
    '',
    `Its request: ${shown(join(folder.dir, 'request.json'))}${folder.kept ? ' (yours, kept from before)' : ''}${folder.savedAs === undefined ? '' : ` (yours is kept as ${shown(folder.savedAs)})`}`,
    `Send it:     node ${shown(join(folder.dir, 'login.mjs'))}`,
    `The org:     ${mock.line.console ?? `${mock.line.admin}/ui/`} (App Manager, Users)`,
    `Then:        npx sfjwt lab check    (stuck? npx sfjwt lab hint, ${lab.hints} hints)`,
  ];
  ctx.stdout.write(`${out.join('\n')}\n`);
}

export async function lab(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse(labSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [given, ref, ...extra] = positionals;
  const sub = (given ?? 'list') as Sub;
  if (!SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown lab command "${String(given).slice(0, 40)}"`, { actions: [`One of: ${SUBCOMMANDS.join(', ')} (npx sfjwt lab --help).`] });
  if (sub === 'start' && ref === undefined) throw new UsageError('lab start needs the lab: a number or an id', { actions: ['npx sfjwt lab list shows them; npx sfjwt lab start 1 starts the first.'] });
  if (extra.length > 0 || (sub !== 'start' && ref !== undefined)) throw new UsageError(`unexpected argument "${String(extra[0] ?? ref).slice(0, 40)}"`, { actions: [labSpec.usage] });
  if (sub === 'stop') {
    if (values['from-serve'] !== undefined)
      throw new UsageError("lab stop stops the lab's own mock, not the one --from-serve names", { actions: ['Stop that one with npx sfjwt stop --ready-file FILE.'] });
    return stopServe(ctx, join(stateDir(ctx, values['state-dir'] as string | undefined), LAB_READY_FILE));
  }
  const mock = await labMock(ctx, values, sub);
  const { client } = mock;
  const json = values.json === true;
  // --json: the mock's answer as it is.
  const print = <T>(value: T, text: (v: T) => string) => ctx.stdout.write(json ? `${JSON.stringify(value)}\n` : text(value));
  switch (sub) {
    case 'list':
      print(answered(await client.labs()), (list) => {
        const rows = list.labs.map((l) => `${l.id === list.current ? '>' : ' '} ${String(l.number).padStart(2)}  ${l.state.padEnd(11)}  ${l.title}  (${l.id})`);
        return `${rows.join('\n')}\n\nnpx sfjwt lab start N starts one; > marks the lab in hand.\n`;
      });
      return 0;
    case 'start':
    case 'reset': {
      const current = answered(sub === 'start' ? await client.startLab(ref ?? '') : await client.resetLab());
      if (json) print(current, () => '');
      else printStarted(ctx, mock, values, current, sub === 'reset');
      return 0;
    }
    case 'hint':
      print(answered(await client.labHint()), (h) => `Hint ${h.shown} of ${h.of}: ${h.hint}\n`);
      return 0;
    case 'check': {
      const checked = answered(await client.checkLab());
      print(checked, (c) => `${c.headline}\n${c.details.map((d) => `  ${d}`).join('\n')}\n`);
      return checked.solved ? 0 : 1;
    }
  }
}
