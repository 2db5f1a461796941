// npm run images: prints the `docker build` commands of the images this package builds, with the versions pinned in
// config/versions.ts (the Dockerfiles take every version as a build argument). Run from the package root after
// `npm run build`, e.g. `npm run -s images | sh`.
import { VERSIONS } from '../config';
import { runCli } from './cli';

runCli(() => {
  const images = VERSIONS.platformImages;
  const builds = [
    { file: 'jobs/polaris-provisioner/Dockerfile', tag: images.polarisProvisioner, args: { BASE_IMAGE: images.provisionerBase } },
    {
      file: 'images/spark-history-server/Dockerfile',
      tag: images.sparkHistoryServer,
      args: { SPARK_IMAGE: VERSIONS.spark.image, HADOOP_AWS: images.hadoopAws, AWS_SDK_BUNDLE: images.awsSdkBundle },
    },
  ];
  for (const build of builds) {
    const args = Object.entries(build.args).map(([k, v]) => `--build-arg ${k}=${v}`);
    console.log(['docker build', '-f', build.file, ...args, '-t', build.tag, '.'].join(' '));
  }
});
