/** Writes sfjwt.world.schema.json from the world's zod schema (mock-server/world/schema.ts). */
import { writeFileSync } from 'node:fs';
import { worldJsonSchema } from '../mock-server/world/schema.ts';

writeFileSync(new URL('../sfjwt.world.schema.json', import.meta.url), `${JSON.stringify(worldJsonSchema(), null, 2)}\n`);
