/**
 * `inspect` as text for a person: header and payload as indented JSON, one block per claim with its
 * notes, the signature as its length only ("[256 bytes]", never its text), then the findings by
 * severity with the check each fails and the fix, and a count of errors (that last part alone is
 * what `sign` prints on standard error). Colour is the caller's.
 */
import { SEVERITY_ORDER, type Severity } from './finding.ts';
import type { Inspection } from './inspect.ts';

export interface InspectPaint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

const id = (s: string) => s;
const PLAIN: InspectPaint = { bold: id, dim: id, red: id, yellow: id, green: id };

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
const shown = (value: unknown) => (value === undefined ? '(missing)' : JSON.stringify(value));

export function countBySeverity(i: Pick<Inspection, 'findings'>): Record<Severity, number> {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of i.findings) n[f.severity] += 1;
  return n;
}

export function renderInspection(i: Inspection, p: InspectPaint = PLAIN): string {
  const out: string[] = [];
  out.push(p.bold('Header'), i.header === null ? '  (not decodable)' : indent(JSON.stringify(i.header, null, 2), '  '), '');
  out.push(p.bold('Payload'), i.payload === null ? '  (not decodable)' : indent(JSON.stringify(i.payload, null, 2), '  '), '');
  if (i.claims.length > 0) {
    out.push(p.bold('Claims'));
    const width = Math.max(...i.claims.map((c) => c.name.length));
    for (const c of i.claims) {
      out.push(`  ${c.name.padEnd(width)}  ${shown(c.value)}`);
      for (const n of c.notes) out.push(`  ${' '.repeat(width)}  ${p.dim('-')} ${n}`);
    }
    out.push('');
  }
  const verified =
    i.signature.verified === undefined
      ? p.dim('not verified (give --cert FILE, the certificate on the connected app)')
      : i.signature.verified
        ? p.green('verified with the certificate')
        : p.red('does not verify with the certificate');
  out.push(p.bold('Signature'), `  [${i.signature.bytes} bytes] ${verified}`, '');
  out.push(renderFindings(i, p));
  return out.join('\n');
}

/** The findings by severity with the check each fails and the fix, then the count: what `inspect` ends with and `sign` prints. */
export function renderFindings(i: Pick<Inspection, 'findings'>, p: InspectPaint = PLAIN): string {
  const mark: Record<Severity, string> = { error: p.red('error  '), warning: p.yellow('warning'), info: p.dim('info   ') };
  const sorted = [...i.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const out = [p.bold('Findings')];
  if (sorted.length === 0) out.push('  none');
  for (const f of sorted) out.push(`  ${mark[f.severity]} ${f.id} (check ${f.check}): ${f.title}`, `          ${f.saw}`, `          fix: ${f.fix}`);
  const n = countBySeverity(i);
  const summary = n.error === 0 ? p.green('no errors') : p.red(`${n.error} error${n.error === 1 ? '' : 's'}`);
  out.push('', `${summary}${n.warning === 0 ? '' : `, ${n.warning} warning${n.warning === 1 ? '' : 's'}`}`);
  return out.join('\n');
}
