/** The scenario catalogue as data: its schema, the loader and the roles scenarios are made with. */
export { CATALOGUE_DIR, catalogue, loadScenarios, parseScenario, ScenarioFileError } from './load.ts';
export { type Mistake, MistakeSchema, type SymbolicValue, SymbolSchema } from './mistake-schema.ts';
export { APP_ROLES, HOST_ROLES, isNegative, type Scenario, type ScenarioInput, ScenarioSchema, TARGET_KINDS, USER_ROLES } from './schema.ts';
