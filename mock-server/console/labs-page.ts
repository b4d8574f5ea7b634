/**
 * The console's Labs page: the labs with the trainee's progress (the same labs and progress file as
 * `npx sfjwt lab`), the lab in hand with its story and symptom only, hints one at a time, Check (the
 * journal's newest JWT Bearer request since the lab started), Reset, and a request editor: the lab's
 * request.json, which the mock signs with the training key and sends to itself as a client would,
 * so a trainee with only a browser (a class on the container) can do every lab. Fixes on the org's
 * side are made on the App Manager and Users pages, as in Salesforce Setup.
 */
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import { LAB_CATALOGUE } from '../labs/catalogue.ts';
import { DraftSchema } from '../labs/draft.ts';
import type { LabCheck } from '../labs/judge.ts';
import { type LabRefusal, labsOf, NO_LABS } from '../labs/runtime.ts';
import { realHostUrls } from '../world/hosts.ts';
import { CONSOLE_PREFIX, formToken } from './guard.ts';
import { esc, type Flash, form, hidden, page } from './page.ts';

const back = hidden('back', 'labs');

function checkBox(check: LabCheck): string {
  return `<div class="card" role="status"><h3>Check</h3><p class="${check.solved ? 'pass' : 'fail'}">${esc(check.headline)}</p><ul>${check.details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>${
    check.newest === undefined ? '' : `<p><a href="${CONSOLE_PREFIX}/requests/${encodeURIComponent(check.newest.id)}">The request's trace</a></p>`
  }</div>`;
}

export function labsPage(org: MockOrg, flash?: Flash): Response {
  const labs = labsOf(org);
  if (labs === undefined) return page({ title: 'Labs', current: 'labs', body: `<p>${esc(NO_LABS.message)}. ${esc(NO_LABS.fix ?? '')}</p>`, flash });
  const csrf = formToken(org);
  const { progress } = labs.list();
  const lab = labs.current();
  const rows = LAB_CATALOGUE.map((l) => {
    const entry = progress.labs[l.id];
    const state = entry?.solved !== undefined ? '<span class="pass">solved</span>' : entry !== undefined ? 'started' : 'not started';
    const here = l.id === lab?.id ? ' aria-current="true"' : '';
    return `<tr${here}><td>${l.number}</td><th scope="row">${esc(l.title)}</th><td>${state}</td><td>${form('labs/start', csrf, hidden('lab', l.id) + back, l.id === lab?.id ? `Restart lab ${l.number}` : `Start lab ${l.number}`, 'inline')}</td></tr>`;
  }).join('');
  const parts: string[] = [];
  const interrupted = labs.interrupted();
  if (interrupted !== undefined) parts.push(`<p class="flash refused">${esc(labs.noLab().message)}. ${form('labs/reset', csrf, back, 'Set it up again', 'inline')}</p>`);
  if (lab !== undefined) {
    const shown = labs.shownHints();
    // Salesforce's host names, as the integration's request would have them; the mock answers for each.
    const draft = labs.editorText ?? JSON.stringify(labs.starter(lab, realHostUrls()), null, 2);
    parts.push(
      `<h2>Lab ${lab.number}: ${esc(lab.title)}</h2>`,
      `<p>${esc(lab.story)}</p>`,
      `<p>The integration logs in as <code>${esc(lab.as.username)}</code> with “${esc(lab.as.app)}” and gets:</p>`,
      `<pre>HTTP ${lab.symptom.status}\n${esc(lab.symptom.body)}</pre>`,
      `<div class="cards"><div class="card"><h3>Hints</h3>${shown.length === 0 ? '<p class="muted">None shown yet.</p>' : `<ol>${shown.map((h) => `<li>${esc(h)}</li>`).join('')}</ol>`}${
        shown.length < lab.hints.length ? form('labs/hint', csrf, back, `Show hint ${shown.length + 1} of ${lab.hints.length}`) : '<p class="muted">Every hint is shown.</p>'
      }</div><div class="card"><h3>Done?</h3><p>Check reads the newest JWT Bearer request since the lab started: from the editor below, from <code>login.mjs</code>, or from your own client.</p>${form('labs/check', csrf, back, 'Check')}${form('labs/reset', csrf, back, 'Reset the lab')}</div></div>`,
      labs.lastCheck === undefined ? '' : checkBox(labs.lastCheck),
      '<h2>The integration’s request</h2>',
      `<p>Edit the request and send it: the mock signs the JWT with the training key (the default app’s, in its state folder), as <code>login.mjs</code> of <code>npx sfjwt lab start ${lab.number}</code> does, and answers as Salesforce would. Org fixes go on the <a href="${CONSOLE_PREFIX}/setup/apps">App Manager</a> and <a href="${CONSOLE_PREFIX}/setup/users">Users</a> pages.</p>`,
      form('labs/send', csrf, `${back}<label class="wide">request.json<textarea name="draft" rows="18" spellcheck="false">${esc(draft)}</textarea></label>`, 'Send'),
      labs.lastSent === undefined ? '' : `<h3>The answer</h3><pre>HTTP ${labs.lastSent.status}\n${esc(labs.lastSent.body.replace(/("access_token":")[^"]+/, '$1…(redacted)'))}</pre>`,
    );
  } else {
    parts.push('<p>Start a lab: each is a broken setup on this mock, easiest first. You are told the symptom; the cause is yours to find.</p>');
  }
  const body = `${parts.join('\n')}<h2>All labs</h2><table><thead><tr><th scope="col">#</th><th scope="col">Lab</th><th scope="col">State</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page({ title: 'Labs', current: 'labs', body, flash });
}

/** A refusal of the labs as the flash says it: what, then the fix. */
const refusedWith = (r: LabRefusal, after = '') => ({ ok: false, message: `${r.message}. ${r.fix ?? ''}${after}` });

/** A Labs form: what it did, for the flash of the page it goes back to. */
export async function labsForm(org: MockOrg, sub: string, fields: URLSearchParams, sc: ServeContext): Promise<{ ok: boolean; message: string } | undefined> {
  const labs = labsOf(org);
  if (labs === undefined) return { ok: false, message: `${NO_LABS.message}.` };
  switch (sub) {
    case '/labs/start': {
      const started = labs.start(fields.get('lab') ?? '');
      return started.ok ? { ok: true, message: `Lab ${started.value.number} is set up.` } : refusedWith(started);
    }
    case '/labs/reset': {
      const reset = labs.reset();
      return reset.ok ? { ok: true, message: `Lab ${reset.value.number} is set up again.` } : refusedWith(reset);
    }
    case '/labs/hint': {
      const hint = labs.hint();
      return hint.ok ? { ok: true, message: `Hint ${hint.value.shown} of ${hint.value.of} is shown.` } : refusedWith(hint);
    }
    case '/labs/check': {
      const checked = labs.check();
      if (!checked.ok) return refusedWith(checked);
      labs.lastCheck = checked.value;
      return { ok: checked.value.solved, message: checked.value.headline };
    }
    case '/labs/send': {
      const text = fields.get('draft') ?? '';
      labs.editorText = text;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        return { ok: false, message: `The request is not JSON: ${error instanceof Error ? error.message : String(error)}. Nothing was sent.` };
      }
      const parsed = DraftSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, message: `The request is not one the editor can send: ${issue === undefined ? '' : `${issue.path.join('.') || '(the request)'}: ${issue.message}`}. Nothing was sent.` };
      }
      const sent = await labs.send(parsed.data, sc);
      if (!sent.ok) return refusedWith(sent, ' Nothing was sent.');
      labs.lastSent = { status: sent.value.status, body: sent.value.body };
      return { ok: true, message: `Sent: HTTP ${sent.value.status}.` };
    }
    default:
      return undefined;
  }
}
