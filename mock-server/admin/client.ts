/**
 * A typed client of the admin API, for a mock in another process or a container: one function per
 * route, taking the same input as the Setup function behind that route and answering as it does
 * (done, with the value, or refused, with the message and the fix, plus the route and its status),
 * so code that drives a mock elsewhere reads like code that drives a MockOrg in this process. It sends
 * the mock's admin token, when given, and declares JSON on every state change, as the admin API
 * requires. A mock that does not answer, or answers something other than its JSON, is a ResourceError.
 */
import { ResourceError } from '../../lib/errors.ts';
import type { KnobChanges, Knobs } from '../core/knobs.ts';
import type { LoginHistoryEntry } from '../core/login-history.ts';
import type { MockOrg } from '../core/mock-org.ts';
import type { Trace } from '../core/trace.ts';
import type { Draft } from '../labs/draft.ts';
import type { LabCheck } from '../labs/judge.ts';
import type { CurrentLab, LabHint, LabList } from '../labs/routes.ts';
import type {
  AppInput,
  InstallInput,
  LoginIpRangesInput,
  OrgStateInput,
  PermissionSetInput,
  ProfileInput,
  RecordLoginsInput,
  RemoveCertificateInput,
  SetupActionName,
  UploadCertificateInput,
  UserAndAppInput,
  UserStateInput,
} from '../setup/actions.ts';
import type { ClockInput, ClockState, ForcedState, ForceInput } from '../setup/harness.ts';
import type { Nothing } from '../setup/result.ts';
import { ADMIN_PREFIX } from './prefix.ts';

/** The part of `fetch` the client uses (a fetch that trusts the mock's CA, for one over HTTPS). */
export type AdminFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface AdminRefusal {
  readonly ok: false;
  /** `METHOD /path` under the admin prefix. */
  readonly route: string;
  readonly status: number;
  readonly message: string;
  readonly fix?: string;
}

export type AdminAnswer<T> = { readonly ok: true; readonly value: T } | AdminRefusal;

export type WorldDescription = ReturnType<MockOrg['describe']>;
export interface JournalPage {
  total: number;
  kept: number;
  /** Newest first. */
  entries: Trace[];
  /** When older traces remain: pass it as `before` for the next page. */
  next?: number;
}

export interface AdminClientOptions {
  fetch?: AdminFetch;
  /** The mock's admin token (`serve --json` prints it as adminToken; startMockOrg returns it); null or absent for a mock without one. */
  token?: string | null;
}

/** `base`: the admin API's base URL, as `serve --json` prints it (`https://127.0.0.1:PORT/__sfjwt`). */
export function adminClient(base: string, options: AdminClientOptions = {}) {
  const fetchAdmin = options.fetch ?? ((url, init) => fetch(url, init));
  const root = base.replace(/\/+$/, '');

  async function send<T>(method: string, path: string, input?: unknown): Promise<AdminAnswer<T>> {
    const route = `${method} ${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') headers['Content-Type'] = 'application/json';
    if (typeof options.token === 'string') headers['Authorization'] = `Bearer ${options.token}`;
    const init: RequestInit = { method, headers };
    if (input !== undefined) init.body = JSON.stringify(input);
    let response: Response;
    let text: string;
    try {
      response = await fetchAdmin(`${root}${path}`, init);
      text = await response.text();
    } catch (cause) {
      throw new ResourceError(`the mock's admin API at ${root} did not answer ${route}: ${cause instanceof Error ? cause.message : String(cause)}`, { actions: ['Is the mock still running?'], cause });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new ResourceError(`the mock's admin API at ${root} answered ${route} with ${response.status} and a body that is not JSON: ${text.slice(0, 200)}`, {
        actions: [`Give the admin API's base URL, which ends with ${ADMIN_PREFIX} (serve --json prints it as admin).`],
        cause,
      });
    }
    if (response.ok) return { ok: true, value: body as T };
    const problem = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; fix?: unknown };
    const message = typeof problem.error === 'string' ? problem.error : text.slice(0, 500);
    const refusal = { ok: false as const, route, status: response.status, message };
    return typeof problem.fix === 'string' ? { ...refusal, fix: problem.fix } : refusal;
  }

  /** A Setup action: its answer is `{ok: true, ...value}`; the value is what the Setup function returns. */
  async function setup<T = Nothing>(action: SetupActionName, input: object): Promise<AdminAnswer<T>> {
    const answer = await send<{ ok: true } & T>('POST', `/setup/${action}`, input);
    if (!answer.ok) return answer;
    const { ok: _ok, ...value } = answer.value;
    return { ok: true, value: value as T };
  }

  const client = {
    health: () => send<{ status: 'ok'; requests: number }>('GET', '/health'),
    world: () => send<WorldDescription>('GET', '/world'),
    /** A page of the journal, newest first (`limit` at most 1,000); `before` is the `next` of the page before. */
    journal: (limit?: number, before?: number) => {
      const query = [limit === undefined ? '' : `limit=${limit}`, before === undefined ? '' : `before=${before}`].filter((q) => q !== '').join('&');
      return send<JournalPage>('GET', query === '' ? '/journal' : `/journal?${query}`);
    },
    trace: (id: string) => send<Trace>('GET', `/traces/${encodeURIComponent(id)}`),
    loginHistory: (username: string) => send<{ username: string; entries: LoginHistoryEntry[] }>('GET', `/login-history?username=${encodeURIComponent(username)}`),
    /** SOQL over an org (the first when `org` is absent) as its admin sees it; a query Salesforce would refuse is a refusal with its message. */
    query: (soql: string, org?: string) =>
      send<{ totalSize: number; done: true; records: Record<string, unknown>[] }>('GET', `/query?q=${encodeURIComponent(soql)}${org === undefined ? '' : `&org=${encodeURIComponent(org)}`}`),
    reset: async (): Promise<AdminAnswer<Nothing>> => {
      const answer = await send<{ ok: true }>('POST', '/reset');
      return answer.ok ? { ok: true, value: {} } : answer;
    },
    clock: () => send<ClockState>('GET', '/clock'),
    setClockOffset: (input: ClockInput) => send<ClockState>('PUT', '/clock', input),
    forced: () => send<ForcedState>('GET', '/force'),
    forceOutcome: (input: ForceInput) => send<ForcedState>('POST', '/force', input),
    clearForcedOutcomes: () => send<ForcedState>('DELETE', '/force'),
    knobs: () => send<Knobs>('GET', '/knobs'),
    setKnobs: (changes: KnobChanges) => send<Knobs>('PATCH', '/knobs', changes),
    approveApp: (input: UserAndAppInput) => setup('approve', input),
    revokeApp: (input: UserAndAppInput) => setup('revoke', input),
    assignProfile: (input: ProfileInput) => setup('assign-profile', input),
    assignPermissionSet: (input: PermissionSetInput) => setup('assign-permission-set', input),
    uploadCertificate: (input: UploadCertificateInput) => setup<{ app: string; sha256: string }>('upload-certificate', input),
    removeCertificate: (input: RemoveCertificateInput) => setup('remove-certificate', input),
    touchApp: (input: AppInput) => setup('touch-app', input),
    setUserState: (input: UserStateInput) => setup('user-state', input),
    setOrgState: (input: OrgStateInput) => setup('org-state', input),
    recordLogins: (input: RecordLoginsInput) => setup<{ username: string; recentSuccesses: number }>('record-logins', input),
    setLoginIpRanges: (input: LoginIpRangesInput) => setup('login-ip-ranges', input),
    /** The labs (mock-server/labs): the catalogue with the progress, the lab in hand, and what a trainee does with it. */
    labs: () => send<LabList>('GET', '/labs'),
    currentLab: () => send<CurrentLab>('GET', '/labs/current'),
    startLab: (lab: string | number) => send<CurrentLab>('POST', '/labs/start', { lab }),
    resetLab: () => send<CurrentLab>('POST', '/labs/reset'),
    labHint: () => send<LabHint>('POST', '/labs/hint'),
    checkLab: () => send<LabCheck>('POST', '/labs/check'),
    sendLabDraft: (draft: Draft) => send<{ status: number; body: string; traceId?: string }>('POST', '/labs/send', { draft }),
    installApp: (input: InstallInput) => setup('install-app', input),
    /** Every certificate of the app, as the mock holds them now, removed one at a time (the Setup module's clearCertificates does the same). */
    clearCertificates: async (input: AppInput): Promise<AdminAnswer<{ removed: string[] }>> => {
      const world = await client.world();
      if (!world.ok) return world;
      const app = world.value.apps.find((a) => a.name === input.app);
      // The mock's own answer to this app would be remove-certificate's 404: said here without sending it.
      if (app === undefined) return { ok: false, route: 'GET /world', status: 404, message: `no app "${input.app}"`, fix: `GET ${ADMIN_PREFIX}/world lists the apps.` };
      const removed: string[] = [];
      for (const c of app.certificates) {
        const answer = await client.removeCertificate({ app: input.app, sha256: c.sha256 });
        if (!answer.ok) return answer;
        removed.push(c.sha256);
      }
      return { ok: true, value: { removed } };
    },
  };
  return client;
}

export type AdminClient = ReturnType<typeof adminClient>;
