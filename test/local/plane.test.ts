import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findJava, findPostgres, Plane, PlaneError } from '../../scripts/local/plane';
import { planeConfOf, sparkLaunches, submitOnPlane } from '../../scripts/local/run-job';
import { renderedJobObjects } from '../helpers/rendered-jobs';

const plane: Plane = {
  s3: { endpoint: 'http://127.0.0.1:1', region: 'eu-west-1', accessKeyId: 'a', secretAccessKey: 's', bucket: 'b' },
  postgres: {
    host: '127.0.0.1',
    port: 2,
    user: 'u',
    password: 'p',
    database: 'd',
    jdbcUrl: 'jdbc:postgresql://127.0.0.1:2/d',
  },
  spark: {
    submit: '/nonexistent/spark-submit',
    python: '/nonexistent/python',
    jars: ['/j/a.jar', '/j/b.jar'],
    javaHome: '/jdk',
    env: {},
  },
  warehouse: 's3://b/iceberg',
};
const launches = sparkLaunches(renderedJobObjects());
const launch = (name: string) => launches.find((l) => l.name === name)!;

describe('the local plane (scripts/local)', () => {
  test('finds every rendered SparkApplication with its mounted plan, conf and arguments', () => {
    const names = launches.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(['trading-compaction', 'etl', 'migration', 'profiling']));
    const compaction = launch('trading-compaction');
    expect(compaction.plan.steps.map((s) => s.type)).toEqual(compaction.plan.steps.map(() => 'rewrite-data-files'));
    expect(compaction.arguments).toEqual(['/etc/dataplane/plan/plan.json']);
    expect(compaction.sparkConf['spark.sql.catalog.polaris.type']).toBe('rest');
  });

  test("a job's conf on the plane keeps its own keys and replaces only each catalog and the event-log bucket", () => {
    const migration = launch('migration');
    const conf = planeConfOf(plane, migration, '/tmp/events');
    for (const catalog of ['polaris', 'glue']) {
      expect(conf[`spark.sql.catalog.${catalog}`]).toBe('org.apache.iceberg.spark.SparkCatalog');
      expect(conf[`spark.sql.catalog.${catalog}.type`]).toBe('jdbc');
      expect(conf[`spark.sql.catalog.${catalog}.uri`]).toBe(plane.postgres.jdbcUrl);
      expect(conf[`spark.sql.catalog.${catalog}.warehouse`]).toBe(`s3://b/iceberg/${catalog}`);
    }
    // No REST key of the cluster's catalog survives.
    expect(Object.keys(conf).filter((k) => /oauth2|header\.|scope|token-refresh/.test(k))).toEqual([]);
    for (const key of [
      'spark.sql.extensions',
      'spark.sql.defaultCatalog',
      'spark.sql.session.timeZone',
      'spark.redaction.regex',
    ])
      expect(conf[key]).toBe(migration.sparkConf[key]);
    expect(conf['spark.eventLog.dir']).toBe('file:///tmp/events');
    expect(conf['spark.jars']).toBe('/j/a.jar,/j/b.jar');
    expect(conf['spark.driver.bindAddress']).toBe('127.0.0.1');
  });

  test('plans that read ClickHouse are refused with one line before anything starts', () => {
    const audit = launch('trading-audit');
    expect(() => submitOnPlane(plane, audit)).toThrow(
      new PlaneError(
        'trading-audit',
        'expected a plan that reads no ClickHouse (the local plane has no ClickHouse server)',
        'run offloads and backfills with the ClickHouse stand-in of the offload tests',
      ),
    );
  });

  test('a missing JDK or PostgreSQL is one line naming the component and the fix', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'plane-'));
    try {
      expect(() => findJava([undefined, empty])).toThrow(
        /^local plane: java: expected a Java 17 or 21 runtime .*; install openjdk-17/,
      );
      expect(() => findPostgres(empty)).toThrow(
        /^local plane: postgres: expected a PostgreSQL server .*; apt-get install postgresql/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
