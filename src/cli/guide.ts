/**
 * `sfjwt guide`: writes the field guide, generated from the check catalogue, the outcomes, the
 * scenario catalogue and their evidence, as one self-contained HTML page and as Markdown, into a
 * folder (sfjwt-guide/ by default) that it replaces only when sfjwt wrote it. Prints the files it wrote.
 */
import { join } from 'node:path';
import { buildGuideModel } from '../training/guide-model.ts';
import { writeGuide } from '../training/guide-write.ts';
import { type CommandSpec, parse } from './args.ts';
import { type CommandContext, inCwd } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const guideSpec = {
  name: 'guide',
  summary: SUMMARIES.guide,
  usage: 'npx sfjwt guide [--out DIR]',
  options: { out: { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' }>>;

const HELP = `${guideSpec.usage}

${guideSpec.summary}.
  --out DIR   the folder to write index.html and guide.md into (default sfjwt-guide); a folder of
              that name that sfjwt did not write is refused, and nothing in it is touched

The guide: the flow step by step (keys, connected app, the three ways of approval, the JWT, the
token request, using the token, when it ends), a sequence diagram, every check, every error
Salesforce returns with each cause, how to tell them apart and the fix, and for every scenario a
curl reproduction against npx sfjwt serve with the answer it gets. Nothing leaves the machine.
Exit code 0: written; 2: usage errors or a folder that is not sfjwt's.

Examples:
  npx sfjwt guide
  npx sfjwt guide --out docs/field-guide`;

export function guide(ctx: CommandContext): number {
  const { values } = parse(guideSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const out = values.out ?? 'sfjwt-guide';
  const written = writeGuide(buildGuideModel(), inCwd(ctx, out));
  ctx.stdout.write(written.map((name) => `wrote ${join(out, name)}\n`).join(''));
  return 0;
}
