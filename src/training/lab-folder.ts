/**
 * A lab's folder in the trainee's project (sfjwt-lab/03-iss-capitalised/): request.json, the
 * integration's request with the lab's mistake, for the trainee to fix; login.mjs, which sends it;
 * README.md, the story and the symptom. Starting a lab again keeps a request.json the trainee has
 * edited; `reset` writes the starting one again and keeps theirs as request.json.bak, so nothing
 * typed is lost. The key is named by path (the state folder's), never copied.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeDirectory } from '../../lib/make-directory.ts';
import { PUBLIC_MODE, replaceFile } from '../../lib/write-new-file.ts';
import { loginScript } from './lab-script.ts';

export interface LabView {
  number: number;
  id: string;
  title: string;
  story: string;
  symptom: { status: number; body: string };
  as: { username: string; app: string; host: string };
}

export interface LabFolderInput {
  root: string;
  lab: LabView;
  /** The starting request, with `key` absent: it is set here, relative to the folder. */
  starter: Record<string, unknown>;
  keyFile: string;
  caFile: string;
  /** The mock's ready file: login.mjs reads which port plays which Salesforce host. */
  readyFile: string;
  /** Write request.json even when the trainee has one (reset). */
  fresh: boolean;
}

export interface LabFolder {
  dir: string;
  /** request.json kept as the trainee left it. */
  kept: boolean;
  /** Where the trainee's previous request.json went (reset). */
  savedAs?: string;
}

export const labDirName = (lab: Pick<LabView, 'number' | 'id'>) => `${String(lab.number).padStart(2, '0')}-${lab.id}`;

export function labReadme(lab: LabView): string {
  return `# Lab ${lab.number}: ${lab.title}

${lab.story}

The integration logs in as \`${lab.as.username}\` with the app "${lab.as.app}", and gets:

\`\`\`text
HTTP ${lab.symptom.status}
${lab.symptom.body}
\`\`\`

- \`node login.mjs\` sends request.json to the mock and prints the answer. Its URL names Salesforce's host,
  as the integration's would; login.mjs sends it to the port of the mock that plays that host.
- Fix what is wrong: in request.json, or in the org (the console's App Manager and Users pages, or the admin API).
- \`npx sfjwt lab check\` says whether the integration's newest login works, and what is still wrong.
- \`npx sfjwt lab hint\` gives a hint, one at a time; \`npx sfjwt lab reset\` sets the lab up again.
`;
}

export function writeLabFolder(input: LabFolderInput): LabFolder {
  const dir = join(input.root, labDirName(input.lab));
  makeDirectory(input.root);
  makeDirectory(dir);
  const requestFile = join(dir, 'request.json');
  const request = { ...input.starter, key: relative(dir, input.keyFile) };
  const had = existsSync(requestFile);
  let savedAs: string | undefined;
  if (had && input.fresh && readFileSync(requestFile, 'utf8') !== `${JSON.stringify(request, null, 2)}\n`) {
    savedAs = `${requestFile}.bak`;
    renameSync(requestFile, savedAs);
  }
  const kept = had && !input.fresh;
  if (!kept) replaceFile(requestFile, `${JSON.stringify(request, null, 2)}\n`, PUBLIC_MODE);
  replaceFile(join(dir, 'login.mjs'), loginScript(relative(dir, input.caFile), relative(dir, input.readyFile)), PUBLIC_MODE);
  replaceFile(join(dir, 'README.md'), labReadme(input.lab), PUBLIC_MODE);
  return savedAs === undefined ? { dir, kept } : { dir, kept, savedAs };
}
