import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findJava, findPostgres, Plane, PlaneError } from '../../scripts/local/plane';
import { planeConfOf, sparkLaunches, submitOnPlane } from '../../scripts/local/run-job';
import { renderedJobObjects } from '../helpers/rendered-jobs';

const plane: Plane = {
  s3: { endpoint: 'http://127.0.0.1:1', region: 'eu-west-1', accessKeyId: 'a', secretAccessKey: 's', bucket: 'b' },
  catalog: { uri: 'http://127.0.0.1:3', warehouse: 's3://b/iceberg/rest' },
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

  test("a job's conf on the plane keeps the rendered REST catalog with the plane's addresses and replaces other catalogs", () => {
    const migration = launch('migration');
    const conf = planeConfOf(plane, migration, '/tmp/events');
    const polaris = (key: string) => conf[`spark.sql.catalog.polaris${key}`];
    expect(polaris('.type')).toBe('rest');
    expect(polaris('.uri')).toBe(plane.catalog.uri);
    expect(polaris('.oauth2-server-uri')).toBe(`${plane.catalog.uri}/v1/oauth/tokens`);
    expect(polaris('.s3.endpoint')).toBe(plane.s3.endpoint);
    // Everything else of the cluster's catalog is as rendered; the plane adds no S3 keys to it (the catalog vends them).
    for (const key of [
      '',
      '.credential',
      '.scope',
      '.warehouse',
      '.header.X-Iceberg-Access-Delegation',
      '.token-refresh-enabled',
    ])
      expect({ key, value: polaris(key) }).toEqual({
        key,
        value: migration.sparkConf[`spark.sql.catalog.polaris${key}`],
      });
    expect(Object.keys(conf).filter((k) => /^spark\.sql\.catalog\.polaris\.s3\.(access|secret)/.test(k))).toEqual([]);
    // The migration's Glue source becomes a JDBC catalog of the same name on the plane.
    expect(conf['spark.sql.catalog.glue.type']).toBe('jdbc');
    expect(conf['spark.sql.catalog.glue.uri']).toBe(plane.postgres.jdbcUrl);
    expect(conf['spark.sql.catalog.glue.warehouse']).toBe('s3://b/iceberg/glue');
    expect(Object.keys(conf).filter((k) => k.startsWith('spark.sql.catalog.glue.glue'))).toEqual([]);
    for (const key of [
      'spark.sql.extensions',
      'spark.sql.defaultCatalog',
      'spark.sql.session.timeZone',
      'spark.redaction.regex',
    ])
      expect(conf[key]).toBe(migration.sparkConf[key]);
    expect(conf['spark.eventLog.dir']).toBe('file:///tmp/events');
    expect(conf['spark.jars']).toBe('local:/j/a.jar,local:/j/b.jar');
    expect(conf['spark.driver.bindAddress']).toBe('127.0.0.1');
  });

  test('plans that read ClickHouse are refused with one line before anything starts', () => {
    const audit = launch('trading-audit');
    expect(() => submitOnPlane(plane, audit)).toThrow(
      new PlaneError(
        'trading-audit',
        'expected a plan that reads no ClickHouse (the local plane has no ClickHouse server)',
        'the engine suite runs audits and backfills against its ClickHouse stand-in',
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
