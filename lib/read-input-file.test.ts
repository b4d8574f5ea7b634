/**
 * The reader of every file a user names: regular files up to a cap are read whole; a FIFO, a device,
 * a directory, a socket, a file over the cap and (when asked) a symbolic link are refused at once with
 * a ResourceError that names the path, what it is and what to do, and nothing blocks or grows.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError } from './errors.ts';
import { INPUT_LIMITS, readInputFile, readInputText } from './read-input-file.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from './testing/fifo.ts';

let dir: string;
let socketServer: Server | undefined;
const REGULAR_ONLY = 'Give the path of the key file itself: sfjwt reads only regular files (not pipes, devices, directories or sockets).';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfjwt-read-'));
  writeFileSync(join(dir, 'key.pem'), 'pem text');
  writeFileSync(join(dir, 'exactly-cap'), Buffer.alloc(1024, 0x61));
  writeFileSync(join(dir, 'over-cap'), Buffer.alloc(1025, 0x61));
  mkdirSync(join(dir, 'a-directory'));
  symlinkSync(join(dir, 'key.pem'), join(dir, 'link.pem'));
  if (HAS_FIFOS) {
    makeFifo(join(dir, 'fifo'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'socket'), resolve));
    socketServer = server;
  }
});
afterAll(async () => {
  await new Promise((resolve) => (socketServer === undefined ? resolve(undefined) : socketServer.close(resolve)));
  rmSync(dir, { recursive: true, force: true });
});

function refusal(path: string, options: Parameters<typeof readInputFile>[1]): ResourceError {
  const started = performance.now();
  let thrown: unknown;
  try {
    readInputFile(path, options);
  } catch (error) {
    thrown = error;
  }
  // Refused at once: nothing waited for a writer or read without end.
  expect(performance.now() - started).toBeLessThan(1000);
  expect(thrown).toBeInstanceOf(ResourceError);
  return thrown as ResourceError;
}

describe('readInputFile', () => {
  it('reads a regular file whole, and one of exactly the cap', () => {
    expect(readInputText(join(dir, 'key.pem'), { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial })).toBe('pem text');
    expect(readInputFile(join(dir, 'exactly-cap'), { what: 'key file', maxBytes: 1024 }).length).toBe(1024);
  });

  it('follows a symbolic link by default, and refuses one with noFollow', () => {
    expect(readInputText(join(dir, 'link.pem'), { what: 'key file', maxBytes: 1024 })).toBe('pem text');
    const error = refusal(join(dir, 'link.pem'), { what: 'key file', maxBytes: 1024, noFollow: true });
    expect(error.message).toBe(`cannot read the key file ${join(dir, 'link.pem')}: it is a symbolic link, which sfjwt does not follow here`);
    expect(error.actions).toEqual(['Remove the link and put the file itself there, or point sfjwt at the real file.']);
  });

  it('refuses a file over the cap, saying the cap', () => {
    const error = refusal(join(dir, 'over-cap'), { what: 'world file', maxBytes: 1024 });
    expect(error.message).toBe(`cannot read the world file ${join(dir, 'over-cap')}: it is 1025 bytes, more than the 1024 bytes sfjwt reads from such a file`);
    expect(error.actions).toEqual(['Give the world file itself (at most 1024 bytes).']);
    writeFileSync(join(dir, 'big.key'), Buffer.alloc(INPUT_LIMITS.keyMaterial + 1));
    expect(refusal(join(dir, 'big.key'), { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial }).message).toBe(
      `cannot read the key file ${join(dir, 'big.key')}: it is 1048577 bytes, more than the 1 MiB sfjwt reads from such a file`,
    );
  });

  it('refuses a directory', () => {
    const error = refusal(join(dir, 'a-directory'), { what: 'key file', maxBytes: 1024, actions: ['Check keyFile in the config.'] });
    expect(error.message).toBe(`cannot read the key file ${join(dir, 'a-directory')}: it is a directory, not a regular file`);
    expect(error.actions).toEqual([REGULAR_ONLY, 'Check keyFile in the config.']);
  });

  it.skipIf(!HAS_FIFOS)('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'fifo');
    const error = underWatchdog(fifo, () => refusal(fifo, { what: 'key file', maxBytes: 1024 }));
    expect(error.message).toBe(`cannot read the key file ${fifo}: it is a FIFO (named pipe), not a regular file`);
    expect(error.actions).toEqual([REGULAR_ONLY]);
  });

  it.skipIf(!HAS_FIFOS)('refuses /dev/zero (a device that never ends) and a socket', () => {
    expect(refusal('/dev/zero', { what: 'key file', maxBytes: INPUT_LIMITS.keyMaterial }).message).toBe('cannot read the key file /dev/zero: it is a character device, not a regular file');
    expect(refusal(join(dir, 'socket'), { what: 'key file', maxBytes: 1024 }).message).toBe(`cannot read the key file ${join(dir, 'socket')}: it is a socket, not a regular file`);
  });

  it("says the errno of a file that is not there, with the caller's context and actions", () => {
    const missing = join(dir, 'missing.key');
    const error = refusal(missing, { what: 'key file', maxBytes: 1024, context: 'target "org"', actions: ['Check keyFile in the config.'] });
    expect(error.message).toBe(`target "org": cannot read the key file ${missing}: ENOENT`);
    expect(error.actions).toEqual(['Check keyFile in the config.']);
    expect(refusal(missing, { what: 'key file', maxBytes: 1024 }).actions).toEqual(['Check the path.']);
  });
});
