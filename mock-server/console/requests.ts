/**
 * The console's Requests: the journal newest first, filtered by host, user, app and outcome, and
 * streamed in as requests arrive (the page long-polls `requests/rows?after=N`, which answers as soon
 * as a newer request is journalled, or empty after a while); one request opens as its trace, check by
 * check in Salesforce's order, expected against actual, the deciding check marked, its fix, the
 * decoded assertion (its signature was redacted before it was traced), and the request as curl.
 */
import type { MockOrg } from '../core/mock-org.ts';
import type { Trace } from '../core/trace.ts';
import { CONSOLE_PREFIX } from './guard.ts';
import { esc, page } from './page.ts';

const FILTERS = ['host', 'user', 'app', 'outcome'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** How long a long poll waits for a newer request before it answers empty. */
const POLL_MS = 20_000;
/** Rows one page shows. */
const PAGE_ROWS = 200;

function filtersOf(url: URL): Filters {
  const f: Filters = {};
  for (const name of FILTERS) {
    const v = url.searchParams.get(name)?.trim();
    if (v !== undefined && v !== '') f[name] = v;
  }
  return f;
}

function matches(t: Trace, f: Filters): boolean {
  return (
    (f.host === undefined || t.request.host === f.host) &&
    (f.user === undefined || t.username === f.user) &&
    (f.app === undefined || t.app === f.app) &&
    (f.outcome === undefined || t.outcome === f.outcome || (f.outcome === 'failure' && t.outcome !== 'success'))
  );
}

const verdictClass = (outcome: string) => (outcome === 'success' ? 'pass' : outcome === 'other' ? 'skip-verdict' : 'fail');

function row(t: Trace): string {
  const answer =
    t.response.error === undefined ? String(t.response.status) : `${t.response.status} ${t.response.error}${t.response.errorDescription === undefined ? '' : `: ${t.response.errorDescription}`}`;
  return `<tr><td><a href="${CONSOLE_PREFIX}/requests/${encodeURIComponent(t.id)}">${esc(t.time.slice(11, 23))}</a></td><td>${esc(t.kind)}</td><td>${esc(t.request.host)}</td><td><code>${esc(`${t.request.method} ${t.request.path}`)}</code></td><td class="${verdictClass(t.outcome)}">${esc(t.outcome)}</td><td>${esc(answer)}</td><td>${esc(t.username ?? '')}</td><td>${esc(t.app ?? '')}</td><td>${esc(t.decidedBy ?? '')}</td></tr>`;
}

const query = (f: Filters) => new URLSearchParams(Object.entries(f)).toString();

export function requestsPage(org: MockOrg, url: URL): Response {
  const f = filtersOf(url);
  const journal = org.journal.list();
  const traces = journal.filter((t) => matches(t, f)).slice(0, PAGE_ROWS);
  const hosts = org.index.hosts.map((h) => h.name);
  const users = org.index.world.users.map((u) => u.username);
  const apps = org.index.world.apps.map((a) => a.name);
  const select = (name: keyof Filters, label: string, options: readonly string[]) =>
    `<label>${label}<select name="${name}"><option value="">any</option>${options.map((o) => `<option${f[name] === o ? ' selected' : ''}>${esc(o)}</option>`).join('')}</select></label>`;
  const outcomes = ['success', 'failure', ...new Set(journal.map((t) => t.outcome))].filter((o, i, all) => all.indexOf(o) === i);
  const body = [
    `<form class="filters" method="get" action="${CONSOLE_PREFIX}/requests" aria-label="Filter requests">${select('host', 'Host', hosts)}${select('user', 'User', users)}${select('app', 'App', apps)}${select('outcome', 'Outcome', outcomes)}<button type="submit">Filter</button></form>`,
    `<p id="live-status" class="muted" role="status">${org.journal.total} requests since the start; the newest first.</p>`,
    '<table><caption class="muted">Requests the mock answered</caption><thead><tr><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Host</th><th scope="col">Request</th><th scope="col">Outcome</th><th scope="col">Answer</th><th scope="col">User</th><th scope="col">App</th><th scope="col">Deciding check</th></tr></thead>',
    `<tbody data-live="${CONSOLE_PREFIX}/requests/rows?${esc(query(f))}" data-total="${org.journal.total}">${traces.map(row).join('')}</tbody></table>`,
    traces.length === 0 ? '<p id="no-requests">No request yet. Send one to the token endpoint and it appears here.</p>' : '',
  ].join('\n');
  return page({ title: 'Requests', current: 'requests', body });
}

/** The rows of requests journalled after number `after` that pass the filters: at once when there are any, else when one comes, else empty after POLL_MS. */
export async function newRows(org: MockOrg, url: URL, signal?: AbortSignal): Promise<Response> {
  const after = Number(url.searchParams.get('after') ?? org.journal.total);
  const f = filtersOf(url);
  if (!(Number.isSafeInteger(after) && after >= 0)) return new Response('after must be a whole number', { status: 400 });
  if (org.journal.total <= after) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      const stop = org.journal.onAdd(done);
      signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }
  const fresh = Math.max(0, Math.min(org.journal.total - after, PAGE_ROWS));
  const rows = org.journal
    .list(fresh)
    .filter((t) => matches(t, f))
    .map(row)
    .join('');
  return new Response(rows, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Sfjwt-Total': String(org.journal.total) } });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** The request again as curl: the form's fields, with the assertion (whose signature was never kept) to be pasted. */
function asCurl(t: Trace): string {
  const url = `https://${t.request.host}${t.request.path}`;
  if (t.kind !== 'token') return `curl -si ${shellQuote(url)} -H "Authorization: Bearer $ACCESS_TOKEN"`;
  const lines = [`curl -si ${shellQuote(url)}`];
  if (t.request.contentType !== null) lines.push(`-H ${shellQuote(`Content-Type: ${t.request.contentType}`)}`);
  lines.push(`-d ${shellQuote('grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer')}`);
  if (t.request.assertion !== undefined) lines.push('--data-urlencode "assertion=$ASSERTION"');
  return lines.join(' \\\n  ');
}

export function tracePage(org: MockOrg, id: string): Response {
  const t = org.journal.get(id);
  if (t === undefined)
    return page({
      title: 'No such request',
      current: 'requests',
      status: 404,
      body: `<p>The journal keeps only the newest requests; <a href="${CONSOLE_PREFIX}/requests">the requests it holds</a>.</p>`,
    });
  const deciding = t.checks.find((c) => c.check === t.decidedBy);
  const steps = t.checks
    .map((c) => {
      const decided = c.check === t.decidedBy;
      const verdict = c.verdict === 'pass' ? 'pass' : c.verdict === 'fail' ? 'fail' : 'skip-verdict';
      return `<tr${decided ? ' class="decided"' : ''}><th scope="row">${esc(c.title)}${decided ? ' <strong>(deciding check)</strong>' : ''}<br><code class="muted">${esc(c.check)}</code></th><td class="${verdict}">${esc(c.verdict)}</td><td>${esc(c.expected ?? '')}</td><td>${esc(c.actual ?? c.reason ?? '')}</td><td>${esc(c.fix ?? c.note ?? '')}</td></tr>`;
    })
    .join('');
  const answer =
    t.response.error === undefined ? `HTTP ${t.response.status}` : `HTTP ${t.response.status} ${JSON.stringify({ error: t.response.error, error_description: t.response.errorDescription })}`;
  const assertion =
    t.request.assertion === undefined
      ? ''
      : `<h2>The assertion, decoded</h2><pre>${esc(JSON.stringify({ header: t.request.assertion.header, payload: t.request.assertion.payload, signature: t.request.assertion.signature }, null, 2))}</pre>`;
  const body = [
    `<p><code>${esc(`${t.request.method} https://${t.request.host}${t.request.path}`)}</code> at ${esc(t.time)} from ${esc(t.request.clientIp)}${t.username === undefined ? '' : `, user ${esc(t.username)}`}${t.app === undefined ? '' : `, app ${esc(t.app)}`}.</p>`,
    `<p>Answer: <strong class="${verdictClass(t.outcome)}">${esc(answer)}</strong>. ${t.decidedBy === null ? 'Every check passed.' : `Decided by <strong>${esc(deciding?.title ?? t.decidedBy)}</strong>.`}</p>`,
    deciding?.fix === undefined ? '' : `<p><strong>Fix:</strong> ${esc(deciding.fix)}</p>`,
    `<h2>Checks, in Salesforce's order</h2><table class="checks"><thead><tr><th scope="col">Check</th><th scope="col">Verdict</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Fix or note</th></tr></thead><tbody>${steps}</tbody></table>`,
    assertion,
    `<h2>As curl</h2><pre id="curl">${esc(asCurl(t))}</pre><button type="button" data-copy="curl">Copy as curl</button>`,
    `<p><a href="${CONSOLE_PREFIX}/requests">All requests</a> · <a href="/__sfjwt/traces/${encodeURIComponent(t.id)}">this trace as JSON</a></p>`,
  ].join('\n');
  return page({ title: `Request ${t.id}`, current: 'requests', body });
}
