// npm run validate [-- --env dev[,staging]] [--dir dist] [--no-kubectl-validate]: checks every object of dist/<env>/*.k8s.yaml as strictly as
// the API server would (the Kubernetes floor and cluster schemas, the CRDs, the server's own rules, Pod Security
// admission, references) and, when `npm run tools` has built it, with kubectl-validate too. Prints one line per
// finding and exits 1 if there is any.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { VERSIONS } from '../config';
import { formatFinding, validateDirectory } from '../validation';
import { runCli } from './cli';
import { formatKubectlValidateFinding, runKubectlValidate } from './toolchain/kubectl-validate';
import { installedGoTool } from './toolchain/local-tools';

runCli(async () => {
  const started = process.hrtime.bigint();
  const { values } = parseArgs({
    options: {
      env: { type: 'string', multiple: true },
      dir: { type: 'string', default: 'dist' },
      'no-kubectl-validate': { type: 'boolean', default: false },
    },
  });
  const environments = values.env?.flatMap((v) => v.split(',')).filter(Boolean);
  const kubectlValidate = values['no-kubectl-validate'] ? undefined : installedGoTool('kubectlValidate');
  const folders = (environments ?? listFolders(values.dir!)).map((env) => path.join(values.dir!, env));
  // Started first: it runs in its own processes while the in-process checks run.
  const external = kubectlValidate && folders.length > 0 ? runKubectlValidate(kubectlValidate, folders) : undefined;
  const report = validateDirectory(values.dir!, environments);
  const lines = [...report.findings.map(formatFinding), ...((await external) ?? []).map(formatKubectlValidateFinding)];
  const elapsed = `${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms`;
  for (const line of lines) console.log(line);
  if (lines.length > 0) {
    process.stderr.write(`${lines.length} finding(s) in ${report.objectCount} objects (${elapsed})\n`);
    process.exitCode = 1;
    return;
  }
  const versions = `Kubernetes ${VERSIONS.kubernetes.apiFloor} and ${VERSIONS.kubernetes.cluster}`;
  const also = external
    ? ', kubectl-validate agrees'
    : values['no-kubectl-validate']
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
