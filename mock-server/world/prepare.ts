/**
 * The world a mock starts with: a world file, or the default training ground whose app certificate
 * belongs to a key pair made locally on first use (kept in the state folder, never committed).
 */
import { join } from 'node:path';
import { ensureKeyPair, type StoredKeyPair } from '../../lib/state-folder.ts';
import { DEFAULT_SEED, defaultWorld } from './default-world.ts';
import type { World } from './schema.ts';
import { loadWorldFile } from './validate-world.ts';

export interface PreparedWorld {
  world: World;
  /** The default world's app key pair; absent for a world file. */
  appKey?: StoredKeyPair;
}

export function prepareWorld(options: { stateDir: string; worldFile?: string | undefined; seed?: number | undefined }): PreparedWorld {
  if (options.worldFile !== undefined) return { world: loadWorldFile(options.worldFile) };
  const appKey = ensureKeyPair(join(options.stateDir, 'keys'), 'default-app', [
    { shortName: 'C', value: 'US' },
    { shortName: 'O', value: 'Acme Corporation' },
    { shortName: 'CN', value: 'sfjwt default app' },
  ]);
  return { world: defaultWorld({ seed: options.seed ?? DEFAULT_SEED, certificatePem: appKey.certificatePem }), appKey };
}
