import * as fs from 'fs';
import * as path from 'path';
import { offloadWriterBuildArgs, sparkPackages, VERSIONS } from '../../config';

const dockerfile = fs.readFileSync(path.join(__dirname, '..', '..', 'jobs', 'Dockerfile'), 'utf8');
/** The user the image ends with. */
const lastUser = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('USER '))
    .pop();
const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));

describe('jobs/Dockerfile', () => {
  test('build-arg defaults equal config/versions.ts', () => {
    expect(args).toMatchObject({
      SPARK_IMAGE: VERSIONS.spark.image,
      SPARK_MINOR: '4.0',
      SCALA: VERSIONS.spark.scala,
      ICEBERG_VERSION: VERSIONS.iceberg.version,
      HADOOP_AWS_VERSION: VERSIONS.hadoop.aws,
      AWS_SDK_BUNDLE_VERSION: VERSIONS.hadoop.awsSdkBundle,
      CLICKHOUSE_CONNECTOR_VERSION: VERSIONS.clickhouseConnector.version,
      CLICKHOUSE_JDBC_VERSION: VERSIONS.clickhouseConnector.jdbc,
    });
    expect(VERSIONS.spark.version.startsWith(`${args.SPARK_MINOR}.`)).toBe(true);
  });

  test('downloads exactly the Maven coordinates of sparkPackages(), with the default build args', () => {
    const coordinates = [...dockerfile.matchAll(/^\s+"([^"]+:[^"]+)" \\$/gm)].map((m) =>
      m[1].replace(/\$\{(\w+)\}/g, (_, name) => args[name]),
    );
    expect(coordinates.sort()).toEqual(Object.values(sparkPackages()).sort());
  });

  test('ships the job package and runs as the non-root spark user', () => {
    expect(dockerfile).toMatch(/^COPY dataplane_job \/opt\/dataplane\/dataplane_job$/m);
    expect(lastUser(dockerfile)).toBe('USER 185');
  });
});

describe('jobs/offload.Dockerfile', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'jobs', 'offload.Dockerfile'), 'utf8');
  const defaults = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));

  test('build-arg defaults equal the Python pins the tests run on', () => {
    expect(defaults).toEqual(offloadWriterBuildArgs());
  });

  test('installs no JVM and no Spark, ships the runner and runs as the job user', () => {
    const instructions = text.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(instructions.join('\n')).not.toMatch(/java|jdk|spark/i);
    expect(text).toMatch(/^COPY dataplane_job \/opt\/dataplane\/dataplane_job$/m);
    expect(
      text
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('USER '))
        .pop(),
    ).toBe('USER 185');
  });
});
