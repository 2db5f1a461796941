import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironment } from '../../config';
import { SPARK_CATALOG } from '../../jobs/plan';
import { Plane, runningPlane } from '../../scripts/local/plane';
import { planeConfOf } from '../../scripts/local/run-job';
import { renderEnvironment } from '../../stacks/k8s';
import { confAfterBash } from '../helpers/operator-start-line';

// The Spark Connect server a tenant's SparkConnect renders, started on the local plane with the conf the construct
// renders (after bash has read it, as the operator's `bash -c` start command does), and a pyspark Spark Connect client
// session over gRPC that writes and reads the tenant's Iceberg namespace. The catalog is the rendered Polaris REST
// catalog with the plane's addresses: Iceberg's REST catalog server, which takes the rendered OAuth credential and hands
// out the S3 credentials. Polaris itself cannot be had here (Maven Central serves no polaris-runtime-service 1.7.0), and
// the REST test server grants every client everything, so the refusal on another tenant's namespace is not shown here:
// the unit suite checks the grants the provisioner asks Polaris for against Polaris's spec.
jest.setTimeout(10 * 60_000);

const env = loadEnvironment('dev');
const connect = renderEnvironment(env)
  .flatMap((c) => [...c.objects])
  .find((o) => o.kind === 'SparkConnect') as any;
const tenant = connect.metadata.namespace as string;
/** The container's Secret-backed credential variables, as the operator's start line expands them. */
const CLIENT_ENV = { POLARIS_CLIENT_ID: 'local', POLARIS_CLIENT_SECRET: 'local-secret' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the Spark Connect server exited ${server.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the Spark Connect server did not listen on 127.0.0.1:${port}:\n${log()}`);
}

describe(`the ${tenant} Spark Connect server on the local plane`, () => {
  let plane: Plane;
  let server: ChildProcess;
  let work: string;
  let port: number;
  let output = '';

  beforeAll(async () => {
    plane = runningPlane()!;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-connect-'));
    port = await freePort();
    const rendered = confAfterBash(connect.spec.sparkConf, CLIENT_ENV);
    const conf = {
      ...planeConfOf(plane, { sparkConf: rendered }, work),
      'spark.connect.grpc.binding.address': '127.0.0.1',
      'spark.connect.grpc.binding.port': String(port),
      // The rendered dynamic allocation needs executors the local master does not start.
      'spark.dynamicAllocation.enabled': 'false',
    };
    const args = [
      ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
      '--class',
      'org.apache.spark.sql.connect.service.SparkConnectServer',
      'spark-internal',
    ];
    server = spawn(plane.spark.submit, args, { env: { ...process.env, ...plane.spark.env } });
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    await waitForPort(port, server, () => output.split('\n').slice(-30).join('\n'));
  });

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('keeps the catalog and session conf batch jobs get', () => {
    const rendered = confAfterBash(connect.spec.sparkConf, CLIENT_ENV);
    expect(rendered['spark.sql.defaultCatalog']).toBe(SPARK_CATALOG);
    expect(rendered[`spark.sql.catalog.${SPARK_CATALOG}.credential`]).toBe('local:local-secret');
    expect(rendered['spark.sql.session.timeZone']).toBe('UTC');
  });

  test("a pyspark Spark Connect client writes the tenant's Iceberg namespace and reads it back", () => {
    const out = path.join(work, 'client.json');
    const run = spawnSync(
      plane.spark.python,
      [path.join(__dirname, 'spark_connect_client.py'), `sc://127.0.0.1:${port}`, `${SPARK_CATALOG}.${tenant}`, out],
      { encoding: 'utf8', env: { ...process.env, ...plane.spark.env }, timeout: 5 * 60_000 },
    );
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr.slice(-3000) }).toEqual({
      status: 0,
      stderr: '',
    });
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(result.rows).toEqual([
      { id: 1, symbol: 'AAPL' },
      { id: 2, symbol: 'MSFT' },
      { id: 3, symbol: 'NVDA' },
    ]);
    expect(result.snapshots).toBe(1);
    expect(result.defaultCatalog).toBe(SPARK_CATALOG);
  });
});
