/** The scenario catalogue as data: its schema, the loader and the roles scenarios are made with. */
export { catalogue, CATALOGUE_DIR, loadScenarios, parseScenario, ScenarioFileError } from './load.ts';
export { APP_ROLES, HOST_ROLES, isNegative, ScenarioSchema, TARGET_KINDS, USER_ROLES, type Scenario, type ScenarioInput } from './schema.ts';
export { MistakeSchema, SymbolSchema, type Mistake, type SymbolicValue } from './mistake-schema.ts';
