/**
 * The mock org in a container, for test suites that use testcontainers: the image container/build.sh
 * builds (sfjwt/mock:local), started with host networking on free ports of 127.0.0.1 and waited
 * for by the JSON line `serve --json` prints once listening, which names every host's base URL. What
 * a client needs is then on the host: the key file and the CA copied out of the container (with
 * `node`, the one program the image is sure to have), and the world, recomputed locally for the
 * default world from its seed and the container's certificate so that consumer secrets, e-mail
 * addresses and Ids are known. testcontainers is imported on start only, so that importing
 * `sfjwt/mock-server` costs nothing for those who never start a container.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { StartedTestContainer } from 'testcontainers';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import type { KnobChanges } from '../core/knobs.ts';
import { loadFixtures } from '../fixtures.ts';
import { DEFAULT_SEED, defaultWorld } from '../world/default-world.ts';
import type { World, WorldInput } from '../world/schema.ts';
import { loadWorldFile, validateWorld } from '../world/validate-world.ts';
import type { ServeDescription } from './serve-description.ts';

export const DEFAULT_MOCK_IMAGE = 'sfjwt/mock:local';

/** The line `serve --json` prints once listening. */
export type { ServeDescription };

/** Where a world file is put in the container; SFJWT_WORLD names it. */
const WORLD_IN_CONTAINER = '/etc/sfjwt/world.json';
/** Where a fixtures folder is put in the container; SFJWT_FIXTURES names it. */
const FIXTURES_IN_CONTAINER = '/etc/sfjwt/fixtures';
/** The JSON line: an object whose first field is `login` (stderr may carry other lines). */
const READY_LINE = /^\{"login":"/;
/** Lines of the container's output kept to explain a start that failed. */
const KEPT_LINES = 40;

export interface StartedSalesforceMock extends AsyncDisposable {
  /** The testcontainers handle, for anything this object does not cover (logs, exec, …). */
  container: StartedTestContainer;
  /** The JSON line the mock printed once listening, as it printed it. */
  description: ServeDescription;
  login: string;
  test: string;
  /** The first production org's My Domain. */
  myDomain: string | null;
  /** Base URL of each org's My Domain, by org name. */
  myDomains: Record<string, string>;
  /** Base URL of each Experience Cloud site, by `org/prefix`. */
  sites: Record<string, string>;
  /** Base URL of every logical host, by host name. */
  hosts: Record<string, string>;
  /** Base URL of the admin API. */
  admin: string;
  /** The token the admin API's state changes need, as the mock printed it (null if it runs without). */
  adminToken: string | null;
  /** A copy of the mock's CA certificate on the host (for NODE_EXTRA_CA_CERTS), or null over HTTP. */
  ca: string | null;
  caPem: string | null;
  /** The default app's consumer key and the user who logs in (null for a world without them). */
  consumerKey: string | null;
  username: string | null;
  /** A copy on the host (mode 0600) of the default world's private key; null for a world file. */
  keyFile: string | null;
  privateKeyPem: string | null;
  /** The world the container serves, consumer secrets included. */
  world: World;
  /** Stops and removes the container and deletes the copies on the host. */
  stop(): Promise<void>;
}

type WorldSource = { file: string } | { input: WorldInput };

export class SalesforceMockContainer {
  private world: WorldSource | undefined;
  private seed: number | undefined;
  private strict = false;
  private http = false;
  private knobs: KnobChanges = {};
  private fixtures: string | undefined;
  private startupTimeoutMs = 60_000;

  constructor(private readonly image: string = DEFAULT_MOCK_IMAGE) {}

  /** Serve this world (a file on the host, or the object) instead of the default training ground. */
  withWorld(world: string | WorldInput): this {
    this.world = typeof world === 'string' ? { file: world } : { input: world };
    return this;
  }

  /** Seed of the default world (names, Ids, consumer keys) and of the mock's tokens. */
  withSeed(seed: number): this {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) throw new UsageError(`withSeed takes a whole number from 0 to ${2 ** 31 - 1}, got ${seed}`);
    this.seed = seed;
    return this;
  }

  /** Byte-identical to Salesforce: no x-sfjwt-trace header (so no trace per answer either). */
  withStrict(strict = true): this {
    this.strict = strict;
    return this;
  }

  /** Plain HTTP instead of HTTPS with the local CA. */
  withHttp(http = true): this {
    this.http = http;
    return this;
  }

  /**
   * Serve a fixtures folder of the host (your own endpoints behind a session: mock-server/fixtures.ts).
   * It is read here first, so a folder the mock would refuse is refused before any container starts.
   */
  withFixtures(dir: string): this {
    loadFixtures(dir);
    this.fixtures = dir;
    return this;
  }

  /** Behaviour knobs from the start (the admin API can change them later). */
  withKnobs(knobs: KnobChanges): this {
    this.knobs = { ...this.knobs, ...knobs };
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedSalesforceMock> {
    const worldFile = this.world === undefined ? undefined : worldOf(this.world);
    const { GenericContainer, ImageName, Wait, getContainerRuntimeClient } = await importTestcontainers();
    const client = await getContainerRuntimeClient().catch((cause: unknown) => {
      throw new ResourceError(`testcontainers found no working Docker engine: ${cause instanceof Error ? cause.message : String(cause)}`, {
        actions: [
          'Check that `docker info` works (start dockerd, or set DOCKER_HOST).',
          'Inside a container whose engine has no bridge network (dockerd --bridge=none), set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1: the mock uses host networking, so the host is this machine.',
          'Where the Ryuk image cannot be pulled, set TESTCONTAINERS_RYUK_DISABLED=true (stop() and `await using` still remove the container).',
        ],
        cause,
      });
    });
    const imageName = ImageName.fromString(this.image);
    // A locally built image is never pulled: say how to build it instead of asking a registry.
    if (imageName.tag === 'local' && !(await client.image.exists(imageName))) {
      throw new ResourceError(`the Docker engine has no image ${this.image}`, {
        actions: ['Build it: container/build.sh (or npm run container:build); offline, container/build-base-image.sh first, then container/build.sh --base sfjwt/node-base:local.'],
      });
    }
    const output = new OutputLines();
    let container = new GenericContainer(this.image)
      // Host networking: the mock listens on free ports of the host's 127.0.0.1, nowhere else.
      .withNetworkMode('host')
      .withEnvironment({
        SFJWT_PORT: '0',
        SFJWT_BIND: '127.0.0.1',
        SFJWT_TLS: this.http ? 'false' : 'true',
        SFJWT_STRICT: this.strict ? 'true' : 'false',
        SFJWT_SEED: this.seed === undefined ? '' : String(this.seed),
        SFJWT_WORLD: worldFile === undefined ? '' : WORLD_IN_CONTAINER,
        SFJWT_FIXTURES: this.fixtures === undefined ? '' : FIXTURES_IN_CONTAINER,
      })
      .withLogConsumer((stream) => output.follow(stream))
      .withWaitStrategy(Wait.forLogMessage(READY_LINE))
      .withStartupTimeout(this.startupTimeoutMs);
    const knobs = Object.entries(this.knobs).map(([name, value]) => `--knob=${name}=${JSON.stringify(value)}`);
    if (knobs.length > 0) container = container.withCommand(knobs);
    if (worldFile !== undefined) container = container.withCopyContentToContainer([{ content: worldFile.json, target: WORLD_IN_CONTAINER, mode: 0o444 }]);
    if (this.fixtures !== undefined) container = container.withCopyDirectoriesToContainer([{ source: this.fixtures, target: FIXTURES_IN_CONTAINER, mode: 0o555 }]);

    let started: StartedTestContainer;
    try {
      started = await container.start();
    } catch (cause) {
      // testcontainers has removed the container; what it printed says why (a bad world file, …).
      await output.settled();
      throw new ResourceError(`the mock's container (${this.image}) did not start: ${cause instanceof Error ? cause.message : String(cause)}`, {
        actions: output.tail().length === 0 ? ['docker logs of a container started by hand shows what the mock printed.'] : [`The container printed:\n${output.tail().join('\n')}`],
        cause,
      });
    }
    const home = mkdtempSync(join(tmpdir(), 'sfjwt-container-'));
    try {
      const line = await output.readyLine();
      const description = JSON.parse(line) as ServeDescription;
      const caPem = description.ca === null ? null : await readFromContainer(started, description.ca);
      const privateKeyPem = description.privateKeyFile === null ? null : await readFromContainer(started, description.privateKeyFile);
      let world: World;
      if (worldFile !== undefined) {
        world = worldFile.world;
      } else {
        const keyFile = description.privateKeyFile;
        if (keyFile === null) throw new ResourceError('the mock serves the default world but printed no privateKeyFile');
        const certificatePem = await readFromContainer(started, keyFile.replace(/\.key$/, '.crt'));
        world = defaultWorld({ seed: this.seed ?? DEFAULT_SEED, certificatePem });
        assertSameWorld(world, description, this.image);
      }
      const ca = caPem === null ? null : join(home, 'ca.crt');
      if (ca !== null && caPem !== null) writeFileSync(ca, caPem);
      const keyFile = privateKeyPem === null ? null : join(home, 'default-app.key');
      if (keyFile !== null && privateKeyPem !== null) writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
      let stopped: Promise<void> | undefined;
      const stop = () => {
        stopped ??= (async () => {
          output.close();
          try {
            await started.stop({ timeout: 10_000 });
          } finally {
            rmSync(home, { recursive: true, force: true });
          }
        })();
        return stopped;
      };
      return {
        container: started,
        description,
        login: description.login,
        test: description.test,
        myDomain: description.myDomain,
        myDomains: description.myDomains,
        sites: description.sites,
        hosts: description.hosts,
        admin: description.admin,
        // An image built before the admin token prints none.
        adminToken: description.adminToken ?? null,
        ca,
        caPem,
        consumerKey: description.consumerKey,
        username: description.username,
        keyFile,
        privateKeyPem,
        world,
        stop,
        [Symbol.asyncDispose]: stop,
      };
    } catch (error) {
      output.close();
      await started.stop({ timeout: 0 }).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
      throw error;
    }
  }
}

/**
 * testcontainers, loaded when a container is started. It is an optional peer dependency of sfjwt:
 * those who never start a container do not install it, and those who do are told how.
 */
async function importTestcontainers(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch (cause) {
    // Only testcontainers itself missing is the user's to fix; a broken install of it is rethrown as it is.
    const error = cause as { code?: unknown; message?: unknown };
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'testcontainers'")) throw cause;
    throw new ResourceError('SalesforceMockContainer needs the testcontainers package, which is not installed', {
      actions: ['Install it next to sfjwt (an optional peer dependency): npm install --save-dev testcontainers@^11'],
      cause,
    });
  }
}

/**
 * The world to serve, validated on the host first (a mistake is reported here, as the CLI words it)
 * and sent whole: certificates a world file names by path are read here, where the paths mean something.
 */
function worldOf(source: WorldSource): { world: World; json: string } {
  const world = 'file' in source ? loadWorldFile(source.file) : validateWorld(source.input, 'the world given to withWorld');
  return { world, json: JSON.stringify(world) };
}

/** A file of the container, read with node (the image may have no shell and no cat). */
async function readFromContainer(container: StartedTestContainer, path: string): Promise<string> {
  const result = await container.exec(['node', '-e', 'process.stdout.write(require("node:fs").readFileSync(process.argv[1]))', path]);
  if (result.exitCode !== 0) throw new ResourceError(`cannot read ${path} in the mock's container: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return result.stdout;
}

/** The recomputed default world must be the one the container serves (a different sfjwt version in the image would not be). */
function assertSameWorld(world: World, description: ServeDescription, image: string): void {
  const local = world.apps.map((a) => `${a.name}=${a.consumerKey}`).concat(world.users.map((u) => u.username));
  const served = description.apps.map((a) => `${a.name}=${a.consumerKey}`).concat(description.users.map((u) => u.username));
  if (local.join('\n') !== served.join('\n')) {
    throw new ResourceError(`the default world of ${image} is not the one this sfjwt computes (a different version of sfjwt in the image?)`, {
      actions: ['Rebuild the image from this checkout: container/build.sh'],
    });
  }
}

/** The container's output, line by line: the JSON line once it comes, and the last lines for errors. */
class OutputLines {
  private lines: string[] = [];
  private partial = '';
  private ready: string | undefined;
  private waiting: ((line: string) => void)[] = [];
  private streams: Readable[] = [];
  private ended: Promise<void>[] = [];

  follow(stream: Readable): void {
    this.streams.push(stream);
    this.ended.push(
      new Promise((resolve) =>
        stream
          .once('end', resolve)
          .once('close', resolve)
          .once('error', () => resolve()),
      ),
    );
    stream.on('data', (chunk: Buffer | string) => {
      const text = this.partial + chunk.toString();
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) this.add(line);
    });
  }

  private add(line: string): void {
    if (this.ready === undefined && READY_LINE.test(line)) {
      this.ready = line;
      for (const resolve of this.waiting.splice(0)) resolve(line);
      return;
    }
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
  }

  /** The JSON line; the wait strategy has seen it, this stream is at most a moment behind. */
  readyLine(): Promise<string> {
    if (this.ready !== undefined) return Promise.resolve(this.ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new ResourceError("the mock's JSON line did not reach the log stream")), 10_000);
      this.waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  /** Until the streams end (the container has stopped), at most two seconds. */
  async settled(): Promise<void> {
    await Promise.race([Promise.all(this.ended), new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (this.partial !== '') this.add(this.partial);
    this.partial = '';
  }

  tail(): string[] {
    return this.lines.filter((l) => l.trim() !== '');
  }

  close(): void {
    for (const s of this.streams) s.destroy();
  }
}
