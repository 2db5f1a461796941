import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { createHash } from 'crypto';
import { sparkPackages, VERSIONS } from '../../config/versions';
import { ensurePythonEnv, LOCAL_DIR, pythonBin } from '../toolchain/local-tools';

/**
 * The local data plane: real servers on 127.0.0.1, every version from config/versions.ts, installed into `.local/`.
 *
 * - S3: moto in server mode (`moto_server`), the warehouse bucket created at start;
 * - the Iceberg catalog: Iceberg's REST catalog server (the REST adapter of Iceberg's test fixtures, assembled by Maven
 *   into `.local/rest-catalog` and served on 127.0.0.1 by `LoopbackRestCatalog.java`), handing out the storage
 *   credentials of each table it loads, over Iceberg's JDBC catalog on a throwaway PostgreSQL cluster (`initdb` into
 *   `.local/plane/pgdata`). Polaris cannot be assembled here (see `VERSIONS.localPlane`);
 * - Spark: the venv's pyspark of `VERSIONS.spark.version` with the pinned Iceberg jars on `spark.jars`.
 *
 * `startPlane()` records what it started in `.local/plane/state.json`; `stopPlane()` stops exactly those PIDs.
 */

export const PLANE_DIR = path.join(LOCAL_DIR, 'plane');
const STATE_FILE = path.join(PLANE_DIR, 'state.json');
const JARS_DIR = path.join(LOCAL_DIR, 'jars');
const M2_DIR = path.join(LOCAL_DIR, 'm2');
const REST_DIR = path.join(LOCAL_DIR, 'rest-catalog');
const REST_MAIN = 'org.apache.iceberg.rest.LoopbackRestCatalog';

/** A component could not be set up or started: which one, what was expected, how to fix it (one line). */
export class PlaneError extends Error {
  constructor(component: string, expected: string, fix: string) {
    super(`local plane: ${component}: ${expected}; ${fix}`);
    this.name = 'PlaneError';
  }
}

/** Where the plane's servers answer and how to reach them; what other suites (offload writer, Spark Connect) reuse. */
export interface Plane {
  readonly s3: {
    /** moto's endpoint (S3 and STS). */
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** The warehouse bucket, created at start. */
    readonly bucket: string;
  };
  /** The Iceberg REST catalog: what a rendered REST catalog's `uri` points at on the plane. */
  readonly catalog: {
    readonly uri: string;
    /** Where the catalog keeps its tables. */
    readonly warehouse: string;
  };
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly jdbcUrl: string;
  };
  readonly spark: {
    /** The venv's `spark-submit`. */
    readonly submit: string;
    /** The venv's interpreter (pyspark importable). */
    readonly python: string;
    /** Jars for `spark.jars`: the Iceberg runtime, its AWS bundle, the PostgreSQL driver. */
    readonly jars: readonly string[];
    readonly javaHome: string;
    /** Environment every Spark process of the plane needs (JAVA_HOME, PYSPARK_PYTHON, AWS settings). */
    readonly env: Readonly<Record<string, string>>;
  };
  /** Where the Iceberg warehouse lives in the bucket; each catalog keeps its tables under `<warehouse>/<catalog>`. */
  readonly warehouse: string;
}

interface State {
  readonly plane: Plane;
  readonly pids: Readonly<Record<string, number>>;
}

const CREDENTIALS = { accessKeyId: 'local-plane', secretAccessKey: 'local-plane-secret' };
// The catalog's tables live in the cluster's default database.
const PG = { user: 'iceberg', password: 'local-plane', database: 'postgres' };
const BUCKET = 'warehouse';
const REGION = 'eu-west-1';

/** The plane started earlier in this clone, if its servers are still running. */
export function runningPlane(): Plane | undefined {
  const state = readState();
  if (!state) return undefined;
  return Object.entries(state.pids).every(([name, pid]) => ours(name, pid)) ? state.plane : undefined;
}

/**
 * Installs what is missing (idempotent, cached in `.local/`) and starts moto and PostgreSQL, or returns the plane
 * already running. On any failure everything started so far is stopped and a {@link PlaneError} says why.
 */
export async function startPlane(log: (line: string) => void = () => {}): Promise<Plane> {
  const running = runningPlane();
  if (running) return running;
  if (readState()) await stopPlane();
  const javaHome = findJava();
  ensurePythonEnv(log);
  const jars = ensureJars(log);
  const restClasspath = ensureRestCatalog(javaHome, log);
  const pgBin = findPostgres();
  fs.mkdirSync(PLANE_DIR, { recursive: true });

  const pids: Record<string, number> = {};
  const started: ChildProcess[] = [];
  try {
    const motoPort = await freePort();
    const moto = startServer(
      'moto',
      path.join(path.dirname(pythonBin()), 'moto_server'),
      ['-H', '127.0.0.1', '-p', String(motoPort)],
      {},
    );
    started.push(moto);
    pids.moto = moto.pid!;
    const endpoint = `http://127.0.0.1:${motoPort}`;

    const pgPort = await freePort();
    const dataDir = initPostgres(pgBin, log);
    const postgres = startServer(
      'postgres',
      ...asPostgresUser(path.join(pgBin, 'postgres'), [
        '-D',
        dataDir,
        '-p',
        String(pgPort),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ]),
      {},
    );
    started.push(postgres);
    pids.postgres = postgres.pid!;

    await waitFor('moto', `S3 answering at ${endpoint}`, () => httpOk(`${endpoint}/moto-api/`), moto);
    await waitFor(
      'postgres',
      `PostgreSQL accepting connections on 127.0.0.1:${pgPort}`,
      () =>
        Promise.resolve(
          spawnSync(path.join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)]).status === 0,
        ),
      postgres,
    );
    createBucket(endpoint);

    const restPort = await freePort();
    const catalogUri = `http://127.0.0.1:${restPort}`;
    const jdbcUrl = `jdbc:postgresql://127.0.0.1:${pgPort}/${PG.database}`;
    const restWarehouse = `s3://${BUCKET}/iceberg/rest`;
    const backend = {
      'catalog-impl': 'org.apache.iceberg.jdbc.JdbcCatalog',
      uri: jdbcUrl,
      'jdbc.user': PG.user,
      'jdbc.password': PG.password,
      'jdbc.schema-version': 'V1',
      warehouse: restWarehouse,
      ...s3FileIo(endpoint),
      // Each loaded table's response carries the S3 credentials: the clients hold none of their own.
      'include-credentials': 'true',
    };
    const rest = startServer(
      'rest-catalog',
      path.join(javaHome, 'bin', 'java'),
      [
        '-Xmx512m',
        '-cp',
        restClasspath,
        REST_MAIN,
        '127.0.0.1',
        String(restPort),
        ...Object.entries(backend).map(([k, v]) => `${k}=${v}`),
      ],
      { AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required' },
    );
    started.push(rest);
    pids['rest-catalog'] = rest.pid!;
    await waitFor(
      'rest-catalog',
      `the Iceberg REST catalog answering at ${catalogUri}`,
      () => httpOk(`${catalogUri}/v1/config`, 200),
      rest,
      120_000,
    );

    const plane: Plane = {
      s3: { endpoint, region: REGION, ...CREDENTIALS, bucket: BUCKET },
      catalog: { uri: catalogUri, warehouse: restWarehouse },
      postgres: { host: '127.0.0.1', port: pgPort, ...PG, jdbcUrl },
      spark: {
        submit: path.join(path.dirname(pythonBin()), 'spark-submit'),
        python: pythonBin(),
        jars,
        javaHome,
        env: {
          JAVA_HOME: javaHome,
          PYSPARK_PYTHON: pythonBin(),
          PYSPARK_DRIVER_PYTHON: pythonBin(),
          SPARK_LOCAL_IP: '127.0.0.1',
          // No AWS credentials: Spark reaches S3 only with what the catalog hands out (or a conf states).
          AWS_REGION: REGION,
          // AWS SDK v2 >= 2.30 sends CRC32 checksums moto may reject.
          AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
        },
      },
      warehouse: `s3://${BUCKET}/iceberg`,
    };
    writeState({ plane, pids });
    log(`up: S3 ${endpoint}, PostgreSQL 127.0.0.1:${pgPort}, Iceberg REST catalog ${catalogUri}`);
    return plane;
  } catch (error) {
    for (const [name, pid] of Object.entries(pids)) await stopPid(name, pid);
    fs.rmSync(STATE_FILE, { force: true });
    throw error;
  }
}

/** Stops the servers `startPlane()` recorded (only those PIDs) and forgets them. */
export async function stopPlane(): Promise<void> {
  const state = readState();
  if (!state) return;
  for (const [name, pid] of Object.entries(state.pids)) await stopPid(name, pid);
  fs.rmSync(STATE_FILE, { force: true });
}

/** Each recorded server and whether it still runs. */
export function planeStatus(): { readonly plane?: Plane; readonly servers: Record<string, 'running' | 'stopped'> } {
  const state = readState();
  const servers = Object.fromEntries(
    Object.entries(state?.pids ?? {}).map(([name, pid]) => [name, ours(name, pid) ? 'running' : 'stopped'] as const),
  );
  return { plane: state?.plane, servers };
}

/**
 * The Spark conf of an Iceberg catalog named `name` that the plane stands in for with Iceberg's JDBC catalog on the
 * local PostgreSQL (a migration's source catalog, the ClickHouse stand-in): tables under `<warehouse>/<name>`, with
 * S3 credentials of its own.
 */
export function planeCatalogConf(plane: Plane, name: string): Record<string, string> {
  const prefix = `spark.sql.catalog.${name}`;
  return {
    [prefix]: 'org.apache.iceberg.spark.SparkCatalog',
    [`${prefix}.type`]: 'jdbc',
    [`${prefix}.uri`]: plane.postgres.jdbcUrl,
    [`${prefix}.jdbc.user`]: plane.postgres.user,
    [`${prefix}.jdbc.password`]: plane.postgres.password,
    // V1 of the JDBC catalog's schema also stores views.
    [`${prefix}.jdbc.schema-version`]: 'V1',
    [`${prefix}.warehouse`]: `${plane.warehouse}/${name}`,
    ...prefixed(prefix, s3FileIo(plane.s3.endpoint)),
  };
}

/**
 * What a rendered REST catalog named `name` (the Polaris catalog) changes on the plane: only the addresses that exist
 * in the cluster. Its URI and token endpoint become the plane's REST catalog, and its FileIO reaches moto; the
 * credential, scope, warehouse, headers and token refresh stay as rendered. S3 credentials are not among them: the
 * catalog hands them out with each table.
 */
export function planeRestOverrides(plane: Plane, name: string): Record<string, string> {
  const prefix = `spark.sql.catalog.${name}`;
  return {
    [`${prefix}.uri`]: plane.catalog.uri,
    [`${prefix}.oauth2-server-uri`]: `${plane.catalog.uri}/v1/oauth/tokens`,
    [`${prefix}.s3.endpoint`]: plane.s3.endpoint,
    [`${prefix}.s3.path-style-access`]: 'true',
    [`${prefix}.client.region`]: plane.s3.region,
  };
}

/** S3FileIO on moto, with the plane's keys: the catalog servers' own storage settings. */
function s3FileIo(endpoint: string): Record<string, string> {
  return {
    'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint': endpoint,
    's3.path-style-access': 'true',
    's3.access-key-id': CREDENTIALS.accessKeyId,
    's3.secret-access-key': CREDENTIALS.secretAccessKey,
    'client.region': REGION,
  };
}

const prefixed = (prefix: string, conf: Record<string, string>) =>
  Object.fromEntries(Object.entries(conf).map(([key, value]) => [`${prefix}.${key}`, value]));

/** What every local Spark process sets: the jars, loopback-only driver, no UI. */
export function planeSparkConf(plane: Plane): Record<string, string> {
  return {
    'spark.master': 'local[2]',
    // `local:` jars are on the classpath where they lie, as the image's are: nothing is copied through the driver.
    'spark.jars': plane.spark.jars.map((jar) => `local:${jar}`).join(','),
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.driver.host': '127.0.0.1',
    // Spark's UI would listen on every interface.
    'spark.ui.enabled': 'false',
    'spark.sql.shuffle.partitions': '2',
    'spark.driver.memory': '1g',
  };
}

/** The Maven jars Spark needs, copied into `.local/jars` from a Maven repository inside the clone. */
function ensureJars(log: (line: string) => void): string[] {
  const packages = sparkPackages();
  const coordinates = [packages.icebergRuntime, packages.icebergAwsBundle, VERSIONS.localPlane.postgresJdbc];
  const files = coordinates.map((c) => {
    const [, artifact, version] = c.split(':');
    return path.join(JARS_DIR, `${artifact}-${version}.jar`);
  });
  const missing = coordinates.filter((_, i) => !fs.existsSync(files[i]));
  if (missing.length === 0) return files;
  fs.mkdirSync(JARS_DIR, { recursive: true });
  for (const coordinate of missing) {
    log(`fetching ${coordinate}`);
    maven(
      [
        `org.apache.maven.plugins:maven-dependency-plugin:${VERSIONS.localPlane.mavenDependencyPlugin}:copy`,
        `-Dartifact=${coordinate}`,
        `-DoutputDirectory=${JARS_DIR}`,
      ],
      coordinate,
    );
  }
  return files;
}

/** The REST catalog server's artifacts: Iceberg's REST adapter and servlet (test fixtures), its catalog, Jetty, Hadoop. */
function restCatalogArtifacts(): string[] {
  const iceberg = VERSIONS.iceberg.version;
  const { jetty, slf4j, postgresJdbc } = VERSIONS.localPlane;
  return [
    `org.apache.iceberg:iceberg-open-api:${iceberg}:test-fixtures`,
    `org.apache.iceberg:iceberg-core:${iceberg}:tests`,
    `org.apache.iceberg:iceberg-core:${iceberg}`,
    `org.apache.iceberg:iceberg-aws:${iceberg}`,
    `org.apache.iceberg:iceberg-aws-bundle:${iceberg}`,
    `org.apache.hadoop:hadoop-client-api:${VERSIONS.hadoop.aws}`,
    `org.apache.hadoop:hadoop-client-runtime:${VERSIONS.hadoop.aws}`,
    `org.eclipse.jetty.ee10:jetty-ee10-servlet:${jetty}`,
    `org.eclipse.jetty.compression:jetty-compression-server:${jetty}`,
    `org.eclipse.jetty.compression:jetty-compression-gzip:${jetty}`,
    `org.slf4j:slf4j-simple:${slf4j}`,
    postgresJdbc,
  ];
}

/**
 * The REST catalog server, assembled once into `.local/rest-catalog`: a POM of {@link restCatalogArtifacts} whose
 * dependencies Maven copies into `lib/`, and `LoopbackRestCatalog.java` compiled against them. A stamp of the
 * artifacts and the source decides whether it is current. Returns the server's class path.
 */
function ensureRestCatalog(javaHome: string, log: (line: string) => void): string {
  const source = path.join(__dirname, 'LoopbackRestCatalog.java');
  const artifacts = restCatalogArtifacts();
  const stamp = createHash('sha256').update(JSON.stringify(artifacts)).update(fs.readFileSync(source)).digest('hex');
  const stampFile = path.join(REST_DIR, 'stamp');
  const classpath = [path.join(REST_DIR, 'classes'), path.join(REST_DIR, 'lib', '*')].join(path.delimiter);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return classpath;

  log('assembling the Iceberg REST catalog server');
  fs.rmSync(REST_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(REST_DIR, 'classes'), { recursive: true });
  const dependency = (coordinate: string) => {
    const [group, artifact, version, classifier] = coordinate.split(':');
    return [
      '<dependency>',
      `<groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version>`,
      classifier ? `<classifier>${classifier}</classifier>` : '',
      '</dependency>',
    ].join('');
  };
  fs.writeFileSync(
    path.join(REST_DIR, 'pom.xml'),
    [
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>',
      '<groupId>local.dataplane</groupId><artifactId>rest-catalog</artifactId><version>0</version>',
      '<packaging>pom</packaging>',
      `<dependencies>${artifacts.map(dependency).join('')}</dependencies></project>`,
    ].join('\n'),
  );
  maven(
    [
      '-f',
      path.join(REST_DIR, 'pom.xml'),
      `org.apache.maven.plugins:maven-dependency-plugin:${VERSIONS.localPlane.mavenDependencyPlugin}:copy-dependencies`,
      `-DoutputDirectory=${path.join(REST_DIR, 'lib')}`,
      '-DincludeScope=runtime',
    ],
    `the REST catalog server's jars (${artifacts.join(', ')})`,
  );
  const javac = spawnSync(
    path.join(javaHome, 'bin', 'javac'),
    ['-d', path.join(REST_DIR, 'classes'), '-cp', classpath, source],
    { encoding: 'utf8' },
  );
  if (javac.error || javac.status !== 0)
    throw new PlaneError(
      'rest-catalog',
      `expected ${path.basename(source)} to compile (${(javac.error?.message ?? javac.stderr).trim().split('\n')[0]})`,
      `install a JDK (javac) under ${javaHome}`,
    );
  fs.writeFileSync(stampFile, stamp);
  return classpath;
}

/** Runs Maven with the clone's repository (`.local/m2`); a failure names what was being fetched. */
function maven(args: string[], what: string): void {
  const result = spawnSync('mvn', ['-B', '-q', `-Dmaven.repo.local=${M2_DIR}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    const detail =
      result.error?.message ??
      `${result.stdout}${result.stderr}`
        .trim()
        .split('\n')
        .filter((l) => l.includes('ERROR'))
        .slice(0, 1)
        .join(' | ');
    throw new PlaneError(
      'maven',
      `expected to fetch ${what} (${detail})`,
      'install Maven and check that Maven Central is reachable',
    );
  }
}

/** A JDK Spark 4.0 runs on (17 or 21): JAVA_HOME, else Debian's OpenJDK 17 or 21. */
export function findJava(
  candidates: readonly (string | undefined)[] = [
    process.env.JAVA_HOME,
    '/usr/lib/jvm/java-17-openjdk-amd64',
    '/usr/lib/jvm/java-21-openjdk-amd64',
  ],
): string {
  for (const home of candidates) {
    if (!home || !fs.existsSync(path.join(home, 'bin', 'java'))) continue;
    const version = spawnSync(path.join(home, 'bin', 'java'), ['-version'], { encoding: 'utf8' }).stderr ?? '';
    if (/version "(17|21)[."]/.test(version)) return home;
  }
  throw new PlaneError(
    'java',
    `expected a Java 17 or 21 runtime for Spark ${VERSIONS.spark.version} (JAVA_HOME or /usr/lib/jvm/java-17-openjdk-amd64)`,
    'install openjdk-17-jdk-headless or set JAVA_HOME to a JDK 17/21',
  );
}

/** The bin folder of the machine's PostgreSQL server (Debian: /usr/lib/postgresql/<major>/bin). */
export function findPostgres(root = '/usr/lib/postgresql'): string {
  const majors = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) {
    const bin = path.join(root, major, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
  }
  throw new PlaneError(
    'postgres',
    'expected a PostgreSQL server (initdb, postgres) under /usr/lib/postgresql/<major>/bin',
    'apt-get install postgresql (.ci/run does it)',
  );
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user the Debian package creates. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

/**
 * A new throwaway cluster with the catalog's user and password, at every start: moto keeps S3 in memory, so a catalog
 * kept from an earlier start would point at files that are gone.
 */
function initPostgres(pgBin: string, log: (line: string) => void): string {
  const dataDir = path.join(PLANE_DIR, 'pgdata');
  log('creating the PostgreSQL cluster');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(PLANE_DIR, 'pgpass.tmp');
  fs.writeFileSync(pwfile, `${PG.password}\n`, { mode: 0o644 });
  if (process.getuid?.() === 0) {
    const owner = spawnSync('chown', ['-R', 'postgres:postgres', dataDir]);
    if (owner.status !== 0)
      throw new PlaneError('postgres', 'expected a postgres user to own the cluster', 'apt-get install postgresql');
  }
  const [command, args] = asPostgresUser(path.join(pgBin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    PG.user,
    `--pwfile=${pwfile}`,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const init = spawnSync(command, args, { encoding: 'utf8' });
  fs.rmSync(pwfile, { force: true });
  if (init.status !== 0) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new PlaneError(
      'postgres',
      `expected initdb to create ${dataDir} (${init.stderr.trim().split('\n').pop()})`,
      'check the postgresql installation',
    );
  }
  // A throwaway cluster: durability is not worth the disk flushes.
  fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), '\nfsync = off\nsynchronous_commit = off\n');
  return dataDir;
}

function startServer(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const logFile = path.join(PLANE_DIR, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new PlaneError(name, `expected ${command} to start`, 'see its installation');
  return child;
}

async function waitFor(
  component: string,
  expected: string,
  ready: () => Promise<boolean>,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Set by the exit listener; typed wide so the checks below are not narrowed to its initial null.
  let exited = null as number | null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) break;
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logFile = path.join(PLANE_DIR, `${component}.log`);
  const last = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-1)[0] : '';
  throw new PlaneError(
    component,
    `expected ${expected}, but it ${exited !== null ? `exited (${exited})` : 'did not come up in time'}${last ? `: ${last}` : ''}`,
    `see ${path.relative(process.cwd(), logFile)}`,
  );
}

/** The URL answers (below 500, or exactly `status` when given). */
function httpOk(url: string, status?: number): Promise<boolean> {
  return fetch(url)
    .then((res) => (status === undefined ? res.status < 500 : res.status === status))
    .catch(() => false);
}

/** Creates the warehouse bucket (moto starts empty). */
function createBucket(endpoint: string): void {
  const script = [
    'import boto3, sys',
    `s3 = boto3.client("s3", endpoint_url="${endpoint}", region_name="${REGION}", aws_access_key_id="${CREDENTIALS.accessKeyId}", aws_secret_access_key="${CREDENTIALS.secretAccessKey}")`,
    `s3.create_bucket(Bucket="${BUCKET}", CreateBucketConfiguration={"LocationConstraint": "${REGION}"})`,
  ].join('\n');
  const result = spawnSync(pythonBin(), ['-c', script], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new PlaneError(
      'moto',
      `expected to create bucket ${BUCKET} (${result.stderr.trim().split('\n').pop()})`,
      'see .local/plane/moto.log',
    );
}

/** A port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What each recorded server's command line contains (PostgreSQL's is its own name). */
const SERVER_COMMANDS: Readonly<Record<string, string>> = { moto: 'moto_server', 'rest-catalog': REST_MAIN };

/** The recorded PID still runs the server it was recorded for (a PID may have been reused since). */
function ours(name: string, pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SERVER_COMMANDS[name] ?? name);
  } catch {
    return false;
  }
}

/** SIGTERM (PostgreSQL: SIGINT, its fast shutdown), then SIGKILL after 10 s; only a PID still running its server. */
async function stopPid(name: string, pid: number): Promise<void> {
  if (!ours(name, pid)) return;
  process.kill(pid, name === 'postgres' ? 'SIGINT' : 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function readState(): State | undefined {
  return fs.existsSync(STATE_FILE) ? (JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as State) : undefined;
}

function writeState(state: State): void {
  fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}
