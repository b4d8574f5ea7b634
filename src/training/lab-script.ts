/**
 * The integration of a lab folder, login.mjs: plain Node with no package, so the trainee sees every
 * step of the flow: read request.json, put the clock's seconds into exp, sign (RS256 with the key,
 * or whatever the header says), encode the form as the Content-Type says, post it trusting the
 * mock's CA, and print the answer. It does what mock-server/labs/draft.ts does for the console; a
 * test sends one draft both ways and compares the answers.
 */

/** The script, with the mock's CA and ready file given relative to the lab folder. */
export function loginScript(caFromLabFolder: string, readyFromLabFolder: string): string {
  return `// The integration of this lab: reads request.json, signs the JWT, posts it, prints the answer.
// Run it with: node login.mjs    (fix request.json, or the org, until it gets a token)
import { createHmac, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CA_FILE = join(here, ${JSON.stringify(caFromLabFolder)});
const READY_FILE = join(here, ${JSON.stringify(readyFromLabFolder)});
const draft = JSON.parse(readFileSync(join(here, 'request.json'), 'utf8'));

// 1. The claims: {{now + 180}} is this machine's clock in seconds, plus 180 (clockOffsetSeconds plays a wrong clock).
const now = Math.floor(Date.now() / 1000) + (draft.clockOffsetSeconds ?? 0);
const seconds = (v) => {
  const m = typeof v === 'string' ? /^\\{\\{\\s*now\\s*(?:([+-])\\s*(\\d{1,12})\\s*)?\\}\\}$/.exec(v) : null;
  return m === null ? v : m[1] === '-' ? now - Number(m[2] ?? 0) : now + Number(m[2] ?? 0);
};
const claims = Object.fromEntries(Object.entries(draft.jwt.claims).map(([k, v]) => [k, seconds(v)]));

// 2. Header and payload, base64url-encoded JSON, joined by a dot: the bytes the signature covers.
const b64 = (data) => Buffer.from(data).toString('base64url');
const input = \`\${b64(JSON.stringify(draft.jwt.header))}.\${b64(JSON.stringify(claims))}\`;

// 3. The signature, as the header's alg says: RSA with the private key, or an HMAC keyed with the key file's text.
const key = readFileSync(join(here, draft.key), 'utf8');
const alg = draft.jwt.header.alg;
let signature;
if (/^RS(256|384|512)$/.test(alg)) signature = createSign(\`RSA-SHA\${alg.slice(2)}\`).update(input).sign(key);
else if (alg === 'HS256') signature = createHmac('sha256', key).update(input).digest();
else if (alg === 'none') signature = Buffer.alloc(0);
else throw new Error(\`login.mjs signs RS256, RS384, RS512, HS256 or none, not \${alg}\`);
const assertion = \`\${input}.\${b64(signature)}\`;

// 4. The form, encoded as the Content-Type says.
const fields = Object.entries(draft.form).map(([k, v]) => [k, String(v).replaceAll('{{assertion}}', assertion)]);
const contentType = draft.contentType ?? 'application/x-www-form-urlencoded';
const method = (draft.method ?? 'POST').toUpperCase();
const url = new URL(draft.url);
let body = contentType.toLowerCase().startsWith('application/json') ? JSON.stringify(Object.fromEntries(fields)) : new URLSearchParams(fields).toString();
if (method === 'GET' || method === 'HEAD') {
  for (const [k, v] of fields) url.searchParams.append(k, v);
  body = undefined;
}

// 5. The request goes to the mock, which plays Salesforce: each Salesforce host is one of its ports (its ready file says which).
let hosts;
try {
  hosts = JSON.parse(readFileSync(READY_FILE, 'utf8')).hosts ?? {};
} catch {
  console.error(\`login.mjs: the lab's mock is not running (\${READY_FILE} is missing): npx sfjwt lab start starts it\`);
  process.exit(2);
}
const served = hosts[url.hostname];
const target = served === undefined ? url : new URL(\`\${url.pathname}\${url.search}\`, served);

// 6. The request, trusting the mock's CA; the answer as it came.
const headers = body === undefined || contentType === '' ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) };
const req = request(target, { method, headers, ca: readFileSync(CA_FILE) }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    console.log(\`HTTP \${res.statusCode}\`);
    console.log(Buffer.concat(chunks).toString('utf8').replace(/("access_token":")[^"]{8}[^"]*/, '$1…(redacted)'));
    process.exitCode = res.statusCode === 200 ? 0 : 1;
  });
});
req.on('error', (error) => {
  console.error(\`login.mjs: \${error.message} (is the lab's mock running? npx sfjwt lab start starts it)\`);
  process.exitCode = 2;
});
if (body !== undefined) req.write(body);
req.end();
`;
}
