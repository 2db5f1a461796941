// npm run lint-python: ruff and mypy on the job runner and ruff on the engine suite's Python (settings in
// jobs/pyproject.toml), from the project's venv (.local/venv).
import { spawnSync } from 'child_process';
import * as path from 'path';
import { PACKAGE_ROOT } from '../config';
import { parseCommand, runCli } from './cli';
import { ensurePythonEnv, ToolInstallError } from './toolchain/local-tools';

const COMMAND = {
  name: 'npm run lint-python',
  summary:
    "Runs `ruff check` on jobs/ and the engine suite's Python (test/engines), and `mypy jobs/dataplane_job`, with the settings in jobs/pyproject.toml, from .local/venv.",
  flags: {},
} as const;

runCli(() => {
  if (!parseCommand(COMMAND)) return;
  let python: string;
  try {
    python = ensurePythonEnv();
  } catch (error) {
    if (!(error instanceof ToolInstallError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const config = path.join('jobs', 'pyproject.toml');
  for (const args of [
    ['-m', 'ruff', 'check', 'jobs'],
    ['-m', 'ruff', 'check', '--config', config, path.join('test', 'engines')],
    ['-m', 'mypy', '--config-file', config, path.join('jobs', 'dataplane_job')],
  ]) {
    const run = spawnSync(python, args, { cwd: PACKAGE_ROOT, stdio: 'inherit' });
    if (run.status !== 0) process.exitCode = 1;
  }
});
