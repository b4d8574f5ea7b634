export { catalogue, CATALOGUE_DIR, loadScenarios, parseScenario, ScenarioFileError } from './load.ts';
export { APP_ROLES, HOST_ROLES, isNegative, ScenarioSchema, TARGET_KINDS, USER_ROLES, type Scenario, type ScenarioInput } from './schema.ts';
export { httpsTarget, mswTarget, remoteMockTarget } from '../src/runner/mock-target.ts';
export { realTarget } from '../src/runner/real-target.ts';
export { configJsonSchema, loadConfig, targetFromEnv, type ResolvedTargetConfig } from '../src/runner/config.ts';
export { compare, runCatalogue, runScenario, type RunReport, type ScenarioResult, type Verdict } from '../src/runner/run.ts';
export type { Target, TargetKind } from '../src/runner/target.ts';
