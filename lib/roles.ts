/**
 * The roles a scenario is made with: which kind of user logs in, with which app, posted to which host.
 * A world user carries a `role` (the default world has one user per role), so targets find the user
 * a scenario needs by role, never by matching free text.
 */

export const USER_ROLES = ['default', 'unapproved', 'not-admitted', 'inactive', 'frozen', 'ip-restricted', 'sandbox', 'locked-org'] as const;

export const APP_ROLES = ['default', 'admin-approved', 'eca'] as const;

export const HOST_ROLES = ['login', 'test', 'my-domain', 'site', 'lightning'] as const;
