import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironment, offloadWriterBuildArgs, sparkPackages, VERSIONS } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';

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

  test("keeps the base image's entrypoint, which Spark on Kubernetes starts pods through", () => {
    const entrypoints = dockerfile.split('\n').filter((l) => l.startsWith('ENTRYPOINT'));
    // Exec form of apache/spark's own entrypoint: driver and executor pods get arguments only (`driver …`, `executor`).
    expect(entrypoints).toEqual(['ENTRYPOINT ["/opt/entrypoint.sh"]']);
    expect(dockerfile).not.toMatch(/^CMD /m);
  });

  test('every container of the runtime image is a Spark pod started with arguments, or sets its own command', () => {
    const env = loadEnvironment('dev');
    const objects = renderEnvironment(env).flatMap((chart) => chart.objects) as any[];
    const runtimeImages = new Set<string>([env.jobs.image, VERSIONS.platformImages.sparkRuntime]);
    const sparkApps = objects.filter((o) => o.kind === 'SparkApplication' || o.kind === 'ScheduledSparkApplication');
    expect(sparkApps.length).toBeGreaterThan(0);
    for (const app of sparkApps) {
      const spec = app.kind === 'SparkApplication' ? app.spec : app.spec.template;
      expect(runtimeImages.has(spec.image)).toBe(true);
      // The operator's pods carry no command: only the image's entrypoint turns `driver`/`executor` into Spark.
      expect([spec.driver.command, spec.executor.command]).toEqual([undefined, undefined]);
    }
    const containers = objects.flatMap((o) => {
      const pod = o.spec?.jobTemplate?.spec?.template?.spec ?? o.spec?.template?.spec;
      return (pod?.containers ?? []).map((c: any) => ({ object: `${o.kind}/${o.metadata.name}`, ...c }));
    });
    const others = containers.filter((c) => runtimeImages.has(c.image));
    expect(others.length).toBeGreaterThan(0);
    for (const c of others)
      expect({ object: c.object, command: c.command?.[0] }).toEqual({ object: c.object, command: expect.any(String) });
  });
});
