/**
 * `doctor --evidence sf:<alias or username>`: the org's evidence read with a session the sf CLI
 * already keeps, through `@salesforce/core`'s stored auth (~/.sfdx, with the CLI's keychain): the
 * alias resolved to a username, its access token and instance URL decrypted, and the queries sent
 * with the doctor's own fetch (so `--ca` applies as for the token request). `@salesforce/core` is an
 * optional peer dependency, imported only here and only when asked for; without it, a clear error
 * says what to install.
 */

import { ResourceError, UsageError } from '../../lib/errors.ts';
import type { FetchLike } from '../client/https-fetch.ts';
import { type EvidenceSource, restEvidenceSource } from './evidence.ts';

async function importSfCore(): Promise<typeof import('@salesforce/core')> {
  try {
    return await import('@salesforce/core');
  } catch (cause) {
    // Only the package missing is the user's to fix; a broken install of it is rethrown as it is.
    const error = cause as { code?: unknown; message?: unknown };
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'@salesforce/core'")) throw cause;
    throw new ResourceError('--evidence sf:<alias> reads the sf CLI’s stored auth with the @salesforce/core package, which is not installed', {
      actions: [
        'Install it next to sfjwt (an optional peer dependency): npm install --save-dev @salesforce/core@^8',
        'Or pass the session yourself: --evidence <instance URL> with SFJWT_EVIDENCE_TOKEN (sf org display --target-org <alias>).',
      ],
      cause,
    });
  }
}

/** The evidence source of an sf CLI alias or username, as `sf org display` would show its session. */
export async function sfEvidenceSource(aliasOrUsername: string, fetch: FetchLike): Promise<EvidenceSource> {
  if (aliasOrUsername === '') throw new UsageError('--evidence sf: needs an alias or username of the sf CLI', { actions: ['For example --evidence sf:my-admin (sf org list shows them).'] });
  const { AuthInfo, StateAggregator } = await importSfCore();
  const state = await StateAggregator.getInstance();
  const username = state.aliases.resolveUsername(aliasOrUsername);
  let fields: { accessToken?: string | undefined; instanceUrl?: string | undefined };
  try {
    const auth = await AuthInfo.create({ username });
    fields = auth.getConnectionOptions();
  } catch (cause) {
    throw new ResourceError(`the sf CLI has no stored login for ${aliasOrUsername === username ? username : `${aliasOrUsername} (${username})`}: ${(cause as Error).message}`, {
      actions: ['Log in with the sf CLI first (sf org login web --alias <alias>), or check the name with sf org list.'],
      cause,
    });
  }
  if (fields.accessToken === undefined || fields.instanceUrl === undefined)
    throw new ResourceError(`the sf CLI's login for ${username} has no access token or instance URL`, { actions: [`Log in again: sf org login web --alias ${aliasOrUsername}.`] });
  const source = restEvidenceSource({ instanceUrl: fields.instanceUrl, accessToken: fields.accessToken, fetch });
  return { ...source, label: `the sf CLI's login ${aliasOrUsername === username ? username : `${aliasOrUsername} (${username})`} at ${fields.instanceUrl.replace(/\/+$/, '')}` };
}
