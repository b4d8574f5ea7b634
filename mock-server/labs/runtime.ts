/**
 * The labs on one mock: start a lab (the training ground again, then the lab's break), give the next
 * hint, check the trainee's newest JWT Bearer request in the journal, reset, and send a draft from
 * the console as a client would. One runtime per MockOrg, attached by the adapter that served the
 * default world (it holds the training key the console signs with, and the progress file); a mock
 * of another world has none, and the labs say why. Progress outlives the mock; a lab's break does
 * not (a restarted mock serves the training ground as it is), so after a restart the trainee resets
 * the lab, and a lab is never solved by a restart.
 */
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import type { Trace } from '../core/trace.ts';
import { clearCertificates, SETUP_ACTIONS } from '../setup/actions.ts';
import type { SetupResult } from '../setup/result.ts';
import { LOGIN_HOST, myDomainHost, TEST_HOST } from '../world/hosts.ts';
import { findLab, LAB_CATALOGUE } from './catalogue.ts';
import { type Draft, draftAssertion, draftProblem, draftRequest } from './draft.ts';
import { judge, type LabCheck } from './judge.ts';
import type { NumberedLab } from './lab.ts';
import { type LabProgress, ProgressStore } from './progress.ts';

export interface LabsOptions {
  /** The training ground's app key (the default world's), which the console's drafts are signed with. */
  privateKeyPem: string;
  /** Where progress is kept (the state folder's labs/progress.json); in memory when absent. */
  progressFile?: string;
}

export type LabRefusal = { ok: false; status: number; message: string; fix?: string };
type Answer<T> = { ok: true; value: T } | LabRefusal;

const runtimes = new WeakMap<MockOrg, LabsRuntime>();

export function attachLabs(org: MockOrg, options: LabsOptions): LabsRuntime {
  const runtime = new LabsRuntime(org, options);
  runtimes.set(org, runtime);
  return runtime;
}

export function labsOf(org: MockOrg): LabsRuntime | undefined {
  return runtimes.get(org);
}

export const NO_LABS: LabRefusal = {
  ok: false,
  status: 404,
  message: 'this mock runs no labs: labs run on the training ground',
  fix: 'Serve the default world (npx sfjwt serve, without --world); npx sfjwt lab start 1 starts one for you.',
};

export class LabsRuntime {
  readonly progress: ProgressStore;
  /** The journal's count when the lab in hand started: only requests after it are the trainee's. */
  private mark = 0;

  /** The console's last check and last sent draft, shown on its Labs page (this mock's memory only). */
  lastCheck: LabCheck | undefined;
  lastSent: { status: number; body: string } | undefined;
  /** What the console's request editor holds: the trainee's text, kept even when it could not be sent. */
  editorText: string | undefined;
  /** The lab set up on this mock (the progress file may name one a mock before this one set up). */
  private active: string | undefined;

  constructor(
    private readonly org: MockOrg,
    private readonly options: LabsOptions,
  ) {
    this.progress = new ProgressStore(options.progressFile);
  }

  current(): NumberedLab | undefined {
    return this.active === undefined ? undefined : findLab(this.active);
  }

  /** A lab the progress names as in hand that this mock has not set up (it was restarted): `reset` sets it up. */
  interrupted(): NumberedLab | undefined {
    const id = this.progress.read().current;
    return this.active === undefined && id !== undefined ? findLab(id) : undefined;
  }

  list(): { labs: readonly NumberedLab[]; progress: LabProgress } {
    return { labs: LAB_CATALOGUE, progress: this.progress.read() };
  }

  /** The world again, then the lab's break; the requests from here on are the trainee's. */
  private setUp(lab: NumberedLab): void {
    this.org.reset();
    for (const b of lab.breaks ?? []) {
      const result: SetupResult<unknown> =
        'replaceCertificate' in b ? replaceCertificate(this.org, b.replaceCertificate) : (SETUP_ACTIONS[b.action] as (o: MockOrg, i: unknown) => SetupResult<unknown>)(this.org, b.input);
      // A break the training ground refuses is a bug of the catalogue, which labs.test.ts runs.
      if (!result.ok) throw new Error(`lab ${lab.id}: its break failed: ${result.message}`);
    }
    this.mark = this.org.journal.total;
  }

  start(ref: string): Answer<NumberedLab> {
    const lab = findLab(ref);
    if (lab === undefined) return unknownLab(ref);
    this.setUp(lab);
    this.active = lab.id;
    this.lastCheck = undefined;
    this.lastSent = undefined;
    this.editorText = undefined;
    const now = new Date(this.org.now()).toISOString();
    this.progress.update((p) => {
      p.current = lab.id;
      const before = p.labs[lab.id];
      p.labs[lab.id] = { started: now, hints: before?.hints ?? 0, checks: 0, ...(before?.solved === undefined ? {} : { solved: before.solved }) };
    });
    return { ok: true, value: lab };
  }

  /** The lab in hand set up again, as it was at its start (hints already shown stay shown). */
  reset(): Answer<NumberedLab> {
    const lab = this.current() ?? this.interrupted();
    return lab === undefined ? this.noLab() : this.start(lab.id);
  }

  hint(): Answer<{ lab: NumberedLab; hint: string; shown: number; of: number }> {
    const lab = this.current();
    if (lab === undefined) return this.noLab();
    const shown = Math.min((this.progress.read().labs[lab.id]?.hints ?? 0) + 1, lab.hints.length);
    this.progress.update((p) => {
      const entry = p.labs[lab.id];
      if (entry !== undefined) entry.hints = shown;
    });
    return { ok: true, value: { lab, hint: lab.hints[shown - 1] ?? '', shown, of: lab.hints.length } };
  }

  /** Why there is no lab in hand: none started, or this mock restarted since (its break is gone). */
  noLab(): LabRefusal {
    const lab = this.interrupted();
    if (lab !== undefined) {
      return {
        ok: false,
        status: 409,
        message: `lab ${lab.number} (${lab.id}) was started on a mock that has stopped since: this one has not set it up`,
        fix: "Set it up here again: npx sfjwt lab reset (or Reset on the console's Labs page).",
      };
    }
    return { ok: false, status: 409, message: 'no lab is started', fix: "Start one first: npx sfjwt lab start 1 (or the console's Labs page)." };
  }

  /** The hints shown so far for the lab in hand. */
  shownHints(): readonly string[] {
    const lab = this.current();
    return lab === undefined ? [] : lab.hints.slice(0, this.progress.read().labs[lab.id]?.hints ?? 0);
  }

  check(): Answer<LabCheck> {
    const lab = this.current();
    if (lab === undefined) return this.noLab();
    const verdict = judge(lab, this.attempts());
    const now = new Date(this.org.now()).toISOString();
    this.progress.update((p) => {
      const entry = p.labs[lab.id];
      if (entry === undefined) return;
      entry.checks += 1;
      if (verdict.solved && entry.solved === undefined) entry.solved = now;
    });
    return { ok: true, value: verdict };
  }

  /** JWT Bearer requests since the lab started, newest first (other grants and endpoints are not attempts). */
  private attempts(): Trace[] {
    const since = this.org.journal.total - this.mark;
    if (since <= 0) return [];
    return this.org.journal.list(since).filter((t) => t.kind === 'token' && t.checks.length > 0);
  }

  /** The integration's starting request for a lab, on this mock's host URLs (the lab's mistake in it). */
  starter(lab: NumberedLab, urls: ServeContext['urls'], keyFile?: string): Draft {
    const user = this.org.index.userByUsername(lab.as.username);
    const app = this.org.index.app(lab.as.app);
    const userOrg = user === undefined ? undefined : this.org.index.org(user.org);
    const host = lab.as.host === 'login' ? LOGIN_HOST : lab.as.host === 'test' ? TEST_HOST : userOrg === undefined ? LOGIN_HOST : myDomainHost(userOrg);
    const draft: Draft = {
      url: `${urls.baseUrl(host)}/services/oauth2/token`,
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: '{{assertion}}' },
      jwt: { header: { alg: 'RS256' }, claims: { iss: app?.consumerKey ?? '', sub: lab.as.username, aud: `https://${host}`, exp: '{{now + 180}}' } },
      clockOffsetSeconds: 0,
      ...(keyFile === undefined ? {} : { key: keyFile }),
    };
    lab.starter?.(draft);
    return draft;
  }

  /** Sends a draft to this mock as a client would (journaled like any request), signed with the training key. */
  async send(draft: Draft, sc: ServeContext): Promise<Answer<{ status: number; body: string; traceId: string | undefined }>> {
    const problem = draftProblem(draft);
    if (problem !== undefined) return { ok: false, status: 400, message: problem, fix: 'Set "alg" in the header to RS256.' };
    const built = draftRequest(draft, draftAssertion(draft, this.options.privateKeyPem, this.org.now()));
    const url = new URL(built.url);
    const host = this.org.index.hosts.find((h) => sc.urls.origins(h.name).includes(url.origin) || url.host === h.name);
    if (host === undefined) return { ok: false, status: 400, message: `${url.origin} is not a host of this mock`, fix: `Post to one of its hosts, such as ${sc.urls.baseUrl(LOGIN_HOST)}.` };
    const init: RequestInit = { method: built.method, headers: built.headers };
    if (built.body !== undefined) init.body = built.body;
    const response = await this.org.handle(new Request(built.url, init), { ...sc, host: host.name, secure: url.protocol === 'https:' });
    const body = await response.text();
    return { ok: true, value: { status: response.status, body, traceId: this.org.journal.list(1)[0]?.id } };
  }
}

const unknownLab = (ref: string): LabRefusal => ({
  ok: false,
  status: 404,
  message: `no lab ${JSON.stringify(ref.slice(0, 60))}`,
  fix: `Give a number from 1 to ${LAB_CATALOGUE.length} or a lab id (npx sfjwt lab list).`,
});

/** The app's certificates swapped for one of a key nobody has: the renewal done with another key. */
function replaceCertificate(org: MockOrg, app: string): SetupResult<unknown> {
  const keys = generateRsaKeyPair(2048);
  const pem = issueCertificate(keys, { subject: [{ shortName: 'CN', value: 'renewed by another team' }], notBefore: new Date(org.now() - 86_400_000) });
  const cleared = clearCertificates(org, { app });
  return cleared.ok ? SETUP_ACTIONS['upload-certificate'](org, { app, pem }) : cleared;
}
