export { salesforceHandlers, type MswOptions } from './adapters/msw.ts';
export { DEFAULT_MOCK_IMAGE, SalesforceMockContainer, type ServeDescription, type StartedSalesforceMock } from './adapters/container.ts';
export { startMockOrg, type StartedMockOrg, type StartMockOrgOptions } from './adapters/node-server.ts';
export { serverTls, SALESFORCE_DNS_NAMES } from './adapters/local-ca.ts';
export { ADMIN_PREFIX, adminClient, type AdminAnswer, type AdminClient, type AdminClientOptions, type AdminFetch, type AdminRefusal, type JournalPage, type WorldDescription } from './admin/index.ts';
export {
  SETUP_ACTIONS,
  SETUP_ACTION_NAMES,
  approveApp,
  assignPermissionSet,
  assignProfile,
  clearCertificates,
  clearForcedOutcomes,
  forceOutcome,
  isSetupAction,
  recordLogins,
  removeCertificate,
  resetMock,
  revokeApp,
  setClockOffset,
  setKnobs,
  setOrgState,
  setUserState,
  touchApp,
  uploadCertificate,
  type AppInput,
  type ClockInput,
  type ClockState,
  type ForceInput,
  type ForcedState,
  type HarnessOrg,
  type Nothing,
  type OrgStateInput,
  type PermissionSetInput,
  type ProfileInput,
  type RecordLoginsInput,
  type RemoveCertificateInput,
  type SetupActionName,
  type SetupDone,
  type SetupError,
  type SetupErrorCode,
  type SetupOrg,
  type SetupResult,
  type UploadCertificateInput,
  type UserAndAppInput,
  type UserStateInput,
} from './setup/index.ts';
export { CHECKS, checkById, DECIDED_OUTSIDE_CHECKS, isCheckId } from './core/check-catalogue.ts';
export { CHECK_IDS, type Check, type CheckId, type CheckResult, type OAuthErrorOutcome, type TokenContext, type TokenFacts } from './core/check.ts';
export { frozenClock, manualClock, seededRandom, systemClock, type Clock, type ManualClock, type Random } from './core/clock.ts';
export { FORCED_CAUSE, type Forced } from './core/forced.ts';
export { DEFAULT_KNOBS, KNOBS, resolveKnobs, type KnobChanges, type Knobs } from './core/knobs.ts';
export { MockOrg, TRACE_HEADER, type MockOrgOptions, type ServeContext } from './core/mock-org.ts';
export { OUTCOMES, type Outcome, type OutcomeName } from './core/outcomes.ts';
export type { Trace, TraceStep } from './core/trace.ts';
export { commit, decide, readsBody, render, traceOf, type Changes, type CommitTarget, type Decision, type Route, type TokenAnswer, type TokenRequest, type TokenState, type TokenWorld } from './core/token/index.ts';
export { DEFAULT_APPS, DEFAULT_SEED, defaultWorld } from './world/default-world.ts';
export { generateWorld } from './world/generate.ts';
export { LOGIN_HOST, TEST_HOST, logicalHosts, type HostKind, type LogicalHost } from './world/hosts.ts';
export { prepareWorld } from './world/prepare.ts';
export { isValidId18, makeId, to18 } from './world/salesforce-id.ts';
export { WorldSchema, type App, type Org, type Site, type User, type World, type WorldInput } from './world/schema.ts';
export { loadWorldFile, validateWorld } from './world/validate-world.ts';
export { WorldIndex } from './world/world-index.ts';
