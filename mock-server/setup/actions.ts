/**
 * The Salesforce Setup actions of the mock: approve or revoke a user's access to an app, assign a
 * profile or a permission set, upload or remove an app's certificate, change an app, activate or
 * freeze a user (deactivating or freezing ends the user's live sessions), lock an org, and record the logins a user already made this hour. Each validates its
 * input, finds the user, app or org it names and changes the world through the WorldIndex (or Login
 * History), so the admin API's /setup routes, the runner's in-process control and anything else that
 * holds a MockOrg change the mock in one way. A name the world does not hold is a refusal with the
 * fix, never a throw.
 */
import { z } from 'zod';
import { ADMIN_PREFIX } from '../admin/prefix.ts';
import type { MockOrg } from '../core/mock-org.ts';
import type { Sessions } from '../core/sessions.ts';
import type { App, User } from '../world/schema.ts';
import { defineSetup, done, refuse, type SetupResult } from './result.ts';

/** What the Setup actions read and change of a MockOrg (its world index is replaced on reset: read it per call). */
export type SetupOrg = Pick<MockOrg, 'index' | 'loginHistory' | 'knobs' | 'now'> & { readonly sessions: Pick<Sessions, 'endUser'> };

const Username = z.strictObject({ username: z.string().min(1) });
const UserAndApp = z.strictObject({ username: z.string().min(1), app: z.string().min(1) });
const AppName = z.strictObject({ app: z.string().min(1) });
const ProfileInput = z.strictObject({ username: z.string().min(1), profile: z.string().min(1) });
const PermissionSetInput = z.strictObject({ username: z.string().min(1), permissionSet: z.string().min(1) });
const UploadInput = z.strictObject({ app: z.string().min(1), pem: z.string().min(1) });
const RemoveInput = z.strictObject({ app: z.string().min(1), sha256: z.string().min(1) });
const UserStateInput = Username.extend({ active: z.boolean().optional(), frozen: z.boolean().optional() });
const OrgStateInput = z.strictObject({ org: z.string().min(1), status: z.enum(['active', 'locked']) });
/** Successful logins the user already made this hour (a scenario's priorLogins), for the rate limit. */
const RecordLoginsInput = Username.extend({ count: z.int().min(1).max(100_000) });
const ipv4 = z.ipv4({ message: 'expected an IPv4 address such as 127.0.0.1' });
/** The Login IP Ranges of the user's profile (the mock keeps them on the user): [] lifts the restriction. */
const LoginIpRangesInput = Username.extend({ ranges: z.array(z.strictObject({ start: ipv4, end: ipv4 })).max(100) });
const InstallInput = z.strictObject({ app: z.string().min(1), org: z.string().min(1) });

export type UserAndAppInput = z.input<typeof UserAndApp>;
export type AppInput = z.input<typeof AppName>;
export type ProfileInput = z.input<typeof ProfileInput>;
export type PermissionSetInput = z.input<typeof PermissionSetInput>;
export type UploadCertificateInput = z.input<typeof UploadInput>;
export type RemoveCertificateInput = z.input<typeof RemoveInput>;
export type UserStateInput = z.input<typeof UserStateInput>;
export type OrgStateInput = z.input<typeof OrgStateInput>;
export type RecordLoginsInput = z.input<typeof RecordLoginsInput>;
export type LoginIpRangesInput = z.input<typeof LoginIpRangesInput>;
export type InstallInput = z.input<typeof InstallInput>;

function findUser(org: SetupOrg, username: string): SetupResult<User> {
  const user = org.index.userByUsername(username);
  return user === undefined ? refuse('no-user', `no user "${username}"`, `GET ${ADMIN_PREFIX}/world lists the users.`) : done(user);
}

function findApp(org: SetupOrg, name: string): SetupResult<App> {
  const app = org.index.app(name);
  return app === undefined ? refuse('no-app', `no app "${name}"`, `GET ${ADMIN_PREFIX}/world lists the apps.`) : done(app);
}

const action = <S extends z.ZodType, T>(schema: S, apply: (org: SetupOrg, input: z.output<S>) => SetupResult<T>) => defineSetup(schema, apply);

/**
 * The actions by the name the admin API serves them under (POST /__sfjwt/setup/<name>), each taking
 * input of any shape. Look a name up with `isSetupAction`, which reads own keys only.
 */
export const SETUP_ACTIONS = {
  approve: action(UserAndApp, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    if (!user.value.approvedApps.includes(app.value.name)) user.value.approvedApps.push(app.value.name);
    return done({});
  }),
  revoke: action(UserAndApp, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    user.value.approvedApps = user.value.approvedApps.filter((a) => a !== app.value.name);
    return done({});
  }),
  'assign-profile': action(ProfileInput, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    user.value.profile = input.profile;
    return done({});
  }),
  'assign-permission-set': action(PermissionSetInput, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    if (!user.value.permissionSets.includes(input.permissionSet)) user.value.permissionSets.push(input.permissionSet);
    return done({});
  }),
  'upload-certificate': action(UploadInput, (org, input): SetupResult<{ app: string; sha256: string }> => {
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    try {
      return done({ app: app.value.name, sha256: org.index.uploadCertificate(app.value, input.pem).sha256 });
    } catch (error) {
      // Whatever stops the PEM from being read is about the PEM the caller sent.
      return refuse('bad-certificate', error instanceof Error ? error.message : String(error));
    }
  }),
  'remove-certificate': action(RemoveInput, (org, input): SetupResult => {
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    if (!org.index.removeCertificate(app.value, input.sha256)) return refuse('no-certificate', `no certificate with that fingerprint on "${app.value.name}"`);
    return done({});
  }),
  /** The app was edited just now: its consumer key is unknown for propagationDelaySeconds. */
  'touch-app': action(AppName, (org, input): SetupResult => {
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    app.value.lastModified = new Date(org.now()).toISOString();
    return done({});
  }),
  'user-state': action(UserStateInput, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    const deactivated = input.active === false && user.value.active;
    const frozen = input.frozen === true && user.value.frozen !== true;
    if (input.active !== undefined) user.value.active = input.active;
    if (input.frozen !== undefined) user.value.frozen = input.frozen;
    // The user's live sessions end at once (knobs deactivationEndsSessions, freezeEndsSessions).
    if ((deactivated && org.knobs.deactivationEndsSessions) || (frozen && org.knobs.freezeEndsSessions)) org.sessions.endUser(user.value.id);
    return done({});
  }),
  'org-state': action(OrgStateInput, (org, input): SetupResult => {
    const target = org.index.org(input.org);
    if (target === undefined) return refuse('no-org', `no org "${input.org}"`);
    target.status = input.status;
    return done({});
  }),
  'record-logins': action(RecordLoginsInput, (org, input): SetupResult<{ username: string; recentSuccesses: number }> => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    // A second ago, as an in-process target always recorded them: inside the hour the rate limit counts.
    for (let i = 0; i < input.count; i += 1) org.loginHistory.recordSuccess(user.value.id, org.now() - 1000, org.knobs.loginRatePerHour);
    return done({ username: user.value.username, recentSuccesses: org.loginHistory.recentSuccesses(user.value.id, org.now()) });
  }),
  'login-ip-ranges': action(LoginIpRangesInput, (org, input): SetupResult => {
    const user = findUser(org, input.username);
    if (!user.ok) return user;
    user.value.loginIpRanges = input.ranges.map((r) => ({ start: r.start, end: r.end }));
    return done({});
  }),
  /** An External Client App installed in another org (Setup > External Client App Manager > Install). */
  'install-app': action(InstallInput, (org, input): SetupResult => {
    const app = findApp(org, input.app);
    if (!app.ok) return app;
    if (app.value.kind !== 'external-client-app')
      return refuse('invalid-input', `"${app.value.name}" is a connected app: it is not installed per org`, 'Install an External Client App; a connected app serves its own org.');
    if (org.index.org(input.org) === undefined) return refuse('no-org', `no org "${input.org}"`, `GET ${ADMIN_PREFIX}/world lists the orgs.`);
    const installed = app.value.installedIn ?? [app.value.org];
    if (!installed.includes(input.org)) app.value.installedIn = [...installed, input.org];
    return done({});
  }),
} as const;

export type SetupActionName = keyof typeof SETUP_ACTIONS;
export const SETUP_ACTION_NAMES = Object.keys(SETUP_ACTIONS) as SetupActionName[];

/** Own keys only: `toString`, `constructor` or `__proto__` are no actions. */
export const isSetupAction = (name: string): name is SetupActionName => Object.hasOwn(SETUP_ACTIONS, name);

export const approveApp: (org: SetupOrg, input: UserAndAppInput) => SetupResult = SETUP_ACTIONS.approve;
export const revokeApp: (org: SetupOrg, input: UserAndAppInput) => SetupResult = SETUP_ACTIONS.revoke;
export const assignProfile: (org: SetupOrg, input: ProfileInput) => SetupResult = SETUP_ACTIONS['assign-profile'];
export const assignPermissionSet: (org: SetupOrg, input: PermissionSetInput) => SetupResult = SETUP_ACTIONS['assign-permission-set'];
export const uploadCertificate: (org: SetupOrg, input: UploadCertificateInput) => SetupResult<{ app: string; sha256: string }> = SETUP_ACTIONS['upload-certificate'];
export const removeCertificate: (org: SetupOrg, input: RemoveCertificateInput) => SetupResult = SETUP_ACTIONS['remove-certificate'];
export const touchApp: (org: SetupOrg, input: AppInput) => SetupResult = SETUP_ACTIONS['touch-app'];
export const setUserState: (org: SetupOrg, input: UserStateInput) => SetupResult = SETUP_ACTIONS['user-state'];
export const setOrgState: (org: SetupOrg, input: OrgStateInput) => SetupResult = SETUP_ACTIONS['org-state'];
export const setLoginIpRanges: (org: SetupOrg, input: LoginIpRangesInput) => SetupResult = SETUP_ACTIONS['login-ip-ranges'];
export const installApp: (org: SetupOrg, input: InstallInput) => SetupResult = SETUP_ACTIONS['install-app'];
export const recordLogins: (org: SetupOrg, input: RecordLoginsInput) => SetupResult<{ username: string; recentSuccesses: number }> = SETUP_ACTIONS['record-logins'];

/**
 * Removes every certificate of the app, one remove-certificate at a time (as a client of the admin
 * API does it, which has no route for this): the app then verifies no signature. Answers the
 * fingerprints removed.
 */
export const clearCertificates: (org: SetupOrg, input: AppInput) => SetupResult<{ removed: string[] }> = defineSetup(AppName, (org: SetupOrg, input) => {
  const app = findApp(org, input.app);
  if (!app.ok) return app;
  const removed: string[] = [];
  for (const certificate of [...org.index.certificates(app.value)]) {
    const result = removeCertificate(org, { app: app.value.name, sha256: certificate.sha256 });
    if (!result.ok) return result;
    removed.push(certificate.sha256);
  }
  return done({ removed });
});
