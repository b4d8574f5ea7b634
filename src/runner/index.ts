/** The scenario runner's public entry point: targets (mock and real), the config, and running the catalogue. */
export { httpsTarget, mswTarget, remoteMockTarget } from './mock-target.ts';
export { realTarget } from './real-target.ts';
export { configJsonSchema, loadConfig, targetFromEnv, type ResolvedTargetConfig } from './config.ts';
export { compare, runCatalogue, runScenario, type RunReport, type ScenarioResult, type Verdict } from './run.ts';
export type { Target, TargetKind } from './target.ts';
export { catalogue, CATALOGUE_DIR, loadScenarios, parseScenario, ScenarioFileError } from '../../scenarios/load.ts';
export { APP_ROLES, HOST_ROLES, isNegative, ScenarioSchema, TARGET_KINDS, USER_ROLES, type Scenario, type ScenarioInput } from '../../scenarios/schema.ts';
