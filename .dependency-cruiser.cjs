/**
 * The layers of sfjwt, one way (see README "Layout"). `npm test` runs dependency-cruiser with these
 * rules (lib/layers.test.ts); a forbidden import fails with the rule's name. Tests may reach across
 * layers to drive what they test, so the layer rules read only non-test modules.
 */
const TESTS = '(\\.test\\.ts$|/__golden__/|/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'lib-imports-nothing-of-the-project',
      comment: 'lib/ is the bottom layer: errors, pki, the state folder, Salesforce host names and scenario roles. It imports only packages and node:.',
      severity: 'error',
      from: { path: '^lib/', pathNot: TESTS },
      to: { path: '^(src|mock-server|scenarios|bench|container|bin|scripts)/' },
    },
    {
      name: 'mock-server-imports-only-lib',
      comment: "The mock org must never judge a client by the client's own logic, nor depend on the CLI, runner or reports.",
      severity: 'error',
      from: { path: '^mock-server/', pathNot: TESTS },
      to: { path: '^(src|scenarios|bench|container|bin|scripts)/' },
    },
    {
      name: 'scenarios-are-data',
      comment: "scenarios/ holds data, schema, loader and coverage: it may read the mock's check ids and schemas and lib, never the runner or the client.",
      severity: 'error',
      from: { path: '^scenarios/', pathNot: TESTS },
      to: { path: '^(src|bench|container|bin|scripts)/' },
    },
    {
      name: 'client-knows-no-mock',
      comment: 'src/client builds and sends requests for any target; it must not know the mock (the mock is judged by what a client sends, not the other way round).',
      severity: 'error',
      from: { path: '^src/client/', pathNot: TESTS },
      to: { path: '^(mock-server|src/(runner|report|diagnose|cli))/' },
    },
    {
      name: 'runner-below-report-diagnose-cli',
      severity: 'error',
      from: { path: '^src/runner/', pathNot: TESTS },
      to: { path: '^src/(report|diagnose|cli)/' },
    },
    {
      name: 'report-and-diagnose-below-cli',
      severity: 'error',
      from: { path: '^src/(report|diagnose)/', pathNot: TESTS },
      to: { path: '^src/cli/' },
    },
    {
      name: 'training-below-cli',
      comment: 'src/training (the field guide, the labs, the Postman export) derives from the catalogues, the runner, the reports and the diagnosis; only the CLI uses it.',
      severity: 'error',
      from: { path: '^src/(client|runner|report|diagnose)/', pathNot: TESTS },
      to: { path: '^src/training/' },
    },
    {
      name: 'training-is-not-the-cli',
      severity: 'error',
      from: { path: '^src/training/', pathNot: TESTS },
      to: { path: '^src/cli/' },
    },
    {
      name: 'nothing-imports-bench-or-scripts',
      severity: 'error',
      from: { pathNot: '^(bench|scripts)/' },
      to: { path: '^(bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other in a loop cannot be layered; break the loop with a type-only module or by moving the shared part down.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-dev-dependency',
      comment: 'Code that ships in the package must not import a devDependency.',
      severity: 'error',
      from: { path: '^(lib|src|mock-server|scenarios)/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|container/\\.build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
