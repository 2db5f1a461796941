// npm run validate [-- --env dev[,staging]] [--dir dist] [--no-kubectl-validate]: checks every object of
// dist/<env>/*.k8s.yaml and of the backfills in dist/backfills/<env>/ as strictly as the API server would (the
// Kubernetes floor and cluster schemas, the CRDs, the server's own rules, Pod Security admission, references) and,
// when `npm run tools` has built it, with kubectl-validate too. Prints one line per finding and exits 1 if there is any.
import * as fs from 'fs';
import * as path from 'path';
import { VERSIONS } from '../config';
import { formatFinding, validateDirectory } from '../validation';
import { elapsedMs, parseCommand, runCli } from './cli';
import { formatKubectlValidateFinding, runKubectlValidate } from './toolchain/kubectl-validate';
import { installedGoTool } from './toolchain/local-tools';

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
    'no-kubectl-validate': { type: 'boolean', description: 'skip kubectl-validate even when it is installed' },
  },
} as const;

runCli(async () => {
  const started = process.hrtime.bigint();
  const args = parseCommand(COMMAND);
  if (!args) return;
  const kubectlValidate = args['no-kubectl-validate'] ? undefined : installedGoTool('kubectlValidate');
  const folders = (args.env ?? listFolders(args.dir)).map((env) => path.join(args.dir, env));
  // Started first: it runs in its own processes while the in-process checks run.
  const external = kubectlValidate && folders.length > 0 ? runKubectlValidate(kubectlValidate, folders) : undefined;
  const report = validateDirectory(args.dir, args.env);
  const lines = [...report.findings.map(formatFinding), ...((await external) ?? []).map(formatKubectlValidateFinding)];
  const elapsed = `${elapsedMs(started)} ms`;
  for (const line of lines) console.log(line);
  if (lines.length > 0) {
    process.stderr.write(`${lines.length} finding(s) in ${report.objectCount} objects (${elapsed})\n`);
    process.exitCode = 1;
    return;
  }
  const versions = `Kubernetes ${VERSIONS.kubernetes.apiFloor} and ${VERSIONS.kubernetes.cluster}`;
  const also = external
    ? ', kubectl-validate agrees'
    : args['no-kubectl-validate']
      ? ''
      : ' (kubectl-validate not installed: `npm run tools`)';
  console.log(
    `${report.objectCount} objects in ${report.files.length} files (${report.environments.join(', ')}) valid for ${versions}: no findings${also} (${elapsed})`,
  );
});

function listFolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.readdirSync(path.join(dir, entry.name)).some((f) => f.endsWith('.k8s.yaml')),
    )
    .map((entry) => entry.name);
}
