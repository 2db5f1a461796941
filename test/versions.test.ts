import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { sharedDataDir, sparkPackages, VERSIONS } from '../config';

const minor = (v: string) => v.split('.').slice(0, 2).join('.');
const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1);

describe('pinned versions', () => {
  test('Spark Operator chart, image and CRDs are one release', () => {
    expect(VERSIONS.sparkOperator.imageTag).toBe(VERSIONS.sparkOperator.chart);
    // The CRDs the validator reads are the ones this chart version ships.
    expect(fs.readFileSync(path.join(sharedDataDir('crds'), 'SOURCES.md'), 'utf8')).toContain(
      `\`v${VERSIONS.sparkOperator.chart}\``,
    );
    for (const file of [
      'sparkoperator.k8s.io_sparkapplications.yaml',
      'sparkoperator.k8s.io_scheduledsparkapplications.yaml',
    ]) {
      const crd = parseAllDocuments(fs.readFileSync(path.join(sharedDataDir('crds'), file), 'utf8'))[0].toJS();
      const served = crd.spec.versions.filter((v: any) => v.served).map((v: any) => `${crd.spec.group}/${v.name}`);
      expect(served).toContain(VERSIONS.sparkOperator.apiVersion);
    }
  });

  test('YuniKorn images match the chart release', () => {
    for (const image of [
      VERSIONS.yunikorn.schedulerImage,
      VERSIONS.yunikorn.admissionImage,
      VERSIONS.yunikorn.webImage,
    ]) {
      expect(tagOf(image)).toMatch(new RegExp(`-${VERSIONS.yunikorn.chart.replace(/\./g, '\\.')}$`));
    }
  });

  test('Polaris server and admin tool match the chart release', () => {
    expect(tagOf(VERSIONS.polaris.image)).toBe(VERSIONS.polaris.chart);
    expect(tagOf(VERSIONS.polaris.adminToolImage)).toBe(VERSIONS.polaris.chart);
  });

  test('pyspark, which the tests run as the real Spark, is the Spark version the cluster runs', () => {
    expect(VERSIONS.python.pyspark).toBe(VERSIONS.spark.version);
  });

  test('the Spark image is the pinned Spark and Scala line on Java 17 (Iceberg 1.11 dropped Java 11)', () => {
    expect(tagOf(VERSIONS.spark.image)).toMatch(
      new RegExp(`^${VERSIONS.spark.version}-scala${VERSIONS.spark.scala}-java17`),
    );
  });

  test('the Spark line is one that Iceberg and the ClickHouse connector both build for', () => {
    // Upstream build matrices: Iceberg 1.11.0 ships runtimes for Spark 3.4/3.5/4.0/4.1; connector 0.10.0 for 3.3/3.4/3.5/4.0.
    expect(['3.4', '3.5', '4.0', '4.1']).toContain(minor(VERSIONS.spark.version));
    expect(['3.3', '3.4', '3.5', '4.0']).toContain(minor(VERSIONS.spark.version));
    // Spark 4 is Scala 2.13 only.
    if (VERSIONS.spark.version.startsWith('4.')) expect(VERSIONS.spark.scala).toBe('2.13');
  });

  test('the local plane runs the pinned Spark: pyspark is the Spark version', () => {
    expect(VERSIONS.python.pyspark).toBe(VERSIONS.spark.version);
  });

  test('jar coordinates follow the Spark and Scala pins', () => {
    const packages = sparkPackages();
    expect(packages.icebergRuntime).toBe('org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.11.0');
    expect(packages.clickhouseRuntime).toBe('com.clickhouse.spark:clickhouse-spark-runtime-4.0_2.13:0.10.0');
    expect(packages.icebergAwsBundle.endsWith(`:${VERSIONS.iceberg.version}`)).toBe(true);
  });

  test('the cluster version is not older than the API the constructs are typed for', () => {
    const [major, minorCluster] = VERSIONS.kubernetes.cluster.split('.').map(Number);
    const [floorMajor, floorMinor] = VERSIONS.kubernetes.apiFloor.split('.').map(Number);
    expect(major * 1000 + minorCluster).toBeGreaterThanOrEqual(floorMajor * 1000 + floorMinor);
    // The offline validator has schemas for both ends.
    for (const v of [VERSIONS.kubernetes.cluster, VERSIONS.kubernetes.apiFloor]) {
      expect(fs.existsSync(path.join(sharedDataDir('schemas'), `k8s-v${v}`))).toBe(true);
    }
  });

  test('every image and AMI is pinned: no moving tag such as latest', () => {
    const pins = JSON.stringify(VERSIONS);
    expect(pins).not.toMatch(/[:@]latest\b/);
    expect(VERSIONS.karpenter.amiAlias).toMatch(/^al2023@v\d{8}$/);
  });
});

describe('monitoring pins', () => {
  test('the validator reads the CRDs of the Prometheus Operator release the pinned chart ships', () => {
    const sources = fs.readFileSync(path.join(sharedDataDir('crds'), 'SOURCES.md'), 'utf8');
    expect(sources).toContain(`\`${VERSIONS.monitoring.prometheusOperator}\``);
    for (const kind of ['podmonitors', 'servicemonitors', 'prometheusrules']) {
      const file = path.join(sharedDataDir('crds'), `monitoring.coreos.com_${kind}.yaml`);
      const crd = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJS();
      const served = crd.spec.versions.filter((v: any) => v.served).map((v: any) => `${crd.spec.group}/${v.name}`);
      expect(served).toContain(VERSIONS.monitoring.apiVersion);
      expect(crd.metadata.annotations['operator.prometheus.io/version']).toBe(
        VERSIONS.monitoring.prometheusOperator.replace(/^v/, ''),
      );
    }
  });

  test('promtool is pinned to an exact Prometheus module version', () => {
    expect(VERSIONS.goTools.promtool.module).toBe('github.com/prometheus/prometheus/cmd/promtool');
    expect(VERSIONS.goTools.promtool.version).toMatch(/^v0\.\d+\.\d+$/);
  });
});
