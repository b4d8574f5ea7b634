/** The scenario runner's public entry point: targets (mock and real), the config, and running the catalogue. */

export { CATALOGUE_DIR, catalogue, loadScenarios, parseScenario, ScenarioFileError } from '../../scenarios/load.ts';
export { APP_ROLES, HOST_ROLES, isNegative, type Scenario, type ScenarioInput, ScenarioSchema, TARGET_KINDS, USER_ROLES } from '../../scenarios/schema.ts';
export type { RunFinding } from './baseline.ts';
export { configJsonSchema, loadConfig, type ResolvedTargetConfig, targetFromEnv } from './config.ts';
export { httpsTarget, mswTarget, remoteMockTarget } from './mock-target.ts';
export { realTarget } from './real-target.ts';
export type { KnownSecret } from './redact-secrets.ts';
export { compare, type RunReport, runCatalogue, runScenario, type ScenarioResult, type Verdict } from './run.ts';
export type { Target, TargetKind } from './target.ts';
