// npm run images: prints the `docker build` commands of the images this package builds, with the versions pinned in
// config/versions.ts. Run from the package root after `npm run build`, e.g. `npm run -s images | sh`.
import { offloadWriterBuildArgs, VERSIONS } from '../config';
import { runCli } from './cli';

runCli(() => {
  const images = VERSIONS.platformImages;
  const builds = [
    {
      file: 'jobs/polaris-provisioner/Dockerfile',
      context: '.',
      tag: images.polarisProvisioner,
      args: { BASE_IMAGE: images.provisionerBase },
    },
    {
      file: 'jobs/Dockerfile',
      context: 'jobs',
      tag: images.sparkRuntime,
      args: {
        SPARK_IMAGE: VERSIONS.spark.image,
        ICEBERG_VERSION: VERSIONS.iceberg.version,
        HADOOP_AWS_VERSION: VERSIONS.hadoop.aws,
        AWS_SDK_BUNDLE_VERSION: VERSIONS.hadoop.awsSdkBundle,
        CLICKHOUSE_CONNECTOR_VERSION: VERSIONS.clickhouseConnector.version,
        CLICKHOUSE_JDBC_VERSION: VERSIONS.clickhouseConnector.jdbc,
      },
    },
    {
      file: 'jobs/offload.Dockerfile',
      context: 'jobs',
      tag: VERSIONS.offloadWriter.image,
      args: offloadWriterBuildArgs(),
    },
  ];
  for (const build of builds) {
    const args = Object.entries(build.args).map(([k, v]) => `--build-arg ${k}=${v}`);
    console.log(['docker build', '-f', build.file, ...args, '-t', build.tag, build.context].join(' '));
  }
});
