/**
 * sfjwt.config.schema.json is generated from the config's zod schema; this keeps the committed file
 * in step (regenerate with: npx tsx scripts/write-config-schema.ts), and checks the example config
 * in the repository is valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, configJsonSchema } from './config.ts';

describe('config JSON Schema', () => {
  it('the committed sfjwt.config.schema.json is the generated one', () => {
    const committed = JSON.parse(readFileSync(new URL('../../sfjwt.config.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(configJsonSchema());
  });

  it('sfjwt.config.example.json is a valid config', () => {
    const example = JSON.parse(readFileSync(new URL('../../sfjwt.config.example.json', import.meta.url), 'utf8')) as unknown;
    expect(ConfigSchema.safeParse(example).success).toBe(true);
  });
});
