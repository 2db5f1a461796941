// npm run validate [-- --env dev[,staging]] [--dir dist]: checks every object of dist/<env>/*.k8s.yaml and of the
// backfills in dist/backfills/<env>/ as strictly as the API server would (Kubernetes 1.28 and 1.34 schemas, the Spark
// Operator CRDs, the server's own rules). Prints one line per finding and exits 1 if there is any.
import { VERSIONS } from '../config';
import { formatFinding, validateDirectory } from '../validation';
import { elapsedMs, parseCommand, runCli } from './cli';

const COMMAND = {
  name: 'npm run validate',
  summary:
    'Checks every object under <dir>/<env>/ and <dir>/backfills/<env>/ offline, as strictly as an API server; exits 1 on any finding.',
  flags: {
    env: {
      type: 'string',
      multiple: true,
      value: '<env>[,<env>]',
      description: 'environments to check (default: every folder with manifests)',
    },
    dir: {
      type: 'string',
      default: 'dist',
      value: '<dir>',
      directory: 'input',
      description: 'folder npm run synth wrote',
    },
  },
} as const;

runCli(() => {
  const started = process.hrtime.bigint();
  const args = parseCommand(COMMAND);
  if (!args) return;
  const report = validateDirectory(args.dir, args.env);
  const elapsed = `${elapsedMs(started)} ms`;
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
