/**
 * The one-line summary of every command, in the order `npx sfjwt --help` lists them. Data only, so
 * that the top-level help reads them without loading a command, and each command's own --help shows
 * the same line.
 */
export const SUMMARIES = {
  start: 'The main job: the whole catalogue against the embedded mock (in-process and HTTPS), with a report',
  run: 'Run the scenario catalogue against the mock and real orgs, and write a run report',
  scenarios: 'List the scenario catalogue (every common mistake and what Salesforce answers)',
  serve: 'Serve the mock Salesforce org on loopback (HTTPS by default)',
  stop: 'Stop a mock that serve --detach started in the background',
  exec: 'Run a command against the mock: its Salesforce calls go to the mock, nothing leaves loopback',
  world: 'Print a world as JSON (default or generated), or check a world file',
  keys: 'Generate key material for a connected app, or check a key and certificate',
  sign: 'Sign a JWT Bearer assertion from flags, a config target or the served mock, and lint it',
  token: 'Get an access token: sign, post to the token endpoint, and show the answer or what the error means',
  doctor: 'Diagnose a failing setup: local checks, one request, bounded probes, the root cause and the fix',
  explain: 'Explain a Salesforce answer, a scenario or a check: every cause, how to tell them apart, the fix',
  inspect: 'Decode and lint an assertion the way Salesforce reads it; verify its signature with --cert',
  guide: 'Write the field guide (HTML and Markdown): the flow, every error and its causes, a curl reproduction of each scenario',
  lab: 'Hands-on labs on the mock: start one, fix the broken setup, check it, get hints',
  postman: 'Export the catalogue as a Postman collection and environment, with signed assertions and a test per request',
} as const;

export type CommandName = keyof typeof SUMMARIES;
