/**
 * A diagnostic finding: what the doctor, `inspect` and the reports say about one thing that is (or
 * may be) wrong. It names the Salesforce check it concerns (the same ids as the mock's checks), so a
 * finding and the mock's trace speak the same language.
 */
import type { CheckId } from '../../mock-server/core/check.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface DiagnosticFinding {
  /** Stable id, e.g. `claim-name-case`, `aud-wrong-environment`, `key-cert-mismatch`. */
  id: string;
  /** The Salesforce check this concerns. */
  check: CheckId;
  severity: Severity;
  title: string;
  /** What was seen. */
  saw: string;
  fix: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
