// An integration that logs in to Salesforce with the OAuth 2.0 JWT Bearer flow and reads users, the
// way a careful one does: it signs a short-lived assertion (node:crypto, RS256), keeps the access
// token and its instance_url for every call, logs in again once when a call answers 401
// INVALID_SESSION_ID, and retries a transient unknown_error with a growing wait. It prints no token,
// assertion or key. Nothing in it knows about the test harness: it is configured by SF_CONSUMER_KEY,
// SF_USERNAME, SF_KEY_FILE and SF_LOGIN_URL (https://login.salesforce.com by default).
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

const config = {
  consumerKey: required('SF_CONSUMER_KEY'),
  username: required('SF_USERNAME'),
  key: createPrivateKey(readFileSync(required('SF_KEY_FILE'))),
  loginUrl: process.env.SF_LOGIN_URL ?? 'https://login.salesforce.com',
};

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`sync: set ${name}`);
    process.exit(2);
  }
  return value;
}

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const wait = (ms) => new Promise((done) => setTimeout(done, ms));

function assertion() {
  const input = `${b64({ alg: 'RS256' })}.${b64({ iss: config.consumerKey, sub: config.username, aud: config.loginUrl, exp: Math.floor(Date.now() / 1000) + 180 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), config.key).toString('base64url')}`;
}

async function login() {
  for (let attempt = 1, delay = 600; ; attempt += 1, delay *= 2) {
    const res = await fetch(`${config.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: assertion() }),
    });
    const body = await res.json();
    if (res.ok) return { token: body.access_token, instanceUrl: body.instance_url };
    // unknown_error is Salesforce failing on its side: worth a few more tries. Anything else is the setup's.
    if (body.error !== 'unknown_error' || attempt === 4) throw new Error(`login refused: ${body.error}: ${body.error_description}`);
    console.error(`sync: ${body.error}, retrying in ${delay} ms`);
    await wait(delay);
  }
}

let session;
async function api(path) {
  session ??= await login();
  let res = await fetch(`${session.instanceUrl}${path}`, { headers: { Authorization: `Bearer ${session.token}` } });
  if (res.status === 401) {
    console.error('sync: session ended, logging in again');
    session = await login();
    res = await fetch(`${session.instanceUrl}${path}`, { headers: { Authorization: `Bearer ${session.token}` } });
  }
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

try {
  const soql = (q) => api(`/services/data/v60.0/query?q=${encodeURIComponent(q)}`);
  const active = await soql('SELECT Username FROM User WHERE IsActive = true ORDER BY Username');
  const inactive = await soql('SELECT Username FROM User WHERE IsActive = false ORDER BY Username');
  const limits = await api('/services/data/v60.0/limits');
  console.log(`users: ${active.totalSize} active, ${inactive.totalSize} inactive`);
  console.log(`API requests left today: ${limits.DailyApiRequests.Remaining}`);
} catch (error) {
  console.error(`sync: ${error.message}`);
  process.exit(1);
}
