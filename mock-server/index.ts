export { DEFAULT_MOCK_IMAGE, SalesforceMockContainer, type ServeDescription, type StartedSalesforceMock } from './adapters/container.ts';
export { SALESFORCE_DNS_NAMES, serverTls } from './adapters/local-ca.ts';
export { type LiveSession, liveSession, type MswOptions, salesforceHandlers, withSession } from './adapters/msw.ts';
export { type StartedMockOrg, type StartMockOrgOptions, startMockOrg } from './adapters/node-server.ts';
export { ADMIN_PREFIX, type AdminAnswer, type AdminClient, type AdminClientOptions, type AdminFetch, type AdminRefusal, adminClient, type JournalPage, type WorldDescription } from './admin/index.ts';
export { CHECK_IDS, type Check, type CheckId, type CheckResult, type OAuthErrorOutcome, type TokenContext, type TokenFacts } from './core/check.ts';
export { CHECKS, checkById, DECIDED_OUTSIDE_CHECKS, isCheckId } from './core/check-catalogue.ts';
export { type Clock, frozenClock, type ManualClock, manualClock, type Random, seededRandom, systemClock } from './core/clock.ts';
export { FORCED_CAUSE, type Forced } from './core/forced.ts';
export { DEFAULT_KNOBS, KNOBS, type KnobChanges, KnobError, type KnobInfo, type KnobRange, type Knobs, resolveKnobs } from './core/knobs.ts';
export { MockOrg, type MockOrgOptions, type ServeContext, TRACE_HEADER } from './core/mock-org.ts';
export { OUTCOMES, type Outcome, type OutcomeName } from './core/outcomes.ts';
export {
  type Changes,
  type CommitTarget,
  commit,
  type Decision,
  decide,
  type Route,
  readsBody,
  render,
  type TokenAnswer,
  type TokenRequest,
  type TokenState,
  type TokenWorld,
  traceOf,
} from './core/token/index.ts';
export type { Trace, TraceStep } from './core/trace.ts';
export { APEX_NO_MATCH_MESSAGE, type RouteMethod, type RouteSegment, type UserRoute } from './core/user-routes.ts';
export { FIXTURE_TYPES, loadFixtures } from './fixtures.ts';
export {
  type AppInput,
  approveApp,
  assignPermissionSet,
  assignProfile,
  type ClockInput,
  type ClockState,
  clearCertificates,
  clearForcedOutcomes,
  type ForcedState,
  type ForceInput,
  forceOutcome,
  type HarnessOrg,
  type InstallInput,
  installApp,
  isSetupAction,
  type LoginIpRangesInput,
  type Nothing,
  type OrgStateInput,
  type PermissionSetInput,
  type ProfileInput,
  type RecordLoginsInput,
  type RemoveCertificateInput,
  recordLogins,
  removeCertificate,
  resetMock,
  revokeApp,
  SETUP_ACTION_NAMES,
  SETUP_ACTIONS,
  type SetupActionName,
  type SetupDone,
  type SetupError,
  type SetupErrorCode,
  type SetupOrg,
  type SetupResult,
  setClockOffset,
  setKnobs,
  setLoginIpRanges,
  setOrgState,
  setUserState,
  touchApp,
  type UploadCertificateInput,
  type UserAndAppInput,
  type UserStateInput,
  uploadCertificate,
} from './setup/index.ts';
export { DEFAULT_APPS, DEFAULT_SEED, defaultWorld } from './world/default-world.ts';
export { generateWorld } from './world/generate.ts';
export { type HostKind, LOGIN_HOST, type LogicalHost, logicalHosts, TEST_HOST } from './world/hosts.ts';
export { prepareWorld } from './world/prepare.ts';
export { isValidId18, makeId, to18 } from './world/salesforce-id.ts';
export { type App, type Org, type Site, type User, type World, type WorldInput, WorldSchema } from './world/schema.ts';
export { loadWorldFile, validateWorld } from './world/validate-world.ts';
export { WorldIndex } from './world/world-index.ts';
