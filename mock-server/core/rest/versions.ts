/**
 * REST API versions: the release label of each, the list `GET /services/data/` serves, and what a
 * version in a path is. Versions up to the `retiredApiVersionsUpTo` knob (30 since Summer '25) are
 * retired and answer 410; 7.0 was the first REST-era API version, so anything older never existed.
 */

/** Winter '27, the release current in late 2026. */
export const LATEST_API_VERSION = 68;
/** The oldest API version Salesforce ever served; below it a version is unknown, not retired. */
export const FIRST_EVER_API_VERSION = 7;

/** Release label of an API version: v68.0 is Winter '27, v67.0 Summer '26, v66.0 Spring '26, … */
export function releaseLabel(version: number): string {
  const i = LATEST_API_VERSION - version;
  const season = ['Winter', 'Summer', 'Spring'][((i % 3) + 3) % 3];
  const year = 27 - Math.floor((i + 2) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** The version list, oldest first: every version after the retired ones up to the latest. */
export function apiVersions(retiredUpTo = 30): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = Math.max(retiredUpTo + 1, FIRST_EVER_API_VERSION); v <= LATEST_API_VERSION; v += 1) out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

export type VersionStanding = 'current' | 'retired' | 'unknown';

/** Whether `version` is served, retired (410) or was never one (404). */
export function versionStanding(version: number, retiredUpTo: number): VersionStanding {
  if (version < FIRST_EVER_API_VERSION || version > LATEST_API_VERSION) return 'unknown';
  return version <= retiredUpTo ? 'retired' : 'current';
}
