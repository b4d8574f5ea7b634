/**
 * What the CLI reads from files and standard input, run in this process through `main(argv, io)`:
 * a FIFO or a device named as a key, certificate, CA or captured request is refused at once (exit 2,
 * the path and what it is), a file past its cap is refused without being read whole, a request
 * nested too deep is a usage error, and `inspect -` stops at 1 MiB of standard input (`< /dev/zero`
 * must not grow memory). Every FIFO case runs under a watchdog that ends a blocked read after a few
 * seconds, so code that opens the FIFO fails its assertions instead of hanging the suite.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../lib/read-input-file.ts';
import { HAS_FIFOS, makeFifo } from '../../lib/testing/fifo.ts';
import { NOW, testKeys } from '../../mock-server/testing/fixtures.ts';
import type { Input } from './context.ts';
import { MAX_STDIN_BYTES } from './inspect.ts';
import { main } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-input-files-'));
const env = { SFJWT_HOME: home, NO_COLOR: '1' };
const keyFile = join(home, 'server.key');
const certFile = join(home, 'server.crt');
writeFileSync(keyFile, testKeys().privateKeyPem);
writeFileSync(certFile, testKeys().certificatePem);
const fifo = HAS_FIFOS ? makeFifo(join(home, 'pipe')) : join(home, 'pipe');

/**
 * `npx sfjwt …` in this process with a watchdog on the FIFO: a child that opens it for writing after
 * 3 s and closes it, which releases a read blocked on it with an empty file (a blocked read holds this
 * whole process, where no test timeout can fire). Code that never opens the FIFO returns first.
 */
async function run(argv: string[], stdin: Input = Readable.from([])) {
  const watchdog = spawn('sh', ['-c', 'sleep 3; : > "$1"', 'sh', fifo], { stdio: 'ignore' });
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(argv, { stdout: { write: (c) => ((stdout += c), true) }, stderr: { write: (c) => ((stderr += c), true) }, stdin, env, now: () => NOW });
    return { code, stdout, stderr };
  } finally {
    watchdog.kill('SIGKILL');
  }
}

const DOCTOR = ['doctor', '--login', 'https://127.0.0.1:9', '--client-id', '3MVG9sfjwtInputFiles', '--username', 'integration@acme.com'];
const FIFO_KIND = 'it is a FIFO (named pipe), not a regular file';
const DEVICE_KIND = 'it is a character device, not a regular file';

describe.runIf(HAS_FIFOS)('a FIFO or a device where a file is expected: exit 2 at once, naming the path and what it is', () => {
  it.each([
    ['keys check --key FIFO', ['keys', 'check', '--key', fifo], `sfjwt: cannot read the key file ${fifo}: ${FIFO_KIND}`],
    ['keys check --cert FIFO', ['keys', 'check', '--cert', fifo], `sfjwt: cannot read the certificate file ${fifo}: ${FIFO_KIND}`],
    ['keys check --key /dev/null', ['keys', 'check', '--key', '/dev/null'], `sfjwt: cannot read the key file /dev/null: ${DEVICE_KIND}`],
    ['keys check --cert /dev/null', ['keys', 'check', '--key', keyFile, '--cert', '/dev/null'], `sfjwt: cannot read the certificate file /dev/null: ${DEVICE_KIND}`],
    ['inspect --cert FIFO', ['inspect', 'a.b.c', '--cert', fifo], `sfjwt: cannot read the certificate file ${fifo}: ${FIFO_KIND}`],
    ['inspect --cert /dev/null', ['inspect', 'a.b.c', '--cert', '/dev/null'], `sfjwt: cannot read the certificate file /dev/null: ${DEVICE_KIND}`],
    ['doctor --key FIFO', [...DOCTOR, '--key', fifo], `sfjwt: cannot read the key file ${fifo}: ${FIFO_KIND}`],
    ['doctor --key /dev/null', [...DOCTOR, '--key', '/dev/null'], `sfjwt: cannot read the key file /dev/null: ${DEVICE_KIND}`],
    ['doctor --cert FIFO', [...DOCTOR, '--key', keyFile, '--cert', fifo], `sfjwt: cannot read the certificate file ${fifo}: ${FIFO_KIND}`],
    ['doctor --ca FIFO', [...DOCTOR, '--key', keyFile, '--ca', fifo], `sfjwt: cannot read the CA file ${fifo}: ${FIFO_KIND}`],
    ['doctor --request FIFO', [...DOCTOR, '--key', keyFile, '--request', fifo], `sfjwt: cannot read the request file ${fifo}: ${FIFO_KIND}`],
    ['doctor --request /dev/null', [...DOCTOR, '--key', keyFile, '--request', '/dev/null'], `sfjwt: cannot read the request file /dev/null: ${DEVICE_KIND}`],
  ])('%s', async (_name, argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toContain('sfjwt reads only regular files');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('files past their cap, and a captured request nested too deep', () => {
  const big = join(home, 'big.pem');
  writeFileSync(big, Buffer.alloc(INPUT_LIMITS.keyMaterial + 1, 0x41));
  const bigRequest = join(home, 'big-request.json');
  writeFileSync(bigRequest, `{"method":"POST","url":"https://login.salesforce.com/services/oauth2/token","body":"${'a'.repeat(INPUT_LIMITS.request)}"}`);
  const deepRequest = join(home, 'deep-request.json');
  writeFileSync(deepRequest, `{"method":"POST","url":"https://login.salesforce.com/services/oauth2/token","headers":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`);
  const notObject = join(home, 'list-request.json');
  writeFileSync(notObject, '[1]');
  const numberHeader = join(home, 'number-header.json');
  writeFileSync(numberHeader, '{"method":"POST","url":"https://login.salesforce.com/services/oauth2/token","headers":{"Content-Type":5},"body":"a=b"}');
  const bodyObject = join(home, 'body-object.json');
  writeFileSync(bodyObject, '{"method":"POST","url":"https://login.salesforce.com/services/oauth2/token","body":{"grant_type":"x"}}');

  it.each([
    [
      'keys check --key over 1 MiB',
      ['keys', 'check', '--key', big],
      `sfjwt: cannot read the key file ${big}: it is ${INPUT_LIMITS.keyMaterial + 1} bytes, more than the 1 MiB sfjwt reads from such a file`,
    ],
    [
      'inspect --cert over 1 MiB',
      ['inspect', 'a.b.c', '--cert', big],
      `sfjwt: cannot read the certificate file ${big}: it is ${INPUT_LIMITS.keyMaterial + 1} bytes, more than the 1 MiB sfjwt reads from such a file`,
    ],
    [
      'doctor --ca over 1 MiB',
      [...DOCTOR, '--key', keyFile, '--ca', big],
      `sfjwt: cannot read the CA file ${big}: it is ${INPUT_LIMITS.keyMaterial + 1} bytes, more than the 1 MiB sfjwt reads from such a file`,
    ],
    [
      'doctor --request over 4 MiB',
      [...DOCTOR, '--key', keyFile, '--request', bigRequest],
      expect.stringMatching(new RegExp(`^sfjwt: cannot read the request file ${bigRequest}: it is \\d+ bytes, more than the 4 MiB sfjwt reads from such a file$`)),
    ],
    ['doctor --request nested 50,000 deep', [...DOCTOR, '--key', keyFile, '--request', deepRequest], `sfjwt: ${deepRequest}: headers.x.0 is nested more than 100 levels deep`],
    ['doctor --request holding a list', [...DOCTOR, '--key', keyFile, '--request', notObject], `sfjwt: ${notObject} holds a list, not a request object`],
    ['doctor --request with a number as a header', [...DOCTOR, '--key', keyFile, '--request', numberHeader], `sfjwt: ${numberHeader}: the header "Content-Type" is not a string`],
    ['doctor --request with an object as the body', [...DOCTOR, '--key', keyFile, '--request', bodyObject], `sfjwt: ${bodyObject}: "body" must be a string (the form body as sent)`],
  ])('%s: exit 2 with a message', async (_name, argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toEqual(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('inspect - reads at most 1 MiB of standard input', () => {
  const STOP = `sfjwt: standard input holds more than 1 MiB, more than any assertion or token request body`;

  it('inspect - < /dev/zero stops at the cap with a clear error, having read little more than it', async () => {
    // The device itself, bounded at 16 MiB so that code without the cap ends too (and is caught reading it all).
    const zero = createReadStream('/dev/zero', { end: 16 * 1024 * 1024 - 1 });
    const r = await run(['inspect', '-'], zero);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(STOP);
    expect(zero.bytesRead).toBeLessThan(MAX_STDIN_BYTES + 256 * 1024);
    expect(zero.destroyed).toBe(true);
  });

  it('a stream of 64 MiB of text stops at the cap too; what stays under it is read as before', async () => {
    let given = 0;
    // Bounded, so that code without the cap ends too (having taken all 64 MiB) rather than exhaust memory.
    const stream = Readable.from(
      (function* () {
        while (given < 64 * 1024 * 1024) {
          given += 65_536;
          yield 'x'.repeat(65_536);
        }
      })(),
    );
    const r = await run(['inspect', '-'], stream);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(STOP);
    expect(given).toBeLessThanOrEqual(MAX_STDIN_BYTES + 4 * 65_536);
    const under = await run(['inspect', '-'], Readable.from([' '.repeat(MAX_STDIN_BYTES - 1)]));
    expect(under.stderr.split('\n')[0]).toBe('sfjwt: no JWT on standard input');
  });
});
