/**
 * The console's Setup, named as Salesforce's Setup names it: App Manager (connected apps and External
 * Client Apps: the policy "Permitted Users", profiles and permission sets admitted, certificates with
 * expiry and fingerprint, uploading a server.crt, scopes, callback URLs) and Users (active, frozen,
 * profile, permission sets, approved apps, login IP ranges, each user's Login History). Every form
 * posts to `setup/<action>` and runs the one Setup module (mock-server/setup/actions.ts), as the
 * admin API and the in-process controls do, so they cannot disagree. Faults: forced answers, the
 * clock, knobs, reset, through the same harness controls as the admin API.
 */
import type { MockOrg } from '../core/mock-org.ts';
import type { App, User } from '../world/schema.ts';
import { CONSOLE_PREFIX, formToken } from './guard.ts';
import { esc, type Flash, form, hidden, page } from './page.ts';

const list = (items: readonly string[], none = 'none') => (items.length === 0 ? `<span class="muted">${none}</span>` : items.map((i) => `<code>${esc(i)}</code>`).join(', '));
const appLink = (name: string) => `<a href="${CONSOLE_PREFIX}/setup/apps/${encodeURIComponent(name)}">${esc(name)}</a>`;
const userLink = (name: string) => `<a href="${CONSOLE_PREFIX}/setup/users/${encodeURIComponent(name)}">${esc(name)}</a>`;

export function appsPage(org: MockOrg, flash?: Flash): Response {
  const rows = org.index.world.apps
    .map((a) => {
      const certs = org.index.certificates(a);
      return `<tr><th scope="row">${appLink(a.name)}</th><td>${a.kind === 'external-client-app' ? 'External Client App' : 'Connected App'}</td><td>${esc(a.org)}</td><td>${a.policy === 'admin-approved' ? 'Admin approved users are pre-authorized' : 'All users may self-authorize'}</td><td>${certs.length}</td><td>${list(a.scopes)}</td></tr>`;
    })
    .join('');
  const body = `<table><caption class="muted">Connected apps and External Client Apps</caption><thead><tr><th scope="col">App</th><th scope="col">Type</th><th scope="col">Org</th><th scope="col">Permitted Users</th><th scope="col">Certificates</th><th scope="col">OAuth scopes</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page({ title: 'App Manager', current: 'setup/apps', body, flash });
}

export function appPage(org: MockOrg, name: string, flash?: Flash): Response {
  const app = org.index.world.apps.find((a) => a.name === name);
  if (app === undefined)
    return page({ title: 'No such app', current: 'setup/apps', status: 404, body: `<p>No app "${esc(name)}" in the world: <a href="${CONSOLE_PREFIX}/setup/apps">App Manager</a>.</p>` });
  const csrf = formToken(org);
  const certs = org.index
    .certificates(app)
    .map(
      (c) =>
        `<tr><td><code>${esc(c.subject)}</code></td><td>${esc(c.notAfter.toISOString().slice(0, 10))}${c.notAfter.getTime() < org.now() ? ' <strong class="fail">(expired)</strong>' : ''}</td><td><code>${esc(c.sha256)}</code></td><td>${form('setup/remove-certificate', csrf, hidden('app', app.name) + hidden('sha256', c.sha256) + hidden('back', `setup/apps/${app.name}`), 'Remove', 'inline')}</td></tr>`,
    )
    .join('');
  const body = [
    details([
      ['Type', app.kind === 'external-client-app' ? 'External Client App' : 'Connected App'],
      ['Org', esc(app.org)],
      ['Consumer Key', `<code>${esc(app.consumerKey)}</code>`],
      ['Permitted Users', app.policy === 'admin-approved' ? 'Admin approved users are pre-authorized' : 'All users may self-authorize'],
      ['Profiles', list(app.profiles)],
      ['Permission Sets', list(app.permissionSets)],
      ['Selected OAuth Scopes', list(app.scopes)],
      ['Callback URLs', list(app.callbackUrls ?? [])],
    ]),
    app.kind === 'external-client-app'
      ? `<h2>Installed in</h2><p>${list(app.installedIn ?? [app.org])}</p>${form(
          'setup/install-app',
          csrf,
          `${hidden('app', app.name)}${hidden('back', `setup/apps/${app.name}`)}<label>Org<select name="org">${org.index.world.orgs
            .filter((o) => !(app.installedIn ?? [app.org]).includes(o.name))
            .map((o) => `<option>${esc(o.name)}</option>`)
            .join('')}</select></label>`,
          'Install',
        )}`
      : '',
    '<h2>Use digital signatures: certificates</h2>',
    certs === ''
      ? '<p>No certificate: every JWT Bearer login with this app fails its signature check.</p>'
      : `<table><thead><tr><th scope="col">Subject</th><th scope="col">Expires</th><th scope="col">SHA-256 fingerprint</th><th scope="col">Action</th></tr></thead><tbody>${certs}</tbody></table>`,
    '<h2>Upload a certificate (server.crt)</h2>',
    form(
      'setup/upload-certificate',
      csrf,
      `${hidden('app', app.name)}${hidden('back', `setup/apps/${app.name}`)}<label>Certificate file<input type="file" accept=".crt,.pem,.cer" data-fills="pem"></label><label class="wide">Certificate (PEM)<textarea id="pem" name="pem" required placeholder="-----BEGIN CERTIFICATE-----"></textarea></label>`,
      'Upload',
    ),
  ].join('\n');
  return page({ title: `App: ${app.name}`, current: 'setup/apps', body, flash });
}

function details(rows: [string, string][]): string {
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

const userState = (u: User) => (u.frozen ? 'Frozen' : u.active ? 'Active' : 'Inactive');

export function usersPage(org: MockOrg, flash?: Flash): Response {
  const rows = org.index.world.users
    .map(
      (u) =>
        `<tr><th scope="row">${userLink(u.username)}</th><td>${esc(u.org)}</td><td>${userState(u)}</td><td>${esc(u.profile)}</td><td>${list(u.approvedApps)}</td><td>${esc(u.situation ?? '')}</td></tr>`,
    )
    .join('');
  const body = `<table><caption class="muted">Users</caption><thead><tr><th scope="col">Username</th><th scope="col">Org</th><th scope="col">State</th><th scope="col">Profile</th><th scope="col">Approved apps</th><th scope="col">Situation</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page({ title: 'Users', current: 'setup/users', body, flash });
}

export function userPage(org: MockOrg, username: string, flash?: Flash): Response {
  const user = org.index.userByUsername(username);
  if (user === undefined)
    return page({ title: 'No such user', current: 'setup/users', status: 404, body: `<p>No user "${esc(username)}" in the world: <a href="${CONSOLE_PREFIX}/setup/users">Users</a>.</p>` });
  const csrf = formToken(org);
  const back = hidden('back', `setup/users/${user.username}`);
  const who = hidden('username', user.username);
  const apps: readonly App[] = org.index.world.apps.filter((a) => a.org === user.org);
  const history = org.loginHistory
    .forUser(user.id)
    .map((e) => `<tr><td>${esc(e.loginTime)}</td><td>${esc(e.status)}</td><td>${esc(e.application)}</td><td>${esc(e.loginType)}</td><td>${esc(e.sourceIp)}</td><td>${esc(e.loginUrl)}</td></tr>`)
    .join('');
  const body = [
    details([
      ['Org', esc(user.org)],
      ['State', userState(user)],
      ['Profile', esc(user.profile)],
      ['Permission Sets', list(user.permissionSets)],
      ['Approved apps', list(user.approvedApps)],
      [
        'Login IP Ranges',
        list(
          user.loginIpRanges.map((r) => `${r.start} – ${r.end}`),
          'any address',
        ),
      ],
    ]),
    '<h2>Change the user</h2>',
    '<div class="cards">',
    `<div class="card"><h3>State</h3>${form('setup/user-state', csrf, who + back + hidden('frozen', String(!user.frozen)), user.frozen ? 'Unfreeze' : 'Freeze', 'inline')} ${form('setup/user-state', csrf, who + back + hidden('active', String(!user.active)), user.active ? 'Deactivate' : 'Activate', 'inline')}</div>`,
    `<div class="card"><h3>Profile</h3>${form('setup/assign-profile', csrf, `${who}${back}<label>Profile<input name="profile" required value="${esc(user.profile)}"></label>`, 'Assign')}</div>`,
    `<div class="card"><h3>Permission set</h3>${form('setup/assign-permission-set', csrf, `${who}${back}<label>Permission set<input name="permissionSet" required></label>`, 'Assign')}</div>`,
    `<div class="card"><h3>App approval</h3>${apps
      .map((a) =>
        user.approvedApps.includes(a.name)
          ? form('setup/revoke', csrf, who + back + hidden('app', a.name), `Revoke ${a.name}`, 'inline')
          : form('setup/approve', csrf, who + back + hidden('app', a.name), `Approve ${a.name}`, 'inline'),
      )
      .join(' ')}</div>`,
    `<div class="card"><h3>Login IP Ranges</h3>${form('setup/login-ip-ranges', csrf, `${who}${back}<label>Start IP<input name="start" required inputmode="decimal" placeholder="127.0.0.1"></label><label>End IP<input name="end" required inputmode="decimal" placeholder="127.0.0.1"></label>`, 'Set the range')}${
      user.loginIpRanges.length === 0 ? '' : form('setup/login-ip-ranges', csrf, who + back, 'Clear the ranges', 'inline')
    }</div>`,
    '</div>',
    '<h2>Login History</h2>',
    history === ''
      ? '<p>No login yet.</p>'
      : `<table><thead><tr><th scope="col">Login Time</th><th scope="col">Status</th><th scope="col">Application</th><th scope="col">Login Type</th><th scope="col">Source IP</th><th scope="col">Login URL</th></tr></thead><tbody>${history}</tbody></table>`,
  ].join('\n');
  return page({ title: `User: ${user.username}`, current: 'setup/users', body, flash });
}

export function faultsPage(org: MockOrg, flash?: Flash): Response {
  const csrf = formToken(org);
  const pending = org.forced.pending();
  const knobs = Object.entries(org.knobs)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `<tr><th scope="row"><code>${esc(k)}</code></th><td>${esc(String(v))}</td></tr>`)
    .join('');
  const body = [
    '<h2>Force the next answers</h2>',
    pending.length === 0 ? '<p>No forced answer pending.</p>' : `<p>Pending: ${pending.map((p) => esc(`${typeof p.outcome === 'string' ? p.outcome : p.outcome.error} ×${p.left}`)).join(', ')}.</p>`,
    form(
      'force',
      csrf,
      '<label>Outcome<select name="outcome"><option value="unknown_error">unknown_error</option><option value="drop">drop the connection</option><option value="delay">delay the answer</option></select></label><label>Count<input name="count" type="number" min="1" value="1" required></label><label>Delay (ms)<input name="delayMs" type="number" min="0" value="1000"></label>',
      'Force',
    ),
    form('force/clear', csrf, '', 'Drop the pending ones'),
    '<h2>Clock</h2>',
    `<p>The mock's clock: ${esc(new Date(org.now()).toISOString())} (offset ${org.clockOffsetMs / 1000} s).</p>`,
    form('clock', csrf, `<label>Offset (seconds)<input name="offsetSeconds" type="number" value="${org.clockOffsetMs / 1000}" required></label>`, 'Set'),
    '<h2>Knobs</h2>',
    `<table><tbody>${knobs}</tbody></table>`,
    form('knobs', csrf, '<label>Knob<input name="knob" required></label><label>Value<input name="value" required></label>', 'Change'),
    '<h2>Reset</h2>',
    form('reset', csrf, '', 'Back to the starting world'),
  ].join('\n');
  return page({ title: 'Faults', current: 'faults', body, flash });
}
