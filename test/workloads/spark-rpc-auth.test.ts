import { execFileSync } from 'child_process';
import * as path from 'path';
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { pythonBin } from '../helpers/python';

const RPC_KEYS = /^spark\.(authenticate|network\.crypto\.)/;

/** The Spark conf of every Spark the environment runs: SparkApplications (scheduled too) and Spark Connect servers. */
function sparkConfs(envName: string): { name: string; conf: Record<string, string> }[] {
  const objects = renderEnvironment(loadEnvironment(envName)).flatMap((chart) => [...chart.objects]) as any[];
  return objects.flatMap((o) => {
    if (o.kind === 'SparkApplication') return [{ name: `${o.kind}/${o.metadata.name}`, conf: o.spec.sparkConf }];
    if (o.kind === 'ScheduledSparkApplication')
      return [{ name: `${o.kind}/${o.metadata.name}`, conf: o.spec.template.sparkConf }];
    if (o.kind === 'SparkConnect') return [{ name: `${o.kind}/${o.metadata.name}`, conf: o.spec.sparkConf }];
    return [];
  });
}

describe.each(ENVIRONMENT_NAMES)('Spark RPC security in %s', (envName) => {
  test('every Spark the environment runs authenticates and encrypts its RPC (AES-CTR)', () => {
    const confs = sparkConfs(envName);
    expect(confs.length).toBeGreaterThan(3);
    if (envName === 'dev') expect(confs.some((c) => c.name.startsWith('SparkConnect/'))).toBe(true);
    for (const { name, conf } of confs) {
      expect({ name, rpc: Object.fromEntries(Object.entries(conf).filter(([k]) => RPC_KEYS.test(k))) }).toEqual({
        name,
        rpc: {
          'spark.authenticate': 'true',
          'spark.network.crypto.enabled': 'true',
          'spark.network.crypto.cipher': 'AES/CTR/NoPadding',
          'spark.network.crypto.authEngineVersion': '2',
          'spark.network.crypto.saslFallback': 'false',
        },
      });
    }
  });
});

// Real Spark (pyspark of VERSIONS.python.pyspark, the VERSIONS.spark line) on 127.0.0.1: a driver started with the RPC
// conf of a synthesized SparkApplication runs a job with the secret it generated itself; an executor backend with that
// secret gets past authentication, one with a wrong secret or without authentication is refused by the driver.
describe('Spark 4.0.1 enforces the rendered RPC conf', () => {
  let outcome: any;
  beforeAll(() => {
    const [{ conf }] = sparkConfs('dev');
    const rpc = Object.fromEntries(Object.entries(conf).filter(([k]) => RPC_KEYS.test(k)));
    const stdout = execFileSync(pythonBin(), [path.join(__dirname, 'spark_rpc_auth.py'), JSON.stringify(rpc)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 840_000,
    });
    outcome = JSON.parse(stdout.trim().split('\n').pop()!);
  }, 900_000);

  test('the job runs, with a secret Spark generated for the application', () => {
    expect(outcome.result).toBe(9900);
    expect(outcome.secretGenerated).toBe(true);
  });

  test('an executor with the secret is let through to the driver', () => {
    expect(outcome.clients.rightSecret).toMatchObject({
      passedAuthentication: true,
      authenticationFailed: false,
      refusedByDriver: false,
    });
  });

  test('one with a wrong secret fails authentication, one without authentication is cut off', () => {
    expect(outcome.clients.wrongSecret).toMatchObject({ passedAuthentication: false, authenticationFailed: true });
    expect(outcome.clients.wrongSecret.exitCode).not.toBe(0);
    expect(outcome.clients.noAuthentication).toMatchObject({ passedAuthentication: false, refusedByDriver: true });
    expect(outcome.clients.noAuthentication.exitCode).not.toBe(0);
  });
});
