/** Writes sfjwt.config.schema.json from the config's zod schema (src/runner/config.ts). */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/runner/config.ts';

writeFileSync(new URL('../sfjwt.config.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
