export { type AdminAnswer, type AdminClient, type AdminClientOptions, type AdminFetch, type AdminRefusal, adminClient, type JournalPage, type WorldDescription } from './client.ts';
export { ADMIN_PREFIX } from './prefix.ts';
