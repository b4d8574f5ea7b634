/** The tests' frozen "now", 2026-03-01T12:00:00Z, in one place for the fixtures and the global setup. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const NOW_S = NOW / 1000;
