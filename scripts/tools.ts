import { VERSIONS } from '../config/versions';
import { runCli } from './cli';
import { ensureGoTool, ensurePythonEnv, ToolInstallError } from './toolchain/local-tools';

// `npm run tools`: every pinned tool the tests use (the Python environment and the Go tools) into `.local/`.
runCli(() => {
  const log = (line: string) => process.stdout.write(`tools: ${line}\n`);
  try {
    ensurePythonEnv(log);
    for (const name of Object.keys(VERSIONS.goTools) as (keyof typeof VERSIONS.goTools)[]) ensureGoTool(name, log);
    log('ready');
  } catch (error) {
    if (!(error instanceof ToolInstallError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
});
