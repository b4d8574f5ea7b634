/**
 * A reader that goes away (`npx sfjwt scenarios --json | head -c 100`, `… | true`) ends the command
 * quietly: exit 0, nothing on stderr, no EPIPE stack. The process is what is tested here, so these
 * run `node bin/sfjwt.js` (the compiled CLI, brought up to date by the suite's global setup) with
 * stdout on a pipe that this test closes: after 100 bytes, or before the command writes anything.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SFJWT_'))),
  SFJWT_HOME: mkdtempSync(join(tmpdir(), 'sfjwt-closed-pipe-')),
  NO_COLOR: '1',
};

/** Runs the command with its stdout read for `bytes` bytes (0: not at all) and then closed. */
function withClosedPipe(command: string[], args: string[], bytes: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; read: number }> {
  const child = spawn(command[0] ?? process.execPath, [...command.slice(1), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let read = 0;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  if (bytes === 0) child.stdout.destroy();
  else
    child.stdout.on('readable', () => {
      while (read < bytes) {
        const chunk = child.stdout.read(Math.min(bytes - read, child.stdout.readableLength || 1)) as Buffer | null;
        if (chunk === null) return;
        read += chunk.length;
      }
      child.stdout.destroy();
    });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr, read })));
}

const SFJWT = [process.execPath, BIN];
const certificate = join(env.SFJWT_HOME, 'server.crt');
writeFileSync(certificate, issueCertificate(generateRsaKeyPair(2048), { subject: [{ shortName: 'CN', value: 'closed pipe' }] }));

describe('a reader that closes the pipe', () => {
  it.each([
    ['scenarios --json, after 100 bytes', ['scenarios', '--json'], 100],
    ['scenarios --json, before anything is written', ['scenarios', '--json'], 0],
    ['scenarios (the table), after 100 bytes', ['scenarios'], 100],
    ['keys check --json, before anything is written', ['keys', 'check', '--cert', certificate, '--json'], 0],
  ])('%s: exit 0, nothing on stderr', async (_name, args, bytes) => {
    const r = await withClosedPipe(SFJWT, args, bytes);
    expect(r).toEqual({ code: 0, signal: null, stderr: '', read: bytes });
  });

  it('the harness catches what it is there for: a plain node process writing to the closed pipe dies with an EPIPE stack', async () => {
    const r = await withClosedPipe([process.execPath, '-e', "process.stdout.write('x'.repeat(200000)); setTimeout(() => process.stdout.write('y'.repeat(200000)), 100)"], [], 100);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('EPIPE');
  });
});
