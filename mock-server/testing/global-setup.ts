/**
 * vitest's global setup: makes the tests' key material once for the whole run (see material.ts) and
 * names it in SFJWT_TEST_MATERIAL before the test processes start, so they inherit it; removes it
 * when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MATERIAL_ENV, makeTestMaterialAsync } from './material.ts';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-material-'));
  process.env[MATERIAL_ENV] = (await makeTestMaterialAsync(dir)).file;
  return () => rmSync(dir, { recursive: true, force: true });
}
