// npm run validate [-- --env dev[,staging]] [--dir dist]: checks every object of dist/<env>/*.k8s.yaml as strictly as
// the API server would (Kubernetes 1.28 and 1.34 schemas, the Spark Operator CRDs, the server's own rules). Prints
// one line per finding and exits 1 if there is any.
import { parseArgs } from 'util';
import { VERSIONS } from '../config';
import { formatFinding, validateDirectory } from '../validation';
import { runCli } from './cli';

runCli(() => {
  const started = process.hrtime.bigint();
  const { values } = parseArgs({
    options: { env: { type: 'string', multiple: true }, dir: { type: 'string', default: 'dist' } },
  });
  const environments = values.env?.flatMap((v) => v.split(',')).filter(Boolean);
  const report = validateDirectory(values.dir!, environments);
  const elapsed = `${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms`;
  for (const finding of report.findings) console.log(formatFinding(finding));
  if (report.findings.length > 0) {
    process.stderr.write(`${report.findings.length} finding(s) in ${report.objectCount} objects (${elapsed})\n`);
    process.exitCode = 1;
    return;
  }
  const versions = `Kubernetes ${VERSIONS.kubernetes.apiFloor} and ${VERSIONS.kubernetes.cluster}`;
  console.log(
    `${report.objectCount} objects in ${report.files.length} files (${report.environments.join(', ')}) valid for ${versions}: no findings (${elapsed})`,
  );
});
